from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ceasefire.accounts.models import User
from ceasefire.ledger.models import LogEntry
from ceasefire.positions.models import Position, PositionEvent
from tests import factories
from tests.positions.factories import days_ago, place, position, vacate
from tests.scoping import assert_party_scoped

pytestmark = pytest.mark.django_db

ClientAs = Callable[[str], Client]


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def payload(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": "hill-412",
        "name": "Hill 412",
        "lat_microdeg": -49_370_000,
        "lon_microdeg": 69_720_000,
        "party": "north",
        "sector": place(code="sector-west").code,
        "held_since": days_ago(5).isoformat(),
    }
    return values | overrides


class TestPositions:
    def test_the_list_shows_current_statuses_and_filters(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        vacate(position(factories.party("north"), code="hill-1"))
        position(factories.party("south"), code="hill-2")
        field = client_as("field")
        items = field.get("/api/positions").json()["items"]
        assert {(p["code"], p["status"], p["party"]) for p in items} == {
            ("hill-1", "vacated", "north"),
            ("hill-2", "held", "south"),
        }
        held = field.get("/api/positions?status=held").json()["items"]
        assert [p["code"] for p in held] == ["hill-2"]
        assert [p["code"] for p in field.get("/api/positions?party=north").json()["items"]] == [
            "hill-1"
        ]
        detail = field.get("/api/positions/hill-1").json()
        assert detail["lat_microdeg"] == -49_370_000

    def test_a_field_officer_records_a_position(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        response = post(client_as("field"), "/api/positions", payload())
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["code"], data["status"], data["sector"]) == ("hill-412", "held", "sector-west")
        types = list(LogEntry.objects.values_list("entry_type", flat=True))
        assert types[-2:] == ["positions.position/1", "positions.status/1"]

    def test_bad_input_answers_400_by_field_and_writes_nothing(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        entries = LogEntry.objects.count()
        field = client_as("field")
        response = post(field, "/api/positions", payload(lat_microdeg="north", held_since=None))
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert set(error["fields"]) == {"lat_microdeg", "held_since"}
        out_of_range = post(field, "/api/positions", payload(lat_microdeg=95_000_000))
        assert out_of_range.status_code == 400
        assert "lat_microdeg" in out_of_range.json()["error"]["fields"]
        assert post(field, "/api/positions", payload(party="nobody")).status_code == 404
        assert not Position.objects.exists()
        assert LogEntry.objects.count() == entries

    def test_a_liaison_gets_404_for_another_partys_position(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        position(factories.party("north"), code="hill-n")
        position(factories.party("south"), code="hill-s")
        listing = client_as("liaison_north").get("/api/positions").json()["items"]
        assert [p["code"] for p in listing] == ["hill-n"]
        assert_party_scoped(client_as, "/api/positions/hill-n", missing_url="/api/positions/hill-x")
        assert_party_scoped(client_as, "/api/positions/hill-n/events")


class TestEvents:
    def test_a_withdrawal_is_recorded_and_confirmed_by_the_holding_partys_liaison(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        target = position(factories.party("north"), code="hill-1")
        recorded = post(
            client_as("field"),
            "/api/positions/hill-1/events",
            {"kind": "vacated", "occurred_at": days_ago(1).isoformat(), "verified_by": "Lund"},
        )
        assert recorded.status_code == 201, recorded.content
        event_id = recorded.json()["id"]
        url = f"/api/positions/hill-1/events/{event_id}/confirm"
        assert client_as("liaison_south").post(url).status_code == 404
        confirmed = client_as("liaison_north").post(url)
        assert confirmed.status_code == 200, confirmed.content
        assert confirmed.json()["confirmed_at"] is not None
        events = client_as("field").get("/api/positions/hill-1/events").json()
        assert [e["status"] for e in events] == ["held", "vacated"]
        assert target.events.count() == 2

    def test_an_impossible_transition_answers_409_and_writes_nothing(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        position(code="hill-1")
        response = post(
            client_as("field"),
            "/api/positions/hill-1/events",
            {"kind": "taken_over", "occurred_at": days_ago(1).isoformat(), "unit": "Team A"},
        )
        assert response.status_code == 409
        assert response.json()["error"]["fields"] == {
            "kind": ["A position that is held cannot be recorded as taken over by the mission."]
        }
        assert PositionEvent.objects.count() == 1
