from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.incidents.models import Evidence, Incident
from ceasefire.ledger.models import LogEntry
from tests import factories
from tests.incidents.factories import JPEG, incident
from tests.scoping import assert_party_scoped

pytestmark = pytest.mark.django_db

ClientAs = Callable[[str], Client]


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def payload(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "occurred_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "kind": "shelling",
        "description": "Two rounds landed near the ford.",
        "source": "Mission patrol",
        "lat_microdeg": -49_380_000,
        "lon_microdeg": 69_740_000,
        "alleged_party": "south",
    }
    return values | overrides


class TestIncidents:
    def test_a_field_officer_reports_an_incident(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        response = post(client_as("field"), "/api/incidents", payload())
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["kind"], data["verification"], data["alleged_party"]) == (
            "shelling",
            "reported",
            "south",
        )
        assert LogEntry.objects.get(index=data["log_index"]).entry_type == "incidents.report/1"

    def test_the_list_filters_by_type_status_and_party(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        north = incident(factories.party("north"))
        south = incident(factories.party("south"))
        field = client_as("field")
        post(field, f"/api/incidents/{south.pk}/verification", {"status": "under_verification"})
        assert field.get("/api/incidents").json()["count"] == 2

        def ids(query: str) -> list[int]:
            return [i["id"] for i in field.get(f"/api/incidents?{query}").json()["items"]]

        assert ids("party=north") == [north.pk]
        assert ids("verification=under_verification") == [south.pk]
        assert ids("kind=shelling") == []
        assert field.get(f"/api/incidents/{north.pk}").json()["verification"] == "reported"

    def test_bad_input_answers_400_by_field_and_writes_nothing(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        entries = LogEntry.objects.count()
        field = client_as("field")
        response = post(field, "/api/incidents", payload(occurred_at="soon", description=None))
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert set(error["fields"]) == {"occurred_at", "description"}
        unknown = post(field, "/api/incidents", payload(kind="rumour"))
        assert unknown.status_code == 400
        assert set(unknown.json()["error"]["fields"]) == {"kind"}
        nowhere = post(field, "/api/incidents", payload(lat_microdeg=None, lon_microdeg=None))
        assert nowhere.status_code == 400
        assert set(nowhere.json()["error"]["fields"]) == {"lat_microdeg"}
        assert not Incident.objects.exists()
        assert LogEntry.objects.count() == entries

    def test_an_impossible_verification_step_answers_409(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        target = incident()
        response = post(
            client_as("analyst"),
            f"/api/incidents/{target.pk}/verification",
            {"status": "confirmed"},
        )
        assert response.status_code == 409
        assert response.json()["error"]["fields"] == {
            "status": ["An incident that is reported cannot become confirmed."]
        }
        assert not target.updates.exists()

    def test_a_liaison_gets_404_for_an_incident_alleged_against_another_party(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        north = incident(factories.party("north"))
        incident(factories.party("south"))
        unattributed = incident()
        seen = client_as("liaison_north").get("/api/incidents").json()["items"]
        assert {i["id"] for i in seen} == {north.pk, unattributed.pk}
        assert_party_scoped(
            client_as, f"/api/incidents/{north.pk}", missing_url="/api/incidents/999999"
        )
        assert_party_scoped(client_as, f"/api/incidents/{north.pk}/evidence")


class TestEvidence:
    def test_a_photo_is_attached_with_its_sha256(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        target = incident()
        field = client_as("field")
        upload = SimpleUploadedFile("ridge.jpg", JPEG, content_type="image/jpeg")
        response = field.post(f"/api/incidents/{target.pk}/evidence", {"file": upload})
        assert response.status_code == 201, response.content
        assert response.json()["sha256"] == hashlib.sha256(JPEG).hexdigest()
        listed = field.get(f"/api/incidents/{target.pk}/evidence").json()
        assert [e["kind"] for e in listed] == ["photo"]

    def test_a_file_of_another_kind_answers_400_and_stores_nothing(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        target = incident()
        upload = SimpleUploadedFile("notes.txt", b"just text", content_type="image/jpeg")
        response = client_as("field").post(f"/api/incidents/{target.pk}/evidence", {"file": upload})
        assert response.status_code == 400
        assert set(response.json()["error"]["fields"]) == {"file"}
        assert not Evidence.objects.exists()
