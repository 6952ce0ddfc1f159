"""Encrypted forms: the phone encrypts with the mission's public key, the server decrypts."""

from __future__ import annotations

import os
import stat

import pytest
from django.conf import settings

from ceasefire.accounts.models import User
from ceasefire.fieldsync import crypto
from ceasefire.fieldsync.models import Status, Submission
from ceasefire.fieldsync.registry import HANDLERS, Incoming, Recorded
from ceasefire.fieldsync.selectors import submission_clear_xml
from ceasefire.people.models import Person, PersonFile
from tests.fieldsync.collect import encrypt_submission, instance_xml, new_instance_id
from tests.fieldsync.factories import jpeg, phone

pytestmark = pytest.mark.django_db
FORM = "demobilization_registration"


def test_the_mission_key_is_made_once_and_private() -> None:
    first = crypto.public_key_base64()
    path = settings.KEY_DIR / crypto.KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert crypto.public_key_base64() == first


def test_the_encrypted_form_carries_the_mission_key(cast: dict[str, User]) -> None:
    form = phone(cast["field"]).get(f"forms/{FORM}.xml").content.decode()
    assert f'base64RsaPublicKey="{crypto.public_key_base64()}"' in form


def test_an_encrypted_submission_is_decrypted_on_receipt(
    cast: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Incoming] = []

    def handler(incoming: Incoming) -> Recorded:
        seen.append(incoming)
        return Recorded("people.registration:1", "Registered.")

    monkeypatch.setitem(HANDLERS, FORM, handler)
    instance = new_instance_id()
    clear = instance_xml(FORM, instance, "<full_name>Lev Arstan</full_name><photo>1.jpg</photo>")
    photo = jpeg()
    envelope, files = encrypt_submission(
        crypto.public_key_base64(), FORM, instance, clear, {"1.jpg": photo}
    )
    response = phone(cast["field"]).submit(envelope, files, xml_name="submission.xml")
    assert response.status_code == 201, response.content
    (incoming,) = seen
    assert incoming.instance.text("full_name") == "Lev Arstan"
    assert incoming.files == {"1.jpg": photo}
    stored = Submission.objects.get()
    assert stored.encrypted and stored.status == Status.ACCEPTED
    # Kept as received: nothing personal in clear at rest.
    assert b"Lev Arstan" not in bytes(stored.xml)


def test_a_quarantined_encrypted_submission_stays_encrypted(cast: dict[str, User]) -> None:
    instance = new_instance_id()
    clear = instance_xml(FORM, instance, "<full_name>Lev Arstan</full_name>")
    envelope, files = encrypt_submission(crypto.public_key_base64(), FORM, instance, clear, {})
    assert phone(cast["field"]).submit(envelope, files).status_code == 201
    stored = Submission.objects.get()
    assert stored.status == Status.QUARANTINED
    assert stored.reason == "Enter the date of birth."
    assert b"Lev Arstan" not in bytes(stored.xml)
    assert submission_clear_xml(stored) == clear


def test_a_submission_for_another_key_is_quarantined(cast: dict[str, User]) -> None:
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    other_b64 = base64.b64encode(
        other.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    ).decode()
    instance = new_instance_id()
    envelope, files = encrypt_submission(
        other_b64, FORM, instance, instance_xml(FORM, instance, ""), {}
    )
    assert phone(cast["field"]).submit(envelope, files).status_code == 201
    assert "cannot be decrypted" in Submission.objects.get().reason


def test_a_registration_is_recorded_through_the_people_service(cast: dict[str, User]) -> None:
    instance = new_instance_id()
    clear = instance_xml(
        FORM,
        instance,
        "<full_name>Lev Arstan</full_name><other_names/><birth_date>1990-04-12</birth_date>"
        "<origin/><party>north</party><unit>3rd Company</unit><rank/><contact/><receipt/>"
        "<screening>eligible</screening><screening_notes/><photo>1.jpg</photo>",
    )
    envelope, files = encrypt_submission(
        crypto.public_key_base64(), FORM, instance, clear, {"1.jpg": jpeg()}
    )
    response = phone(cast["field"]).submit(envelope, files)
    assert response.status_code == 201, response.content
    person = Person.objects.get()
    assert (person.party.code, person.screening, person.registered_by) == (
        "north",
        "eligible",
        cast["field"],
    )
    assert person.files.filter(kind=PersonFile.Kind.PHOTO).exists()
    answer = response.content.decode()
    # Collect shows the reference, never the name.
    assert person.reference is not None and person.reference in answer
    assert "Lev" not in answer
    assert Submission.objects.get().record == f"people.person:{person.pk}"
