"""The shape of a form definition, and its conversion to an XLSForm workbook and an XForm."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from openpyxl import Workbook
from pyxform.xls2xform import convert

Text = str | Promise

# XLSForm's language columns: `label::English (en)`; the first is the form's default.
LANGUAGES: list[tuple[str, str]] = [
    ("en", "English (en)"),
    ("ru", "Russian (ru)"),
    ("hy", "Armenian (hy)"),
    ("az", "Azerbaijani (az)"),
]
SURVEY_COLUMNS = (
    "required",
    "relevant",
    "appearance",
    "choice_filter",
    "parameters",
    "constraint",
    "default",
    "calculation",
)


@dataclass(frozen=True)
class Row:
    """One row of the survey sheet."""

    type: str
    name: str
    label: Text = ""
    hint: Text = ""
    required: bool = False
    relevant: str = ""
    appearance: str = ""
    choice_filter: str = ""
    parameters: str = ""
    constraint: str = ""
    default: str = ""
    calculation: str = ""


def begin(kind: str, name: str, label: Text, **extra: str) -> Row:
    return Row(f"begin_{kind}", name, label, **extra)  # type: ignore[arg-type]


def end(kind: str, name: str) -> Row:
    return Row(f"end_{kind}", name)


@dataclass(frozen=True)
class Choice:
    list_name: str
    name: str
    label: Text


def choices_of(list_name: str, options: type[models.TextChoices]) -> list[Choice]:
    """A choice list from a model's choices, so the form offers exactly what the service takes."""
    return [Choice(list_name, value, label) for value, label in options.choices]


@dataclass(frozen=True)
class FormDef:
    form_id: str
    title: Text
    # Raised whenever the form changes: Collect offers an update when the version moves.
    version: str
    survey: tuple[Row, ...]
    choices: tuple[Choice, ...] = ()
    # Media files the form reads (select_one_from_file), served by fieldsync.media.
    media: tuple[str, ...] = ()
    # Encrypted on the phone with the mission's key; reviewed by protection officers only.
    personal: bool = False
    instance_name: str = ""
    extra_settings: dict[str, str] = field(default_factory=dict)


def _translated(text: Text) -> list[str]:
    if not str(text):
        return ["" for _code in LANGUAGES]
    values = []
    for code, _column in LANGUAGES:
        with translation.override(code):
            values.append(str(text))
    return values


def _language_columns(kind: str) -> list[str]:
    return [f"{kind}::{column}" for _code, column in LANGUAGES]


def _cells(values: list[object]) -> list[object]:
    # An empty cell, not an empty string: what a spreadsheet program would save.
    return [value if value != "" else None for value in values]


def workbook(form: FormDef, *, public_key: str = "") -> Workbook:
    """The XLSForm workbook of `form`: survey, choices and settings sheets."""
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(
        ["type", "name", *_language_columns("label"), *_language_columns("hint"), *SURVEY_COLUMNS]
    )
    for row in form.survey:
        survey.append(
            _cells(
                [
                    row.type,
                    row.name,
                    *_translated(row.label),
                    *_translated(row.hint),
                    "yes" if row.required else "",
                    *(getattr(row, column) for column in SURVEY_COLUMNS[1:]),
                ]
            )
        )
    if form.choices:
        choices = book.create_sheet("choices")
        choices.append(["list_name", "name", *_language_columns("label")])
        for choice in form.choices:
            choices.append(_cells([choice.list_name, choice.name, *_translated(choice.label)]))
    settings_sheet = book.create_sheet("settings")
    values = {
        "form_title": str(_translated(form.title)[0]),
        "form_id": form.form_id,
        "version": form.version,
        "default_language": LANGUAGES[0][1],
        "instance_name": form.instance_name,
        "public_key": public_key,
        **form.extra_settings,
    }
    values = {name: value for name, value in values.items() if value}
    settings_sheet.append(list(values))
    settings_sheet.append(list(values.values()))
    return book


def workbook_bytes(form: FormDef, *, public_key: str = "") -> bytes:
    buffer = io.BytesIO()
    workbook(form, public_key=public_key).save(buffer)
    return buffer.getvalue()


def sheet_values(book: Workbook) -> dict[str, list[tuple[object, ...]]]:
    """A workbook's cell values by sheet: what an XLSForm means, without the file's timestamps."""
    return {
        sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def to_xform(form: FormDef, *, public_key: str = "", validate: bool = False) -> bytes:
    """The XForm of `form`, converted by pyxform (and checked by ODK Validate when asked)."""
    result = convert(
        workbook_bytes(form, public_key=public_key),
        validate=validate,
        file_type=".xlsx",
        warnings=[],
    )
    xform: str = result.xform
    return xform.encode("utf-8")


@cache
def cached_xform(form_id: str, public_key: str) -> bytes:
    from ceasefire.fieldsync.forms import FORMS

    return to_xform(FORMS[form_id], public_key=public_key)
