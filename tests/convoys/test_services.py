from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import default_task_backend

from ceasefire.accounts.models import User
from ceasefire.convoys import selectors, services
from ceasefire.convoys.models import Convoy, CrossingCount, ManifestLine
from ceasefire.convoys.tasks import send_convoy_notification
from ceasefire.core.errors import Conflict, PermissionDenied, ValidationFailed
from ceasefire.ledger import sealing
from ceasefire.ledger import services as ledger
from ceasefire.ledger.models import LogEntry
from ceasefire.places.models import Place
from tests.convoys.factories import convoy, on_the_road
from tests.positions.factories import officer, place

pytestmark = pytest.mark.django_db


def ago(hours: float) -> datetime:
    return timezone.now() - timedelta(hours=hours)


def body(entry: LogEntry) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(bytes(entry.body))
    return loaded


def arrive(target: Convoy, *, flour: tuple[int, int] = (20_000, 0)) -> Convoy:
    flour_line, diesel_line = target.lines.order_by("pk")
    return services.convoy_arrive(
        convoy=target,
        arrived_at=ago(1),
        received={flour_line.pk: flour, diesel_line.pk: (5_000, 0)},
        by=officer(),
    )


class TestConvoyCreate:
    def test_a_convoy_is_logged_line_by_line_under_a_header(self) -> None:
        target = convoy()
        assert target.log_index is not None
        header = LogEntry.objects.get(index=target.log_index)
        lines = LogEntry.objects.filter(entry_type="convoys.line/1")
        assert lines.count() == 2
        # Still planned: sealed until it arrives or turns back.
        assert body(header)["fields"] == {}
        assert "route" in body(header)["sealed"]  # type: ignore[operator]

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"vehicles": 0}, "vehicles"),
            ({"route": []}, "route"),
            ({"lines": []}, "lines"),
            ({"lines": [services.LineIn(item="Flour", unit="sacks", quantity=1)]}, "lines"),
            ({"lines": [services.LineIn(item="Flour", unit="kg", quantity=0)]}, "lines"),
        ],
    )
    def test_bad_input_is_refused_and_writes_nothing(
        self, change: dict[str, object], field: str
    ) -> None:
        arguments: dict[str, object] = {
            "reference": "cv-bad",
            "organisation": "Relief",
            "origin": place(Place.Kind.STORAGE_CENTRE),
            "destination": place(Place.Kind.SETTLEMENT),
            "route": [place(Place.Kind.CHECKPOINT)],
            "vehicles": 2,
            "planned_departure": timezone.now() + timedelta(days=3),
            "lines": [services.LineIn(item="Flour", unit="kg", quantity=100)],
            "by": officer(),
        }
        arguments.update(change)
        size = LogEntry.objects.count()
        with pytest.raises(ValidationFailed) as caught:
            services.convoy_create(**arguments)  # type: ignore[arg-type]
        assert field in caught.value.fields
        assert not Convoy.objects.exists()
        assert LogEntry.objects.count() == size

    def test_a_route_through_a_settlement_is_refused(self) -> None:
        with pytest.raises(ValidationFailed, match="checkpoints only"):
            services.convoy_create(
                reference="cv-x",
                organisation="Relief",
                origin=place(Place.Kind.STORAGE_CENTRE),
                destination=place(Place.Kind.SETTLEMENT),
                route=[place(Place.Kind.SETTLEMENT)],
                vehicles=1,
                planned_departure=timezone.now(),
                lines=[services.LineIn(item="Flour", unit="kg", quantity=1)],
                by=officer(),
            )


class TestNotification:
    def test_every_party_is_notified_and_emailed_after_commit(
        self,
        cast: dict[str, User],
        django_capture_on_commit_callbacks: Any,
        settings: Any,
    ) -> None:
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        cast["liaison_north"].email = "north@example.org"
        cast["liaison_north"].save()
        target = convoy()
        with django_capture_on_commit_callbacks(execute=True):
            notes = services.convoy_notify(convoy=target, by=officer())
        assert {n.party.code for n in notes} == {"north", "south"}
        results = default_task_backend.results  # type: ignore[attr-defined]
        queued = [r for r in results if r.task == send_convoy_notification]
        assert [r.args for r in queued] == [[target.pk]]  # the convoy's ID, nothing else
        assert send_convoy_notification.call(target.pk) == 1
        assert [message.to for message in mail.outbox] == [["north@example.org"]]
        assert target.reference in mail.outbox[0].subject

    def test_a_notification_within_48_hours_is_flagged(self, cast: dict[str, User]) -> None:
        target = convoy(departure=timezone.now() + timedelta(hours=30))
        services.convoy_notify(convoy=target, by=officer())
        assert all(n.short_notice for n in selectors.notifications(target))
        warnings = selectors.warnings(target)
        assert any("less than 48 hours" in w for w in warnings)
        logged = LogEntry.objects.filter(entry_type="convoys.notification/1")
        opening = ledger.opening_for(logged[0].index, "short_notice")
        assert opening.value is True

    def test_a_notification_in_good_time_earns_no_warning(self, cast: dict[str, User]) -> None:
        target = convoy(departure=timezone.now() + timedelta(hours=72))
        services.convoy_notify(convoy=target, by=officer())
        services.convoy_acknowledge(convoy=target, by=cast["liaison_north"])
        services.convoy_acknowledge(convoy=target, by=cast["liaison_south"])
        assert selectors.warnings(target) == []

    def test_a_late_acknowledgement_is_flagged(self, cast: dict[str, User]) -> None:
        target = convoy(departure=timezone.now() + timedelta(hours=72))
        services.convoy_notify(convoy=target, by=officer())
        Convoy.objects.filter(pk=target.pk).update(
            planned_departure=timezone.now() + timedelta(hours=20)
        )
        note = services.convoy_acknowledge(convoy=target, by=cast["liaison_north"])
        assert note.late_acknowledgement

    def test_a_party_acknowledges_once_and_only_for_itself(self, cast: dict[str, User]) -> None:
        target = convoy()
        with pytest.raises(Conflict, match="not been notified"):
            services.convoy_acknowledge(convoy=target, by=cast["liaison_north"])
        services.convoy_notify(convoy=target, by=officer())
        services.convoy_acknowledge(convoy=target, by=cast["liaison_north"])
        with pytest.raises(Conflict, match="already acknowledged"):
            services.convoy_acknowledge(convoy=target, by=cast["liaison_north"])
        with pytest.raises(PermissionDenied):
            services.convoy_acknowledge(convoy=target, by=cast["field"])

    def test_a_notification_made_earlier_is_recorded_at_its_time(
        self, cast: dict[str, User]
    ) -> None:
        target = convoy(departure=timezone.now() + timedelta(hours=12))
        sent = timezone.now() - timedelta(days=3)
        services.convoy_notify(convoy=target, by=officer(), sent_at=sent)
        with pytest.raises(ValidationFailed, match="before the notification"):
            services.convoy_acknowledge(
                convoy=target, by=cast["liaison_north"], acknowledged_at=sent - timedelta(hours=1)
            )
        note = services.convoy_acknowledge(
            convoy=target, by=cast["liaison_north"], acknowledged_at=sent + timedelta(hours=2)
        )
        assert not note.short_notice and not note.late_acknowledgement
        assert note.acknowledged_at == sent + timedelta(hours=2)

    def test_a_notification_in_the_future_is_refused(self, cast: dict[str, User]) -> None:
        target = convoy()
        with pytest.raises(ValidationFailed, match="future"):
            services.convoy_notify(
                convoy=target, by=officer(), sent_at=timezone.now() + timedelta(hours=1)
            )
        assert not target.notifications.exists()


class TestMovements:
    def test_a_movement_before_departure_is_refused(self) -> None:
        target = convoy()
        checkpoint = selectors.route(target)[0]
        with pytest.raises(Conflict, match="not on the road"):
            services.convoy_event_record(
                convoy=target,
                checkpoint=checkpoint,
                kind="passed",
                occurred_at=ago(1),
                by=officer(),
            )

    def test_a_checkpoint_off_the_route_is_refused(self) -> None:
        target = on_the_road()
        with pytest.raises(ValidationFailed, match="not on this convoy's route"):
            services.convoy_event_record(
                convoy=target,
                checkpoint=place(Place.Kind.CHECKPOINT),
                kind="passed",
                occurred_at=ago(1),
                by=officer(),
            )

    def test_held_needs_reason_and_duration(self) -> None:
        target = on_the_road()
        checkpoint = selectors.route(target)[0]
        with pytest.raises(ValidationFailed) as caught:
            services.convoy_event_record(
                convoy=target,
                checkpoint=checkpoint,
                kind="held",
                occurred_at=ago(2),
                reason="Papers",
                by=officer(),
            )
        assert "held_minutes" in caught.value.fields
        assert target.events.count() == 1  # the departure only

    def test_movements_are_sealed_until_arrival_then_opened(self) -> None:
        target = on_the_road()
        checkpoint = selectors.route(target)[0]
        event = services.convoy_event_record(
            convoy=target,
            checkpoint=checkpoint,
            kind="held",
            occurred_at=ago(3),
            reason="Inspection of papers",
            held_minutes=90,
            by=officer(),
        )
        assert event.log_index is not None
        entry = LogEntry.objects.get(index=event.log_index)
        assert body(entry)["fields"] == {}
        assert checkpoint.code not in bytes(entry.body).decode()
        assert not LogEntry.objects.filter(entry_type="ledger.opening/1").exists()

        arrive(target)
        openings = [body(o) for o in LogEntry.objects.filter(entry_type="ledger.opening/1")]
        mine = {o["field"]: o for o in openings if o["entry"] == entry.index}
        assert mine["checkpoint"]["value"] == checkpoint.code
        assert mine["held_minutes"]["value"] == 90
        for data in mine.values():
            opening = sealing.Opening.from_json({**data, "index": data["entry"]})
            sealing.check_opening(opening, bytes(entry.body))
        assert "notes" not in mine  # sealed by policy, not by delay

    def test_turning_back_closes_the_convoy_and_opens_its_entries(self) -> None:
        target = on_the_road()
        services.convoy_event_record(
            convoy=target,
            checkpoint=selectors.route(target)[1],
            kind="turned_back",
            occurred_at=ago(1),
            reason="Road closed",
            by=officer(),
        )
        target.refresh_from_db()
        assert target.status == "turned_back"
        assert LogEntry.objects.filter(entry_type="ledger.opening/1").exists()
        with pytest.raises(Conflict):
            arrive(target)


class TestArrivalAndReconciliation:
    def test_a_full_delivery_is_reconciled(self) -> None:
        target = arrive(on_the_road())
        assert target.status == "arrived"
        assert not selectors.convoy_for_user(None, target.pk).unreconciled  # type: ignore[attr-defined]
        receipts = LogEntry.objects.filter(entry_type="convoys.receipt/1")
        assert body(receipts[0])["fields"]["good"] == 20_000  # type: ignore[index]

    def test_a_shortfall_is_flagged_until_the_loss_is_reported(self) -> None:
        target = arrive(on_the_road(), flour=(18_000, 1_500))
        assert selectors.convoy_list(user=None, flagged=True).get() == target
        flour = target.lines.get(item="Wheat flour")
        with pytest.raises(ValidationFailed, match="500"):
            services.loss_report(line=flour, quantity=600, reason="Looted", by=officer())
        services.loss_report(line=flour, quantity=500, reason="Looted", by=officer())
        assert not selectors.convoy_list(user=None, flagged=True).exists()
        loss = LogEntry.objects.get(entry_type="convoys.loss/1")
        assert body(loss)["fields"]["quantity"] == 500  # type: ignore[index]

    def test_more_received_than_dispatched_is_refused(self) -> None:
        target = on_the_road()
        with pytest.raises(ValidationFailed, match="dispatched"):
            arrive(target, flour=(20_000, 1))
        target.refresh_from_db()
        assert target.status == "on_the_road"
        assert not ManifestLine.objects.filter(received_good__isnull=False).exists()

    def test_a_loss_on_the_road_waits_for_the_arrival(self) -> None:
        target = on_the_road()
        with pytest.raises(Conflict):
            services.loss_report(
                line=target.lines.get(item="Diesel"), quantity=1, reason="Fell", by=officer()
            )

    def test_delivered_quantities_count_arrived_convoys_by_the_cut_off(self) -> None:
        arrive(on_the_road(), flour=(19_000, 1_000))
        delivered = selectors.delivered_quantities(cutoff=timezone.now())
        assert delivered[("Wheat flour", "kg")] == {
            "dispatched": 20_000,
            "good": 19_000,
            "damaged": 1_000,
        }
        assert selectors.delivered_quantities(cutoff=ago(2)) == {}
        assert selectors.convoy_counts(cutoff=timezone.now()) == {"arrived": 1}
        assert selectors.convoy_counts(cutoff=ago(2)) == {"on_the_road": 1}


class TestCrossings:
    def record(self, **change: object) -> CrossingCount:
        arguments: dict[str, object] = {
            "checkpoint": place(Place.Kind.CHECKPOINT, code="gate"),
            "day": timezone.localdate(),
            "direction": "inbound",
            "men": 10,
            "women": 12,
            "children": 7,
            "elderly": 3,
            "disabled": 2,
            "vehicles": 4,
            "by": officer(),
        }
        arguments.update(change)
        return services.crossing_record(**arguments)  # type: ignore[arg-type]

    def test_daily_counts_are_logged_as_aggregates(self) -> None:
        count = self.record()
        assert count.people == 32
        assert count.log_index is not None
        entry = body(LogEntry.objects.get(index=count.log_index))
        assert entry["fields"]["men"] == 10  # type: ignore[index]
        per_day = selectors.crossings_per_day(cutoff=timezone.now())
        assert per_day[timezone.localdate()]["children"] == 7

    def test_the_same_day_and_direction_is_recorded_once(self) -> None:
        self.record()
        logged = LogEntry.objects.count()
        with pytest.raises(Conflict, match="already recorded"):
            self.record()
        assert (CrossingCount.objects.count(), LogEntry.objects.count()) == (1, logged)
        self.record(direction="outbound")

    def test_more_disabled_than_people_is_refused(self) -> None:
        with pytest.raises(ValidationFailed, match="disabilities"):
            self.record(men=1, women=0, children=0, elderly=0, disabled=2)
        assert not CrossingCount.objects.exists()

    def test_a_day_in_the_future_is_refused(self) -> None:
        with pytest.raises(ValidationFailed, match="future"):
            self.record(day=timezone.localdate() + timedelta(days=1))
