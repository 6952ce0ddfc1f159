"""The exact HTTP exchange of ODK Collect against the real views."""

from __future__ import annotations

import hashlib
import re

import pytest
from defusedxml.ElementTree import fromstring
from django.db import OperationalError
from django.test import Client

from ceasefire.accounts.models import User
from ceasefire.audit.models import AuditEvent
from ceasefire.convoys.models import CrossingCount
from ceasefire.fieldsync import services
from ceasefire.fieldsync.forms import FORMS
from ceasefire.fieldsync.models import Attachment, Device, Status, Submission
from ceasefire.registry.models import Item, Receipt
from tests.factories import PASSWORD
from tests.fieldsync.collect import DEVICE_ID, Collect, basic, new_instance_id
from tests.fieldsync.factories import crossings_xml, handover_xml, jpeg, phone

pytestmark = pytest.mark.django_db

NS = {
    "x": "http://openrosa.org/xforms/xformsList",
    "m": "http://openrosa.org/xforms/xformsManifest",
}


def message_of(response: object) -> str:
    body = fromstring(response.content)  # type: ignore[attr-defined]
    return "".join(body.itertext())


def assert_openrosa(response: object, status: int) -> None:
    assert response.status_code == status, response.content  # type: ignore[attr-defined]
    assert response["X-OpenRosa-Version"] == "1.0"  # type: ignore[index]
    assert response["Date"]  # type: ignore[index]


class TestFormList:
    def test_lists_every_form_with_every_field_collect_requires(
        self, cast: dict[str, User]
    ) -> None:
        collect = phone(cast["field"])
        response = collect.get("formList")
        assert_openrosa(response, 200)
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        forms = fromstring(response.content).findall("x:xform", NS)
        assert [f.findtext("x:formID", namespaces=NS) for f in forms] == list(FORMS)
        for entry in forms:
            for tag in ("formID", "name", "version", "hash", "downloadUrl"):
                assert entry.findtext(f"x:{tag}", namespaces=NS), tag
            # A manifest exactly where the form has media files.
            has_media = bool(FORMS[entry.findtext("x:formID", namespaces=NS) or ""].media)
            assert (entry.find("x:manifestUrl", NS) is not None) == has_media
            download = collect.get(entry.findtext("x:downloadUrl", namespaces=NS))
            assert_openrosa(download, 200)
            digest = hashlib.md5(download.content).hexdigest()
            assert entry.findtext("x:hash", namespaces=NS) == f"md5:{digest}"
            assert download.content.startswith(b"<?xml")

    def test_urls_keep_the_device_token(self, cast: dict[str, User]) -> None:
        collect = phone(cast["field"])
        body = collect.get("formList").content.decode()
        token = collect.server.rsplit("/", 1)[1]
        urls = re.findall(r"<downloadUrl>([^<]+)</downloadUrl>", body)
        assert urls and all(f"/fieldsync/t/{token}/forms/" in url for url in urls)

    def test_manifest_serves_the_current_weapons_reference_table(
        self, cast: dict[str, User]
    ) -> None:
        collect = phone(cast["field"])
        manifest = collect.get("forms/weapon_handover/manifest")
        assert_openrosa(manifest, 200)
        files = {
            f.findtext("m:filename", namespaces=NS): f
            for f in fromstring(manifest.content).findall("m:mediaFile", NS)
        }
        assert set(files) == set(FORMS["weapon_handover"].media)
        weapons = files["weapons.csv"]
        csv = collect.get(weapons.findtext("m:downloadUrl", namespaces=NS))
        assert_openrosa(csv, 200)
        assert weapons.findtext("m:hash", namespaces=NS) == (
            "md5:" + hashlib.md5(csv.content).hexdigest()
        )
        lines = csv.content.decode().splitlines()
        assert lines[0] == "name,label,category"
        assert any("Kalashnikov AKM (7.62×39 mm),assault_rifle" in line for line in lines)

    def test_the_device_id_is_kept_with_the_phone(self, cast: dict[str, User]) -> None:
        phone(cast["field"]).get("formList")
        assert Device.objects.get().collect_id == DEVICE_ID


class TestAuthentication:
    def test_a_revoked_token_gets_401_with_a_challenge(self, cast: dict[str, User]) -> None:
        collect = phone(cast["field"])
        Device.objects.update(revoked_at="2026-01-01T00:00:00Z")
        response = collect.get("formList")
        assert_openrosa(response, 401)
        assert response["WWW-Authenticate"].startswith("Basic ")
        assert "QR code" in message_of(response)

    def test_a_deactivated_officer_gets_401(self, cast: dict[str, User]) -> None:
        collect = phone(cast["field"])
        User.objects.filter(username="field").update(is_active=False)
        assert_openrosa(collect.head_submission(), 401)

    def test_an_officer_no_longer_in_the_field_gets_401(self, cast: dict[str, User]) -> None:
        collect = phone(cast["field"])
        cast["field"].grants.all().delete()
        assert_openrosa(collect.head_submission(), 401)

    def test_the_phone_is_its_officers_and_its_use_is_noted(self, cast: dict[str, User]) -> None:
        collect = phone(cast["field"])
        assert_openrosa(collect.head_submission(), 204)
        device = Device.objects.get()
        assert device.last_used_at is not None and device.last_used_at.tzinfo is not None
        # The token reads back the device and its officer as the ORM does.
        raw = collect.server.rsplit("/", 1)[1]
        found = services.device_authenticate(raw)
        assert found is not None
        assert (found.pk, found.name, found.last_used_at) == (
            device.pk,
            device.name,
            device.last_used_at,
        )
        assert found.user == cast["field"] and found.user.username == "field"
        assert found.user.date_joined == cast["field"].date_joined

    def test_a_made_up_token_gets_401(self, db: None) -> None:
        response = Collect(server="http://testserver/fieldsync/t/cfd_guess").head_submission()
        assert_openrosa(response, 401)

    def test_basic_credentials_work_over_https(self, cast: dict[str, User]) -> None:
        collect = Collect(
            server="https://testserver/fieldsync", secure=True, auth=basic("field", PASSWORD)
        )
        assert_openrosa(collect.get("formList"), 200)

    def test_a_wrong_password_gets_401(self, cast: dict[str, User]) -> None:
        collect = Collect(
            server="https://testserver/fieldsync", secure=True, auth=basic("field", "wrong")
        )
        response = collect.get("formList")
        assert_openrosa(response, 401)
        assert response["WWW-Authenticate"] == 'Basic realm="Ceasefire", charset="UTF-8"'

    def test_no_credentials_get_a_challenge_over_https(self, cast: dict[str, User]) -> None:
        collect = Collect(server="https://testserver/fieldsync", secure=True)
        assert_openrosa(collect.head_submission(), 401)

    def test_passwords_are_refused_over_plain_http(self, cast: dict[str, User]) -> None:
        collect = Collect(server="http://testserver/fieldsync", auth=basic("field", PASSWORD))
        response = collect.get("formList")
        assert_openrosa(response, 401)
        assert "HTTPS" in message_of(response)

    def test_an_analyst_may_not_send_forms(self, cast: dict[str, User]) -> None:
        collect = Collect(
            server="https://testserver/fieldsync", secure=True, auth=basic("analyst", PASSWORD)
        )
        assert_openrosa(collect.get("formList"), 401)


class TestSubmission:
    def test_head_answers_204_with_the_size_limit(self, cast: dict[str, User]) -> None:
        response = phone(cast["field"]).head_submission()
        assert_openrosa(response, 204)
        assert int(response["X-OpenRosa-Accept-Content-Length"]) > 10_000_000

    def test_a_submission_is_recorded_through_its_service(self, cast: dict[str, User]) -> None:
        instance = new_instance_id()
        response = phone(cast["field"]).submit(crossings_xml(instance))
        assert_openrosa(response, 201)
        assert message_of(response) == "Crossing counts recorded."
        count = CrossingCount.objects.get()
        assert (count.men, count.disabled, count.recorded_by) == (12, 1, cast["field"])
        stored = Submission.objects.get()
        assert (stored.status, stored.collect_id, stored.instance_id) == (
            Status.ACCEPTED,
            DEVICE_ID,
            instance,
        )
        assert stored.record == f"convoys.crossing:{count.pk}"

    def test_the_audit_trail_names_the_phones_officer(self, cast: dict[str, User]) -> None:
        phone(cast["field"]).submit(crossings_xml(new_instance_id()))
        event = AuditEvent.objects.get(route="fieldsync:device_submission")
        assert (event.user, event.method, event.status) == (cast["field"], "POST", 201)

    def test_a_handover_with_photos_is_one_receipt(self, cast: dict[str, User]) -> None:
        instance = new_instance_id()
        media = {"1736935800123.jpg": jpeg("red"), "1736935855456.jpg": jpeg("blue")}
        response = phone(cast["field"]).submit(handover_xml(instance, photos=tuple(media)), media)
        assert_openrosa(response, 201)
        receipt = Receipt.objects.get()
        assert receipt.number in message_of(response)
        assert Item.objects.filter(receipt=receipt).count() == 2
        assert sorted(Attachment.objects.values_list("name", flat=True)) == sorted(media)

    def test_a_split_submission_is_merged_into_one(self, cast: dict[str, User]) -> None:
        collect = phone(cast["field"])
        instance = new_instance_id()
        media = {"1736935800123.jpg": jpeg("red"), "1736935855456.jpg": jpeg("blue")}
        xml = handover_xml(instance, photos=tuple(media))
        first = collect.submit(
            xml, {"1736935800123.jpg": media["1736935800123.jpg"]}, incomplete=True
        )
        assert_openrosa(first, 201)
        assert Receipt.objects.count() == 0
        assert Submission.objects.get().status == Status.INCOMPLETE
        last = collect.submit(xml, {"1736935855456.jpg": media["1736935855456.jpg"]})
        assert_openrosa(last, 201)
        assert Receipt.objects.count() == 1
        submission = Submission.objects.get()
        assert submission.status == Status.ACCEPTED
        assert submission.files.count() == 2

    def test_the_same_submission_twice_is_acknowledged_once(self, cast: dict[str, User]) -> None:
        collect = phone(cast["field"])
        xml = crossings_xml(new_instance_id())
        assert_openrosa(collect.submit(xml), 201)
        again = collect.submit(xml)
        assert_openrosa(again, 202)
        assert "Already received" in message_of(again)
        assert (Submission.objects.count(), CrossingCount.objects.count()) == (1, 1)

    def test_the_same_instance_id_with_other_data_is_a_conflict(
        self, cast: dict[str, User]
    ) -> None:
        collect = phone(cast["field"])
        instance = new_instance_id()
        assert_openrosa(collect.submit(crossings_xml(instance)), 201)
        conflict = collect.submit(crossings_xml(instance, men=13))
        assert_openrosa(conflict, 409)
        assert "new one" in message_of(conflict)
        assert CrossingCount.objects.get().men == 12

    def test_a_refused_submission_is_kept_in_quarantine(self, cast: dict[str, User]) -> None:
        response = phone(cast["field"]).submit(crossings_xml(new_instance_id(), disabled=99))
        assert_openrosa(response, 201)
        assert "analyst" in message_of(response)
        stored = Submission.objects.get()
        assert stored.status == Status.QUARANTINED
        assert "disabilities" in stored.reason
        assert CrossingCount.objects.count() == 0

    def test_an_impossible_date_is_quarantined_not_a_crash(self, cast: dict[str, User]) -> None:
        xml = re.sub(rb"<day>[^<]*", b"<day>2026-02-30", crossings_xml(new_instance_id()))
        assert_openrosa(phone(cast["field"]).submit(xml), 201)
        assert Submission.objects.get().reason == "day is not a date."

    def test_a_form_without_a_handler_waits_as_not_yet_supported(
        self, cast: dict[str, User]
    ) -> None:
        from tests.fieldsync.collect import instance_xml

        xml = instance_xml("a_retired_form", new_instance_id(), "<count>3</count>")
        assert_openrosa(phone(cast["field"]).submit(xml), 201)
        assert Submission.objects.get().reason == "not yet supported"

    def test_a_post_without_the_xml_part_is_refused(self, cast: dict[str, User]) -> None:
        collect = phone(cast["field"])
        response = collect.client.post(f"{collect.server}/submission", {"a.jpg": b"x"})
        assert_openrosa(response, 400)
        assert "xml_submission_file" in message_of(response)

    @pytest.mark.parametrize(
        "xml",
        [
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
            b'&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><data id="x">'
            b"&c;</data>",
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<data id="x">&e;</data>',
            b"<data id=",
        ],
        ids=["xml-bomb", "external-entity", "broken"],
    )
    def test_hostile_or_broken_xml_is_a_400(self, cast: dict[str, User], xml: bytes) -> None:
        response = phone(cast["field"]).submit(xml)
        assert_openrosa(response, 400)
        assert Submission.objects.count() == 0

    def test_get_on_the_submission_url_is_405(self, cast: dict[str, User]) -> None:
        assert_openrosa(phone(cast["field"]).get("submission"), 405)

    def test_a_crash_mid_write_leaves_nothing_and_a_resend_is_accepted(
        self, cast: dict[str, User], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from ceasefire.convoys import services as convoys

        real = convoys.crossing_record

        def crash(**kwargs: object) -> object:
            real(**kwargs)  # type: ignore[arg-type]
            raise RuntimeError("power cut")

        monkeypatch.setattr(convoys, "crossing_record", crash)
        collect = phone(cast["field"])
        xml = crossings_xml(new_instance_id())
        failed = collect.submit(xml)
        # Collect shows the message to the officer and keeps the form as unsent.
        assert_openrosa(failed, 500)
        assert "still on your phone" in message_of(failed)
        assert (Submission.objects.count(), CrossingCount.objects.count()) == (0, 0)
        monkeypatch.setattr(convoys, "crossing_record", real)
        assert_openrosa(collect.submit(xml), 201)
        assert (Submission.objects.count(), CrossingCount.objects.count()) == (1, 1)

    def test_a_busy_database_asks_the_phone_to_send_again_later(
        self,
        cast: dict[str, User],
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        def locked(**kwargs: object) -> object:
            raise OperationalError("database is locked")

        monkeypatch.setattr(services, "submission_receive", locked)
        collect = phone(cast["field"])
        response = collect.submit(crossings_xml(new_instance_id()))
        assert_openrosa(response, 503)
        assert response["Retry-After"] == "60"
        assert "send it again in a minute" in message_of(response)
        # The failure is logged for the operator by route: the path holds the phone's key.
        (logged,) = [r for r in caplog.records if r.name == "ceasefire.fieldsync.openrosa"]
        token = collect.server.rsplit("/", 1)[1]
        assert "fieldsync:device_submission" in logged.getMessage()
        assert token not in logged.getMessage() and "database is locked" in caplog.text
        # Its audit record stands; the request kept nothing else.
        event = AuditEvent.objects.get(route="fieldsync:device_submission")
        assert (event.status, event.user) == (503, cast["field"])
        assert Submission.objects.count() == 0


def test_every_answer_carries_the_openrosa_header(cast: dict[str, User]) -> None:
    response = Client().get("/fieldsync/t/nope/forms/nope.xml")
    assert_openrosa(response, 401)
