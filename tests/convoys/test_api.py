from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.convoys import services
from ceasefire.convoys.models import Convoy, CrossingCount
from ceasefire.ledger.models import LogEntry
from ceasefire.places.models import Place
from tests.convoys.factories import convoy, on_the_road
from tests.positions.factories import officer, place

pytestmark = pytest.mark.django_db

ClientAs = Callable[[str], Client]


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data or {}, content_type="application/json")


def payload(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "reference": "hc-100",
        "organisation": "Relief Without Borders",
        "origin": place(Place.Kind.STORAGE_CENTRE, code="depot").code,
        "destination": place(Place.Kind.SETTLEMENT, code="town").code,
        "route": [place(Place.Kind.CHECKPOINT, code="bridge").code],
        "vehicles": 3,
        "planned_departure": (timezone.now() + timedelta(days=3)).isoformat(),
        "lines": [{"item": "Wheat flour", "unit": "kg", "quantity": 20_000}],
    }
    return values | overrides


def crossing(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "checkpoint": place(Place.Kind.CHECKPOINT, code="bridge").code,
        "day": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "direction": "inbound",
        "men": 10,
        "women": 12,
        "children": 8,
        "elderly": 3,
        "disabled": 2,
        "vehicles": 4,
    }
    return values | overrides


class TestConvoys:
    def test_a_field_officer_records_a_convoy_and_notifies_the_parties(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        field = client_as("field")
        response = post(field, "/api/convoys", payload())
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["status"], data["route"], data["unreconciled"]) == (
            "planned",
            ["bridge"],
            False,
        )
        assert data["lines"][0]["quantity"] == 20_000
        notified = post(field, "/api/convoys/hc-100/notifications")
        assert notified.status_code == 201, notified.content
        assert {n["party"] for n in notified.json()} == {"north", "south"}
        acknowledged = post(client_as("liaison_north"), "/api/convoys/hc-100/acknowledgement")
        assert acknowledged.status_code == 200, acknowledged.content
        assert acknowledged.json()["acknowledged_at"] is not None

    def test_the_list_filters_by_status_and_flags_unreconciled_convoys(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        convoy()
        arrived = on_the_road()
        first, second = arrived.lines.order_by("pk")
        services.convoy_arrive(
            convoy=arrived,
            arrived_at=timezone.now(),
            received={first.pk: (19_000, 0), second.pk: (5_000, 0)},
            by=officer(),
        )
        field = client_as("field")
        assert field.get("/api/convoys").json()["count"] == 2
        planned = field.get("/api/convoys?status=planned").json()["items"]
        assert [c["status"] for c in planned] == ["planned"]
        flagged = field.get("/api/convoys?flagged=true").json()["items"]
        assert [c["reference"] for c in flagged] == [arrived.reference]
        lost = post(
            field,
            f"/api/convoys/{arrived.reference}/losses",
            {"line": first.pk, "quantity": 1_000, "reason": "Sacks torn"},
        )
        assert lost.status_code == 201, lost.content
        assert lost.json()["unreconciled"] is False
        assert field.get("/api/convoys?flagged=true").json()["count"] == 0

    def test_bad_input_answers_400_by_field_and_writes_nothing(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        entries = LogEntry.objects.count()
        field = client_as("field")
        response = post(field, "/api/convoys", payload(vehicles="many", lines=[{"item": "x"}]))
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert set(error["fields"]) == {"vehicles", "lines.0.unit", "lines.0.quantity"}
        refused = post(field, "/api/convoys", payload(route=["depot"]))
        assert refused.status_code == 400
        assert refused.json()["error"]["fields"] == {
            "route": ["The route passes checkpoints only."]
        }
        assert not Convoy.objects.exists()
        assert LogEntry.objects.count() == entries

    def test_a_liaison_gets_404_for_a_convoy_their_party_was_not_notified_of(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        shown = convoy()
        services.convoy_notify(convoy=shown, by=officer())
        hidden = convoy()
        north = client_as("liaison_north")
        assert [c["reference"] for c in north.get("/api/convoys").json()["items"]] == [
            shown.reference
        ]
        assert north.get(f"/api/convoys/{hidden.reference}").status_code == 404
        assert north.get(f"/api/convoys/{hidden.reference}/movements").status_code == 404
        assert post(north, f"/api/convoys/{hidden.reference}/acknowledgement").status_code == 404

    def test_a_liaison_sees_movements_only_once_the_convoy_is_off_the_road(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        target = convoy(departure=timezone.now() - timedelta(hours=5))
        services.convoy_notify(convoy=target, by=officer())
        services.convoy_depart(
            convoy=target, departed_at=timezone.now() - timedelta(hours=4), by=officer()
        )
        url = f"/api/convoys/{target.reference}/movements"
        assert [m["kind"] for m in client_as("field").get(url).json()] == ["departed"]
        assert client_as("liaison_north").get(url).json() == []


class TestCrossings:
    def test_a_field_officer_records_a_days_crossings_and_lists_them(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        field = client_as("field")
        response = post(field, "/api/crossings", crossing())
        assert response.status_code == 201, response.content
        assert response.json()["children"] == 8
        post(field, "/api/crossings", crossing(direction="outbound"))
        listing = field.get("/api/crossings?checkpoint=bridge").json()
        assert listing["count"] == 2
        assert field.get("/api/crossings?checkpoint=elsewhere").json()["count"] == 0

    def test_bad_counts_answer_400_and_write_nothing(
        self, cast: dict[str, User], client_as: ClientAs
    ) -> None:
        field = client_as("field")
        response = post(field, "/api/crossings", crossing(day="yesterday"))
        assert response.status_code == 400
        assert set(response.json()["error"]["fields"]) == {"day"}
        negative = post(field, "/api/crossings", crossing(men=-1))
        assert negative.status_code == 400
        assert set(negative.json()["error"]["fields"]) == {"men"}
        too_many = post(field, "/api/crossings", crossing(disabled=100))
        assert too_many.status_code == 400
        assert set(too_many.json()["error"]["fields"]) == {"disabled"}
        assert not CrossingCount.objects.exists()
