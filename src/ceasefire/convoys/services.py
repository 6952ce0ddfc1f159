"""Writes on convoys and corridor crossings. Each appends its log entries in the same
transaction; a convoy's entries are sealed under its release key until it arrives or turns
back, and the closing write publishes their openings."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.models import Party, User
from ceasefire.convoys import logtypes
from ceasefire.convoys.models import (
    Convoy,
    CrossingCount,
    LossReport,
    ManifestLine,
    MovementEvent,
    Notification,
    RouteStop,
)
from ceasefire.core.errors import Conflict, PermissionDenied, ValidationFailed
from ceasefire.core.services import iso_utc, not_in_future, save_valid
from ceasefire.ledger import services as ledger
from ceasefire.ledger.entries import JSONValue
from ceasefire.ledger.models import LogEntry
from ceasefire.places.models import Place

Status = Convoy.Status
Kind = MovementEvent.Kind


@dataclass(frozen=True)
class LineIn:
    """One manifest line as given to `convoy_create`."""

    item: str
    unit: str
    quantity: int


def release_key(convoy: Convoy) -> str:
    return f"convoy:{convoy.pk}"


def _append(entry_type: str, convoy: Convoy, fields: dict[str, JSONValue]) -> LogEntry:
    """Append a convoy's entry: sealed until the convoy is off the road."""
    return ledger.append(
        entry_type,
        {"convoy": convoy.reference, **fields},
        release_key=None if convoy.closed else release_key(convoy),
    )


def _leaf(entry: LogEntry) -> str:
    return base64.b64encode(bytes(entry.leaf_hash)).decode()


def _check_route(route: Sequence[Place]) -> None:
    if not route:
        raise ValidationFailed(_("Give the checkpoints the convoy passes."), field="route")
    if any(place.kind != Place.Kind.CHECKPOINT for place in route):
        raise ValidationFailed(_("The route passes checkpoints only."), field="route")
    if len({place.pk for place in route}) != len(route):
        raise ValidationFailed(_("A checkpoint appears twice on the route."), field="route")


def _check_lines(lines: Sequence[LineIn]) -> None:
    if not lines:
        raise ValidationFailed(_("A convoy carries at least one manifest line."), field="lines")
    for line in lines:
        if not line.item.strip():
            raise ValidationFailed(_("Each manifest line names its item."), field="lines")
        if line.unit not in ManifestLine.Unit.values:
            raise ValidationFailed(
                _("Unknown unit %(unit)s; use kg, l, kit or piece.") % {"unit": line.unit},
                field="lines",
            )
        if line.quantity <= 0:
            raise ValidationFailed(_("Each quantity is a whole number above 0."), field="lines")


@transaction.atomic
def convoy_create(
    *,
    reference: str,
    organisation: str,
    origin: Place,
    destination: Place,
    route: Sequence[Place],
    vehicles: int,
    planned_departure: datetime,
    lines: Sequence[LineIn],
    by: User,
) -> Convoy:
    """Record a planned convoy with its route and manifest."""
    if Convoy.objects.filter(reference=reference).exists():
        raise Conflict(
            _("A convoy with reference %(reference)s already exists.") % {"reference": reference},
            field="reference",
        )
    if origin.pk == destination.pk:
        raise ValidationFailed(_("Origin and destination are the same place."), field="destination")
    if vehicles < 1:
        raise ValidationFailed(_("A convoy has at least one vehicle."), field="vehicles")
    _check_route(route)
    _check_lines(lines)
    convoy = save_valid(
        Convoy(
            reference=reference,
            organisation=organisation.strip(),
            origin=origin,
            destination=destination,
            vehicles=vehicles,
            planned_departure=planned_departure,
            created_by=by,
        )
    )
    RouteStop.objects.bulk_create(
        [RouteStop(convoy=convoy, checkpoint=place, order=n) for n, place in enumerate(route, 1)]
    )
    leaves: list[JSONValue] = []
    for line in lines:
        saved = save_valid(
            ManifestLine(
                convoy=convoy, item=line.item.strip(), unit=line.unit, quantity=line.quantity
            )
        )
        entry = _append(
            logtypes.LINE.name,
            convoy,
            {"item": saved.item, "unit": saved.unit, "quantity": saved.quantity},
        )
        leaves.append(_leaf(entry))
    header = _append(
        logtypes.CONVOY.name,
        convoy,
        {
            "organisation": convoy.organisation,
            "origin": origin.code,
            "destination": destination.code,
            "route": [place.code for place in route],
            "vehicles": vehicles,
            "planned_departure": iso_utc(planned_departure),
            "lines": leaves,
        },
    )
    convoy.log_index = header.index
    convoy.save(update_fields=["log_index"])
    return convoy


def _locked(convoy: Convoy) -> Convoy:
    return Convoy.objects.select_for_update().get(pk=convoy.pk)


@transaction.atomic
def convoy_notify(
    *, convoy: Convoy, by: User, sent_at: datetime | None = None
) -> list[Notification]:
    """Notify every party of a planned convoy, in the app and by email (queued after commit).
    A notification less than 48 hours before departure is recorded as short notice. `sent_at`
    records a notification the mission made earlier by other means (radio, a letter)."""
    from ceasefire.convoys.tasks import send_convoy_notification

    convoy = _locked(convoy)
    if convoy.status != Status.PLANNED:
        raise Conflict(_("Only a planned convoy is notified."))
    notified = set(convoy.notifications.values_list("party_id", flat=True))
    now = sent_at or timezone.now()
    not_in_future(now, field="sent_at")
    created = []
    for party in Party.objects.exclude(pk__in=notified).order_by("code"):
        notification = save_valid(Notification(convoy=convoy, party=party, sent_at=now))
        _append(
            logtypes.NOTIFICATION.name,
            convoy,
            {
                "party": party.code,
                "sent_at": iso_utc(now),
                "short_notice": notification.short_notice,
            },
        )
        created.append(notification)
    if not created:
        raise Conflict(_("Every party has already been notified of this convoy."))
    transaction.on_commit(lambda: send_convoy_notification.enqueue(convoy.pk))
    return created


@transaction.atomic
def convoy_acknowledge(
    *, convoy: Convoy, by: User, acknowledged_at: datetime | None = None
) -> Notification:
    """A liaison acknowledges, for their party, the notification of a convoy (`acknowledged_at`
    when recording an acknowledgement given earlier by other means)."""
    acknowledged_at = acknowledged_at or timezone.now()
    not_in_future(acknowledged_at, field="acknowledged_at")
    party_id = by.liaison_party_id()
    if party_id is None:
        raise PermissionDenied(_("Only a party liaison acknowledges a notification."))
    notification = (
        Notification.objects.select_for_update()
        .select_related("party", "convoy")
        .filter(convoy=convoy, party_id=party_id)
        .first()
    )
    if notification is None:
        raise Conflict(_("Your party has not been notified of this convoy yet."))
    if notification.acknowledged_at is not None:
        raise Conflict(_("Your party has already acknowledged this convoy."))
    if acknowledged_at < notification.sent_at:
        raise ValidationFailed(
            _("The acknowledgement cannot come before the notification."), field="acknowledged_at"
        )
    notification.acknowledged_at = acknowledged_at
    notification.acknowledged_by = by
    notification.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _append(
        logtypes.ACKNOWLEDGEMENT.name,
        notification.convoy,
        {
            "party": notification.party.code,
            "acknowledged_at": iso_utc(notification.acknowledged_at),
            "short_notice": notification.late_acknowledgement,
            "liaison": by.get_full_name() or by.get_username(),
        },
    )
    return notification


def _movement(
    convoy: Convoy,
    *,
    kind: str,
    occurred_at: datetime,
    by: User,
    checkpoint: Place | None = None,
    reason: str = "",
    held_minutes: int | None = None,
    notes: str = "",
) -> MovementEvent:
    event = save_valid(
        MovementEvent(
            convoy=convoy,
            checkpoint=checkpoint,
            kind=kind,
            occurred_at=occurred_at,
            reason=reason,
            held_minutes=held_minutes,
            notes=notes,
            recorded_by=by,
        )
    )
    entry = _append(
        logtypes.EVENT.name,
        convoy,
        {
            "event": kind,
            "checkpoint": checkpoint.code if checkpoint else None,
            "occurred_at": iso_utc(occurred_at),
            "reason": reason,
            "held_minutes": held_minutes,
            "notes": notes,
        },
    )
    event.log_index = entry.index
    event.save(update_fields=["log_index"])
    return event


@transaction.atomic
def convoy_depart(*, convoy: Convoy, departed_at: datetime, by: User) -> MovementEvent:
    convoy = _locked(convoy)
    if convoy.status != Status.PLANNED:
        raise Conflict(_("This convoy has already left."))
    not_in_future(departed_at, field="occurred_at")
    convoy.status, convoy.departed_at = Status.ON_THE_ROAD, departed_at
    convoy.save(update_fields=["status", "departed_at"])
    return _movement(convoy, kind=Kind.DEPARTED, occurred_at=departed_at, by=by)


def _check_on_the_road(convoy: Convoy, occurred_at: datetime) -> None:
    if convoy.status != Status.ON_THE_ROAD:
        raise Conflict(
            _("The convoy is %(status)s, not on the road.")
            % {"status": Status(convoy.status).label.lower()}
        )
    not_in_future(occurred_at, field="occurred_at")
    last = convoy.events.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    if last is not None and occurred_at < last:
        raise ValidationFailed(
            _("This is earlier than the convoy's last recorded movement."), field="occurred_at"
        )


@transaction.atomic
def convoy_event_record(
    *,
    convoy: Convoy,
    checkpoint: Place,
    kind: str,
    occurred_at: datetime,
    by: User,
    reason: str = "",
    held_minutes: int | None = None,
    notes: str = "",
) -> MovementEvent:
    """A movement at a checkpoint on the route. Turning back closes the convoy and opens its
    sealed entries."""
    convoy = _locked(convoy)
    if kind not in (Kind.PASSED, Kind.INSPECTED, Kind.HELD, Kind.TURNED_BACK):
        raise ValidationFailed(_("Choose passed, inspected, held or turned back."), field="kind")
    _check_on_the_road(convoy, occurred_at)
    if not convoy.route.filter(checkpoint=checkpoint).exists():
        raise ValidationFailed(
            _("%(checkpoint)s is not on this convoy's route.") % {"checkpoint": checkpoint.code},
            field="checkpoint",
        )
    reason = reason.strip()
    if kind in (Kind.HELD, Kind.TURNED_BACK) and not reason:
        raise ValidationFailed(_("Give the reason."), field="reason")
    if kind == Kind.HELD and not held_minutes:
        raise ValidationFailed(
            _("Say how long the convoy was held, in minutes."), field="held_minutes"
        )
    if kind != Kind.HELD:
        held_minutes = None
    event = _movement(
        convoy,
        kind=kind,
        checkpoint=checkpoint,
        occurred_at=occurred_at,
        by=by,
        reason=reason,
        held_minutes=held_minutes,
        notes=notes.strip(),
    )
    if kind == Kind.TURNED_BACK:
        convoy.status, convoy.closed_at = Status.TURNED_BACK, occurred_at
        convoy.save(update_fields=["status", "closed_at"])
        ledger.release(release_key(convoy))
    return event


@transaction.atomic
def convoy_arrive(
    *,
    convoy: Convoy,
    arrived_at: datetime,
    received: Mapping[int, tuple[int, int]],
    by: User,
) -> Convoy:
    """Record the arrival with, for every manifest line (by id), the quantities received in good
    and in damaged condition. Publishes the openings of the convoy's sealed entries."""
    convoy = _locked(convoy)
    _check_on_the_road(convoy, arrived_at)
    lines = list(convoy.lines.order_by("pk"))
    if set(received) != {line.pk for line in lines}:
        raise ValidationFailed(
            _("Give the quantities received for every manifest line."), field="received"
        )
    for line in lines:
        good, damaged = received[line.pk]
        if good < 0 or damaged < 0 or good + damaged > line.quantity:
            raise ValidationFailed(
                _("%(item)s: received %(received)s, but %(quantity)s were dispatched.")
                % {"item": line.item, "received": good + damaged, "quantity": line.quantity},
                field="received",
            )
        line.received_good, line.received_damaged = good, damaged
    ManifestLine.objects.bulk_update(lines, ["received_good", "received_damaged"])
    convoy.status, convoy.closed_at = Status.ARRIVED, arrived_at
    convoy.save(update_fields=["status", "closed_at"])
    # Now closed: these entries are public at once.
    leaves: list[JSONValue] = [
        _leaf(
            _append(
                logtypes.RECEIPT.name,
                convoy,
                {
                    "item": line.item,
                    "unit": line.unit,
                    "dispatched": line.quantity,
                    "good": line.received_good,
                    "damaged": line.received_damaged,
                },
            )
        )
        for line in lines
    ]
    _append(logtypes.ARRIVAL.name, convoy, {"arrived_at": iso_utc(arrived_at), "receipts": leaves})
    ledger.release(release_key(convoy))
    return convoy


def outstanding(line: ManifestLine) -> int:
    """What of a line is neither received nor reported lost."""
    lost = sum(line.losses.values_list("quantity", flat=True))
    return line.quantity - (line.received_good or 0) - (line.received_damaged or 0) - lost


@transaction.atomic
def loss_report(*, line: ManifestLine, quantity: int, reason: str, by: User) -> LossReport:
    """Report a quantity of a closed convoy's line as lost; refused beyond what is unaccounted."""
    line = ManifestLine.objects.select_for_update().select_related("convoy").get(pk=line.pk)
    if not line.convoy.closed:
        raise Conflict(_("Losses are reported once the convoy has arrived or turned back."))
    if not reason.strip():
        raise ValidationFailed(_("Say what happened."), field="reason")
    left = outstanding(line)
    if quantity <= 0 or quantity > left:
        raise ValidationFailed(
            _("%(item)s: %(left)s %(unit)s are unaccounted for; report between 1 and that.")
            % {"item": line.item, "left": left, "unit": line.get_unit_display()},
            field="quantity",
        )
    now = timezone.now()
    report = save_valid(
        LossReport(
            line=line, quantity=quantity, reason=reason.strip(), reported_at=now, reported_by=by
        )
    )
    entry = _append(
        logtypes.LOSS.name,
        line.convoy,
        {
            "item": line.item,
            "unit": line.unit,
            "quantity": quantity,
            "reason": report.reason,
            "reported_at": iso_utc(now),
        },
    )
    report.log_index = entry.index
    report.save(update_fields=["log_index"])
    return report


@transaction.atomic
def crossing_record(
    *,
    checkpoint: Place,
    day: date,
    direction: str,
    men: int,
    women: int,
    children: int,
    elderly: int,
    disabled: int,
    vehicles: int,
    by: User,
) -> CrossingCount:
    """Record one day's crossings at a checkpoint in one direction (aggregates only)."""
    if checkpoint.kind != Place.Kind.CHECKPOINT:
        raise ValidationFailed(_("Choose a corridor checkpoint."), field="checkpoint")
    if day > timezone.localdate():
        raise ValidationFailed(_("This day is in the future."), field="day")
    if disabled > men + women + children + elderly:
        raise ValidationFailed(
            _(
                "Persons with disabilities are counted among the other groups; there are more of "
                "them than people."
            ),
            field="disabled",
        )
    count = CrossingCount(
        checkpoint=checkpoint,
        day=day,
        direction=direction,
        men=men,
        women=women,
        children=children,
        elderly=elderly,
        disabled=disabled,
        vehicles=vehicles,
        recorded_by=by,
    )
    try:
        # The unique index decides: a new count (the usual case) needs no lookup first, and two
        # officers sending one day's counts at once both get a clear answer. The entry goes
        # first, so the count is written once, with its index; a refused count takes it back.
        with transaction.atomic():
            entry = ledger.append(
                logtypes.CROSSING.name,
                {
                    "checkpoint": checkpoint.code,
                    "day": day.isoformat(),
                    "direction": direction,
                    **{
                        group: getattr(count, group)
                        for group in (*CrossingCount.GROUPS, "disabled")
                    },
                    "vehicles": vehicles,
                },
            )
            count.log_index = entry.index
            save_valid(count, validate_constraints=False)
    except IntegrityError:
        raise Conflict(
            _("Crossings at %(checkpoint)s on %(day)s (%(direction)s) are already recorded.")
            % {"checkpoint": checkpoint.code, "day": day.isoformat(), "direction": direction},
        ) from None
    return count
