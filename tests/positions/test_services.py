from __future__ import annotations

import json

import pytest

from ceasefire.accounts.models import User
from ceasefire.core.errors import Conflict, PermissionDenied, ValidationFailed
from ceasefire.ledger import sealing
from ceasefire.ledger.models import LogEntry, SealedField
from ceasefire.places.models import Place
from ceasefire.positions import selectors, services
from ceasefire.positions.models import MissionLayer, Position, PositionEvent
from tests.positions.factories import days_ago, officer, place, position, take_over, vacate

pytestmark = pytest.mark.django_db


def entries(entry_type: str) -> list[dict[str, object]]:
    rows = LogEntry.objects.filter(entry_type=entry_type).order_by("index")
    return [json.loads(bytes(row.body)) for row in rows]


def status_of(target: Position) -> str:
    return str(selectors.position_for_user(None, target.pk).current_status)  # type: ignore[attr-defined]


class TestPositionCreate:
    def test_a_new_position_is_held_and_logged(self) -> None:
        target = position(sector=place())
        assert status_of(target) == "held"
        created = entries("positions.position/1")[0]["fields"]
        assert created["code"] == target.code  # type: ignore[index]
        assert created["lat"] == -49_370_000  # type: ignore[index]
        held = entries("positions.status/1")[0]
        assert held["fields"]["status"] == "held"  # type: ignore[index]
        assert set(held["sealed"]) == {"verified_by", "notes"}  # type: ignore[call-overload]

    def test_duplicate_code_is_refused_and_writes_nothing(self) -> None:
        position(code="hill-1")
        size = LogEntry.objects.count()
        with pytest.raises(Conflict, match="hill-1 already exists"):
            position(code="hill-1")
        assert Position.objects.count() == 1
        assert LogEntry.objects.count() == size

    def test_coordinates_off_the_earth_are_refused(self) -> None:
        with pytest.raises(ValidationFailed) as caught:
            services.position_create(
                code="far",
                name="Far",
                lat_microdeg=95_000_000,
                lon_microdeg=0,
                party=position().party,
                held_since=days_ago(1),
                by=officer(),
            )
        assert "lat_microdeg" in caught.value.fields
        assert not Position.objects.filter(code="far").exists()

    def test_a_place_that_is_not_a_sector_is_refused_as_sector(self) -> None:
        with pytest.raises(ValidationFailed, match="sector"):
            position(sector=place(Place.Kind.CHECKPOINT))


class TestStatusTransitions:
    def test_withdrawal_take_over_and_visit_follow_each_other(self) -> None:
        target = position()
        vacate(target, days=3)
        assert status_of(target) == "vacated"
        take_over(target, days=2)
        assert status_of(target) == "taken_over"
        services.position_event_record(
            position=target,
            kind="visit",
            occurred_at=days_ago(1),
            unit="Team Bravo",
            finding="uxo_found",
            by=officer(),
        )
        assert status_of(target) == "taken_over"
        kinds = [e.kind for e in selectors.timeline(target)]
        assert kinds == ["held", "vacated", "taken_over", "visit"]

    def test_a_held_position_cannot_be_taken_over(self) -> None:
        target = position()
        with pytest.raises(Conflict, match="held cannot be recorded as taken over"):
            take_over(target)
        assert target.events.count() == 1

    def test_a_position_cannot_be_vacated_twice(self) -> None:
        target = position()
        vacate(target, days=3)
        with pytest.raises(Conflict):
            vacate(target, days=2)

    def test_a_visit_finding_it_reoccupied_changes_its_status(self) -> None:
        target = position()
        vacate(target, days=3)
        take_over(target, days=2)
        services.position_event_record(
            position=target,
            kind="visit",
            occurred_at=days_ago(1),
            unit="Team Bravo",
            finding="reoccupied",
            by=officer(),
        )
        assert status_of(target) == "reoccupied"
        with pytest.raises(Conflict, match="reoccupied"):
            services.position_event_record(
                position=target,
                kind="visit",
                occurred_at=days_ago(0.5),
                unit="Team Bravo",
                finding="remains_vacated",
                by=officer(),
            )

    def test_an_event_before_the_last_one_is_refused(self) -> None:
        target = position(held_since=days_ago(5))
        with pytest.raises(ValidationFailed, match="earlier than"):
            vacate(target, days=6)

    def test_an_event_in_the_future_is_refused(self) -> None:
        with pytest.raises(ValidationFailed, match="future"):
            vacate(position(), days=-1)

    @pytest.mark.parametrize(
        ("kind", "field"), [("vacated", "verified_by"), ("taken_over", "unit"), ("visit", "unit")]
    )
    def test_missing_details_are_named(self, kind: str, field: str) -> None:
        target = position()
        with pytest.raises(ValidationFailed) as caught:
            services.position_event_record(
                position=target, kind=kind, occurred_at=days_ago(1), by=officer()
            )
        assert field in caught.value.fields
        assert target.events.count() == 1


class TestDelayedDisclosure:
    def test_a_vacated_position_is_sealed_until_taken_over(self) -> None:
        target = position()
        vacate(target)
        vacated = LogEntry.objects.filter(entry_type="positions.status/1").last()
        assert vacated is not None
        body = json.loads(bytes(vacated.body))
        assert body["fields"] == {}
        assert {"position", "status", "occurred_at"} <= set(body["sealed"])
        assert target.code not in bytes(vacated.body).decode()
        assert not LogEntry.objects.filter(entry_type="ledger.opening/1").exists()

        take_over(target)
        openings = LogEntry.objects.filter(entry_type="ledger.opening/1")
        opened = {json.loads(bytes(o.body))["field"]: json.loads(bytes(o.body)) for o in openings}
        assert opened["status"]["value"] == "vacated"
        assert opened["position"]["value"] == target.code
        for data in opened.values():
            opening = sealing.Opening.from_json({**data, "index": data["entry"]})
            sealing.check_opening(opening, bytes(vacated.body))
        # The verifier's name is personal: sealed for good, never opened.
        assert "verified_by" not in opened
        assert SealedField.objects.get(entry=vacated, field="verified_by").value is None

    def test_the_take_over_itself_is_public(self) -> None:
        target = position()
        vacate(target)
        take_over(target)
        last = entries("positions.status/1")[-1]
        assert last["fields"]["status"] == "taken_over"  # type: ignore[index]
        assert last["fields"]["unit"] == "Team Bravo"  # type: ignore[index]


class TestWithdrawalConfirmation:
    def vacated_event(self, target: Position) -> PositionEvent:
        vacate(target)
        return target.events.get(kind="vacated")

    def test_the_holding_partys_liaison_confirms(self, cast: dict[str, User]) -> None:
        target = position()
        event = services.position_withdrawal_confirm(
            event=self.vacated_event(target), by=cast["liaison_north"]
        )
        assert event.confirmed_by == cast["liaison_north"]
        confirmation = LogEntry.objects.get(entry_type="positions.confirmation/1")
        # Still vacated: sealed like the withdrawal itself.
        assert json.loads(bytes(confirmation.body))["fields"] == {}

    def test_the_other_partys_liaison_cannot_confirm(self, cast: dict[str, User]) -> None:
        event = self.vacated_event(position())
        with pytest.raises(PermissionDenied):
            services.position_withdrawal_confirm(event=event, by=cast["liaison_south"])
        event.refresh_from_db()
        assert event.confirmed_at is None

    def test_a_withdrawal_is_confirmed_once(self, cast: dict[str, User]) -> None:
        event = self.vacated_event(position())
        services.position_withdrawal_confirm(event=event, by=cast["liaison_north"])
        with pytest.raises(Conflict, match="already confirmed"):
            services.position_withdrawal_confirm(event=event, by=cast["liaison_north"])

    def test_only_a_withdrawal_can_be_confirmed(self, cast: dict[str, User]) -> None:
        held = position().events.get()
        with pytest.raises(Conflict):
            services.position_withdrawal_confirm(event=held, by=cast["liaison_north"])


class TestMissionLayer:
    LINE = '{"type": "LineString", "coordinates": [[69.5, -49.37], [69.9, -49.38]]}'

    def test_a_geometry_is_saved_as_a_feature_collection_and_logged(self) -> None:
        layer = services.mission_layer_save(
            code="loc",
            name="Line of contact",
            kind="line_of_contact",
            geojson_text=self.LINE,
            by=None,
        )
        assert layer.geojson["type"] == "FeatureCollection"
        logged = entries("positions.layer/1")[0]["fields"]
        assert len(logged["sha256"]) == 64  # type: ignore[index]

    def test_saving_again_replaces_the_layer(self) -> None:
        for name in ("First", "Second"):
            services.mission_layer_save(
                code="loc", name=name, kind="line_of_contact", geojson_text=self.LINE, by=None
            )
        assert MissionLayer.objects.get().name == "Second"

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("{not json", "not JSON"),
            ('{"type": "Circle", "coordinates": [0, 0]}', "unknown geometry type"),
            ('{"type": "Point", "coordinates": [200, 0]}', "not a longitude and latitude"),
            ('{"type": "FeatureCollection", "features": [{"type": "Point"}]}', "not a Feature"),
        ],
    )
    def test_bad_geojson_is_refused_and_writes_nothing(self, text: str, message: str) -> None:
        with pytest.raises(ValidationFailed, match=message):
            services.mission_layer_save(
                code="loc", name="Line", kind="line_of_contact", geojson_text=text, by=None
            )
        assert not MissionLayer.objects.exists()
        assert not LogEntry.objects.exists()


class TestCounts:
    def test_status_counts_follow_the_cut_off(self) -> None:
        first, second = position(), position()
        vacate(first, days=3)
        take_over(first, days=2)
        vacate(second, days=1)
        assert selectors.status_counts(cutoff=days_ago(2.5)) == {"vacated": 1, "held": 1}
        assert selectors.status_counts(cutoff=days_ago(0)) == {"taken_over": 1, "vacated": 1}
        by_day = selectors.event_counts_by_day(cutoff=days_ago(0))
        assert sum(day.get("vacated", 0) for day in by_day.values()) == 2
        assert sum(day.get("taken_over", 0) for day in by_day.values()) == 1
