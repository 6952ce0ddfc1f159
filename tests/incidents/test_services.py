from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from ceasefire.core.errors import Conflict, TooLarge, ValidationFailed
from ceasefire.incidents import selectors, services
from ceasefire.incidents.models import Evidence, Incident
from ceasefire.ledger import sealing
from ceasefire.ledger import services as ledger
from ceasefire.ledger.models import LogEntry
from ceasefire.places.models import Place
from tests.incidents.factories import JPEG, PDF, incident
from tests.positions.factories import officer, place

pytestmark = pytest.mark.django_db


def body(index: int | None) -> dict[str, object]:
    assert index is not None
    loaded: dict[str, object] = json.loads(bytes(LogEntry.objects.get(index=index).body))
    return loaded


class TestReport:
    def test_a_report_is_logged_with_its_source_sealed(self) -> None:
        reported = incident()
        entry = body(reported.log_index)
        assert entry["fields"]["kind"] == "small_arms_fire"  # type: ignore[index]
        assert set(entry["sealed"]) == {"description", "source"}  # type: ignore[call-overload]
        assert "Shepherd" not in json.dumps(entry)
        assert reported.verification == "reported"

    def test_a_place_gives_its_coordinates(self) -> None:
        checkpoint = place(Place.Kind.CHECKPOINT)
        reported = services.incident_report(
            occurred_at=timezone.now(),
            kind="movement_restriction",
            description="Road blocked",
            source="Driver",
            place=checkpoint,
            by=officer(),
        )
        assert reported.lat_microdeg == checkpoint.lat_microdeg

    def test_no_place_and_no_coordinates_is_refused(self) -> None:
        with pytest.raises(ValidationFailed, match="coordinates"):
            services.incident_report(
                occurred_at=timezone.now(),
                kind="shelling",
                description="x",
                source="y",
                by=officer(),
            )
        assert not Incident.objects.exists()

    def test_an_unknown_type_is_refused_and_writes_nothing(self) -> None:
        with pytest.raises(ValidationFailed) as caught:
            services.incident_report(
                occurred_at=timezone.now() - timedelta(hours=1),
                kind="rumour",
                description="x",
                source="y",
                lat_microdeg=0,
                lon_microdeg=0,
                by=officer(),
            )
        assert "kind" in caught.value.fields
        assert not LogEntry.objects.filter(entry_type="incidents.report/1").exists()


class TestVerification:
    def test_an_incident_goes_through_verification(self) -> None:
        reported = incident()
        services.incident_verify(incident=reported, status="under_verification", by=officer())
        update = services.incident_verify(
            incident=reported, status="confirmed", note="Craters seen", by=officer()
        )
        reported.refresh_from_db()
        assert reported.verification == "confirmed"
        assert body(update.log_index)["fields"]["status"] == "confirmed"  # type: ignore[index]
        assert [u.status for u in selectors.updates(reported)] == [
            "under_verification",
            "confirmed",
        ]

    def test_nothing_is_confirmed_before_it_is_verified(self) -> None:
        reported = incident()
        with pytest.raises(Conflict, match="reported cannot become confirmed"):
            services.incident_verify(incident=reported, status="confirmed", by=officer())
        reported.refresh_from_db()
        assert reported.verification == "reported"
        assert not reported.updates.exists()

    def test_a_duplicate_names_the_original_and_stays_a_duplicate(self) -> None:
        original, repeat = incident(), incident()
        with pytest.raises(ValidationFailed, match="Name the incident"):
            services.incident_verify(incident=repeat, status="duplicate", by=officer())
        services.incident_verify(
            incident=repeat, status="duplicate", duplicate_of=original, by=officer()
        )
        repeat.refresh_from_db()
        assert repeat.duplicate_of == original
        with pytest.raises(Conflict):
            services.incident_verify(incident=repeat, status="under_verification", by=officer())

    def test_an_incident_cannot_repeat_itself(self) -> None:
        reported = incident()
        with pytest.raises(ValidationFailed, match="itself"):
            services.incident_verify(
                incident=reported, status="duplicate", duplicate_of=reported, by=officer()
            )

    def test_counts_by_status_follow_the_cut_off(self) -> None:
        reported = incident(hours_ago=48)
        incident(hours_ago=30)
        services.incident_verify(incident=reported, status="not_confirmed", by=officer())
        assert selectors.verification_counts(cutoff=timezone.now()) == {
            "not_confirmed": 1,
            "reported": 1,
        }
        assert selectors.verification_counts(cutoff=timezone.now() - timedelta(hours=40)) == {
            "reported": 1
        }


class TestEvidence:
    def test_a_photo_is_stored_under_a_generated_name_and_its_hash_sealed(self) -> None:
        reported = incident()
        evidence = services.evidence_add(
            incident=reported,
            upload=io.BytesIO(JPEG),
            original_name="../../etc/passwd.jpg",
            by=officer(),
        )
        digest = hashlib.sha256(JPEG).hexdigest()
        assert evidence.sha256 == digest
        assert evidence.kind == "photo"
        assert "passwd" not in evidence.file.name
        assert evidence.file.name.startswith("evidence/")
        with default_storage.open(evidence.file.name) as stored:
            assert stored.read() == JPEG
        assert evidence.log_index is not None
        entry = LogEntry.objects.get(index=evidence.log_index)
        assert digest not in bytes(entry.body).decode()
        opening = ledger.opening_for(entry.index, "sha256")
        assert opening.value == digest
        sealing.check_opening(opening, bytes(entry.body))

    def test_a_pdf_is_a_document(self) -> None:
        evidence = services.evidence_add(
            incident=incident(), upload=io.BytesIO(PDF), original_name="report.pdf", by=officer()
        )
        assert evidence.kind == "document"

    def test_a_file_of_another_kind_is_refused_and_nothing_is_stored(self) -> None:
        with pytest.raises(ValidationFailed, match="JPEG or PNG"):
            services.evidence_add(
                incident=incident(),
                upload=io.BytesIO(b"MZ\x90\x00"),
                original_name="a.jpg",
                by=officer(),
            )
        assert not Evidence.objects.exists()
        assert not default_storage.exists("evidence")

    def test_a_file_over_the_limit_is_refused(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(services, "EVIDENCE_MAX_BYTES", 10)
        with pytest.raises(TooLarge):
            services.evidence_add(
                incident=incident(), upload=io.BytesIO(JPEG), original_name="a.jpg", by=officer()
            )
        assert not Evidence.objects.exists()

    def test_the_same_file_is_attached_once(self) -> None:
        reported = incident()
        services.evidence_add(
            incident=reported, upload=io.BytesIO(JPEG), original_name="a.jpg", by=officer()
        )
        with pytest.raises(Conflict, match="already attached"):
            services.evidence_add(
                incident=reported, upload=io.BytesIO(JPEG), original_name="b.jpg", by=officer()
            )
