"""The pages: an officer's phones (QR code, token shown once, revoke) and the quarantine."""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable
from typing import Any

import pytest
import segno
from django.core.files.storage import default_storage
from django.test import Client

from ceasefire.accounts.models import User
from ceasefire.accounts.roles import Role
from ceasefire.convoys.models import CrossingCount
from ceasefire.fieldsync import crypto
from ceasefire.fieldsync.models import Device, Status, Submission
from ceasefire.people.models import Person
from tests import factories
from tests.fieldsync.collect import Collect, encrypt_submission, instance_xml, new_instance_id
from tests.fieldsync.factories import crossings_xml, phone

pytestmark = pytest.mark.django_db
ClientAs = Callable[[str], Client]
REGISTRATION = "demobilization_registration"


def registration_xml(instance: str, *, birth_date: str = "") -> bytes:
    return instance_xml(
        REGISTRATION,
        instance,
        f"<full_name>Lev Arstan</full_name><birth_date>{birth_date}</birth_date>"
        "<party>north</party><unit>3rd Company</unit><screening>eligible</screening>",
    )


def quarantined_crossings(officer: User) -> Submission:
    phone(officer).submit(crossings_xml(new_instance_id(), disabled=99))
    return Submission.objects.get(form_id="corridor_crossings", status=Status.QUARANTINED)


def quarantined_registration(officer: User) -> tuple[Submission, str]:
    """An encrypted registration refused for its missing date of birth; and its instance ID."""
    instance = new_instance_id()
    envelope, files = encrypt_submission(
        crypto.public_key_base64(), REGISTRATION, instance, registration_xml(instance), {}
    )
    phone(officer).submit(envelope, files)
    return Submission.objects.get(form_id=REGISTRATION), instance


class TestPhones:
    def test_a_new_phone_gets_a_qr_code_in_collects_settings_format(
        self, client_as: ClientAs, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        encoded: list[str] = []
        real = segno.make

        def capture(content: str, **kwargs: Any) -> Any:
            encoded.append(content)
            return real(content, **kwargs)

        monkeypatch.setattr(segno, "make", capture)
        response = client_as("field").post("/fieldsync/phones/", {"name": "Blue Samsung"})
        assert response.status_code == 200
        assert 'src="data:image/svg+xml' in response.content.decode()
        # Collect's settings QR: the settings JSON, zlib-compressed, base64-encoded.
        settings = json.loads(zlib.decompress(base64.b64decode(encoded[0])))
        general = settings["general"]
        assert general["username"] == "field"
        assert general["server_url"] in response.content.decode()
        assert settings["admin"] == {"change_server": False}
        # The URL it carries is a working server for Collect.
        assert Collect(server=general["server_url"]).get("formList").status_code == 200

    def test_the_token_is_shown_once_and_stored_only_as_a_digest(self, client_as: ClientAs) -> None:
        client = client_as("field")
        created = client.post("/fieldsync/phones/", {"name": "Blue Samsung"}).content.decode()
        device = Device.objects.get()
        token = created.split("/fieldsync/t/")[1].split("<")[0]
        assert token.startswith(device.prefix) and token != device.digest
        again = client.get("/fieldsync/phones/").content.decode()
        assert "Blue Samsung" in again and token not in again

    def test_a_phone_without_a_name_is_refused_and_nothing_is_made(
        self, client_as: ClientAs
    ) -> None:
        response = client_as("field").post("/fieldsync/phones/", {"name": "   "})
        assert response.status_code == 200
        assert "data:image/svg+xml" not in response.content.decode()
        assert Device.objects.count() == 0

    def test_revoking_a_phone_stops_its_token_at_once(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        collect = phone(cast["field"])
        device = Device.objects.get()
        response = client_as("field").post(f"/fieldsync/phones/{device.pk}/revoke")
        assert response.status_code == 302
        assert collect.get("formList").status_code == 401

    def test_an_officer_cannot_revoke_another_officers_phone(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        other = factories.user(Role.FIELD_OFFICER, username="other-officer")
        collect = phone(other)
        device = Device.objects.get()
        response = client_as("field").post(f"/fieldsync/phones/{device.pk}/revoke")
        assert response.status_code == 404
        assert collect.get("formList").status_code == 200


class TestQuarantineList:
    def test_analysts_see_non_personal_and_protection_officers_personal_submissions(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        crossings = quarantined_crossings(cast["field"])
        registration, _instance = quarantined_registration(cast["field"])
        for reviewer, shown, hidden in (
            ("analyst", crossings, registration),
            ("protection", registration, crossings),
        ):
            page = client_as(reviewer).get("/fieldsync/quarantine/").content.decode()
            assert f"/fieldsync/quarantine/{shown.pk}/" in page
            assert f"/fieldsync/quarantine/{hidden.pk}/" not in page

    def test_an_analyst_gets_404_for_a_personal_submission(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        registration, _instance = quarantined_registration(cast["field"])
        response = client_as("analyst").get(f"/fieldsync/quarantine/{registration.pk}/")
        assert response.status_code == 404


class TestQuarantineDetail:
    def test_shows_the_form_data_and_the_reason(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        submission = quarantined_crossings(cast["field"])
        page = client_as("analyst").get(f"/fieldsync/quarantine/{submission.pk}/")
        text = page.content.decode()
        assert "disabilities" in text
        assert "&lt;disabled&gt;99&lt;/disabled&gt;" in text

    def test_a_personal_submission_is_decrypted_for_the_page_only(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        registration, _instance = quarantined_registration(cast["field"])
        page = client_as("protection").get(f"/fieldsync/quarantine/{registration.pk}/")
        assert "Lev Arstan" in page.content.decode()
        registration.refresh_from_db()
        assert b"Lev Arstan" not in bytes(registration.xml)
        assert registration.corrected_xml is None
        for attachment in registration.files.all():
            with default_storage.open(attachment.stored, "rb") as stored:
                assert b"Lev Arstan" not in stored.read()


class TestReprocess:
    def test_a_corrected_submission_is_recorded(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        submission = quarantined_crossings(cast["field"])
        corrected = bytes(submission.xml).replace(b"<disabled>99<", b"<disabled>1<")
        response = client_as("analyst").post(
            f"/fieldsync/quarantine/{submission.pk}/reprocess", {"xml": corrected.decode()}
        )
        assert response.status_code == 302
        submission.refresh_from_db()
        count = CrossingCount.objects.get()
        assert (submission.status, submission.record) == (
            Status.ACCEPTED,
            f"convoys.crossing:{count.pk}",
        )
        assert submission.reviewed_by == cast["analyst"]
        assert bytes(submission.corrected_xml or b"") == corrected

    def test_a_submission_still_refused_stays_in_quarantine(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        submission = quarantined_crossings(cast["field"])
        response = client_as("analyst").post(
            f"/fieldsync/quarantine/{submission.pk}/reprocess",
            {"xml": bytes(submission.xml).decode()},
        )
        assert response.status_code == 302
        submission.refresh_from_db()
        assert submission.status == Status.QUARANTINED
        assert CrossingCount.objects.count() == 0

    def test_a_correction_may_not_change_the_instance_id(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        submission = quarantined_crossings(cast["field"])
        other = crossings_xml(new_instance_id())
        response = client_as("analyst").post(
            f"/fieldsync/quarantine/{submission.pk}/reprocess", {"xml": other.decode()}
        )
        assert response.status_code == 400
        submission.refresh_from_db()
        assert (submission.status, submission.corrected_xml) == (Status.QUARANTINED, None)
        assert CrossingCount.objects.count() == 0

    def test_a_personal_correction_is_used_once_and_never_stored(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        registration, instance = quarantined_registration(cast["field"])
        corrected = registration_xml(instance, birth_date="1990-04-12")
        response = client_as("protection").post(
            f"/fieldsync/quarantine/{registration.pk}/reprocess", {"xml": corrected.decode()}
        )
        assert response.status_code == 302
        registration.refresh_from_db()
        person = Person.objects.get()
        assert registration.record == f"people.person:{person.pk}"
        assert registration.corrected_xml is None
        assert b"Lev Arstan" not in bytes(registration.xml)


class TestReject:
    def test_a_rejection_keeps_the_reason(self, cast: dict[str, User], client_as: ClientAs) -> None:
        submission = quarantined_crossings(cast["field"])
        response = client_as("analyst").post(
            f"/fieldsync/quarantine/{submission.pk}/reject", {"reason": "Counted twice."}
        )
        assert response.status_code == 302
        submission.refresh_from_db()
        assert (submission.status, submission.reason, submission.reviewed_by) == (
            Status.REJECTED,
            "Counted twice.",
            cast["analyst"],
        )
        listed = client_as("analyst").get("/fieldsync/quarantine/").content.decode()
        assert f"/fieldsync/quarantine/{submission.pk}/" not in listed

    def test_a_rejection_without_a_reason_is_refused(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        submission = quarantined_crossings(cast["field"])
        response = client_as("analyst").post(
            f"/fieldsync/quarantine/{submission.pk}/reject", {"reason": " "}
        )
        assert response.status_code == 400
        submission.refresh_from_db()
        assert (submission.status, submission.reviewed_by) == (Status.QUARANTINED, None)

    def test_an_analyst_cannot_reject_a_personal_submission(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        registration, _instance = quarantined_registration(cast["field"])
        response = client_as("analyst").post(
            f"/fieldsync/quarantine/{registration.pk}/reject", {"reason": "No."}
        )
        assert response.status_code == 404
        registration.refresh_from_db()
        assert registration.status == Status.QUARANTINED
