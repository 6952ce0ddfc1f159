"""Every shipped form converts with pyxform and passes ODK Validate; the shipped .xlsx files
are what the definitions say."""

from __future__ import annotations

import base64
from functools import cache

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from openpyxl import load_workbook

from ceasefire.fieldsync.forms import FORMS, XLSX_DIR
from ceasefire.fieldsync.forms.base import LANGUAGES, sheet_values, to_xform, workbook

pytestmark = pytest.mark.django_db


@cache
def a_public_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


@pytest.mark.parametrize("form_id", list(FORMS))
def test_the_form_converts_and_passes_odk_validate(form_id: str) -> None:
    form = FORMS[form_id]
    xform = to_xform(form, public_key=a_public_key() if form.personal else "", validate=True)
    assert f'id="{form_id}"'.encode() in xform
    assert (b"base64RsaPublicKey" in xform) == form.personal


@pytest.mark.parametrize("form_id", list(FORMS))
def test_the_shipped_xlsform_is_up_to_date(form_id: str) -> None:
    shipped = load_workbook(XLSX_DIR / f"{form_id}.xlsx")
    assert sheet_values(shipped) == sheet_values(workbook(FORMS[form_id])), (
        "Run `make forms` and commit the result."
    )


@pytest.mark.parametrize("form_id", list(FORMS))
def test_every_label_and_hint_is_in_all_four_languages(form_id: str) -> None:
    survey = workbook(FORMS[form_id])["survey"]
    rows = list(survey.iter_rows(values_only=True))
    header = rows[0]
    for kind in ("label", "hint"):
        columns = [header.index(f"{kind}::{column}") for _code, column in LANGUAGES]
        for row in rows[1:]:
            values = [row[i] for i in columns]
            if values[0]:
                assert all(values), (kind, row[1], values)
