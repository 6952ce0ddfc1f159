"""Writes on positions: each records its change and appends its log entries in one
transaction. Entries written while a position stands vacated are sealed under the position's
release key and opened when the mission takes it over."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.models import Party, User
from ceasefire.core.errors import Conflict, PermissionDenied, ValidationFailed
from ceasefire.core.services import iso_utc, not_in_future, save_valid
from ceasefire.ledger import services as ledger
from ceasefire.places.models import Place
from ceasefire.positions import geojson, logtypes
from ceasefire.positions.models import MissionLayer, Position, PositionEvent, Status

Kind = PositionEvent.Kind
Finding = PositionEvent.Finding

# From each status, the events that may follow it.
NEXT_EVENTS: dict[str, frozenset[str]] = {
    Status.HELD: frozenset({Kind.VACATED}),
    Status.VACATED: frozenset({Kind.TAKEN_OVER, Kind.VISIT}),
    Status.TAKEN_OVER: frozenset({Kind.VISIT}),
    Status.REOCCUPIED: frozenset({Kind.VACATED, Kind.VISIT}),
}


def release_key(position: Position) -> str:
    return f"position:{position.pk}"


def _delayed(position: Position, status: str) -> str | None:
    """A vacated position not yet taken over is targeting data: seal what would be public."""
    return release_key(position) if status == Status.VACATED else None


def _last_event(position: Position) -> PositionEvent | None:
    return position.events.order_by("-occurred_at", "-pk").first()


def _append_status(event: PositionEvent) -> None:
    entry = ledger.append(
        logtypes.STATUS.name,
        {
            "position": event.position.code,
            "event": event.kind,
            "status": event.status,
            "occurred_at": iso_utc(event.occurred_at),
            "unit": event.unit,
            "finding": event.finding,
            "verified_by": event.verified_by,
            "notes": event.notes,
        },
        release_key=_delayed(event.position, event.status),
    )
    event.log_index = entry.index
    event.save(update_fields=["log_index"])


@transaction.atomic
def position_create(
    *,
    code: str,
    name: str,
    lat_microdeg: int,
    lon_microdeg: int,
    party: Party,
    held_since: datetime,
    by: User,
    sector: Place | None = None,
) -> Position:
    """Record a position and its first event: held by `party` since `held_since`."""
    if Position.objects.filter(code=code).exists():
        raise Conflict(_("A position with code %(code)s already exists.") % {"code": code})
    if sector is not None and sector.kind != Place.Kind.SECTOR:
        raise ValidationFailed(_("Choose a sector, not another kind of place."), field="sector")
    not_in_future(held_since, field="occurred_at")
    position = save_valid(
        Position(
            code=code,
            name=" ".join(name.split()),
            lat_microdeg=lat_microdeg,
            lon_microdeg=lon_microdeg,
            party=party,
            sector=sector,
        )
    )
    ledger.append(
        logtypes.POSITION.name,
        {
            "code": position.code,
            "name": position.name,
            "lat": position.lat_microdeg,
            "lon": position.lon_microdeg,
            "sector": sector.code if sector else None,
            "party": party.code,
        },
    )
    event = save_valid(
        PositionEvent(
            position=position,
            kind=Kind.HELD,
            status=Status.HELD,
            occurred_at=held_since,
            recorded_by=by,
        )
    )
    _append_status(event)
    return position


def _status_after(current: str, kind: str, finding: str) -> str:
    if kind not in NEXT_EVENTS[current]:
        raise Conflict(
            _("A position that is %(status)s cannot be recorded as %(event)s.")
            % {"status": Status(current).label.lower(), "event": Kind(kind).label.lower()},
            field="kind",
        )
    if kind == Kind.VISIT:
        if finding == Finding.REOCCUPIED:
            return Status.REOCCUPIED
        if finding == Finding.REMAINS_VACATED and current == Status.REOCCUPIED:
            raise Conflict(
                _("The last visit found this position reoccupied; record its withdrawal first."),
                field="finding",
            )
        return current
    return Status.VACATED if kind == Kind.VACATED else Status.TAKEN_OVER


def _required(kind: str, verified_by: str, unit: str, finding: str) -> None:
    if kind == Kind.VACATED and not verified_by:
        raise ValidationFailed(
            _("Say who verified that the position was vacated."), field="verified_by"
        )
    if kind in (Kind.TAKEN_OVER, Kind.VISIT) and not unit:
        raise ValidationFailed(_("Give the mission unit."), field="unit")
    if kind == Kind.VISIT and not finding:
        raise ValidationFailed(_("Give the finding of the visit."), field="finding")
    if kind != Kind.VISIT and finding:
        raise ValidationFailed(_("Only a verification visit has a finding."), field="finding")


@transaction.atomic
def position_event_record(
    *,
    position: Position,
    kind: str,
    occurred_at: datetime,
    by: User,
    verified_by: str = "",
    unit: str = "",
    finding: str = "",
    notes: str = "",
) -> PositionEvent:
    """Append an event to a position's timeline. Refused when the position's current status
    does not allow it (a held position cannot be taken over before it is vacated)."""
    if kind not in Kind.values or kind == Kind.HELD:
        raise ValidationFailed(_("Choose vacated, taken over or a visit."), field="kind")
    if finding and finding not in Finding.values:
        raise ValidationFailed(_("Unknown finding."), field="finding")
    verified_by, unit, notes = verified_by.strip(), unit.strip(), notes.strip()
    _required(kind, verified_by, unit, finding)
    # Lock the position so that two officers cannot both move it on from the same status.
    position = Position.objects.select_for_update().get(pk=position.pk)
    last = _last_event(position)
    assert last is not None  # every position is created with its first event
    not_in_future(occurred_at, field="occurred_at")
    if occurred_at < last.occurred_at:
        raise ValidationFailed(
            _("This is earlier than the position's last event (%(when)s).")
            % {"when": timezone.localtime(last.occurred_at).strftime("%Y-%m-%d %H:%M")},
            field="occurred_at",
        )
    status = _status_after(last.status, kind, finding)
    event = save_valid(
        PositionEvent(
            position=position,
            kind=kind,
            status=status,
            occurred_at=occurred_at,
            verified_by=verified_by,
            unit=unit,
            finding=finding,
            notes=notes,
            recorded_by=by,
        )
    )
    _append_status(event)
    if status == Status.TAKEN_OVER:
        # The mission holds the position now: the withdrawal is no longer targeting data.
        ledger.release(release_key(position))
    return event


@transaction.atomic
def position_withdrawal_confirm(*, event: PositionEvent, by: User) -> PositionEvent:
    """A liaison of the holding party confirms a withdrawal the mission recorded."""
    event = (
        PositionEvent.objects.select_for_update().select_related("position__party").get(pk=event.pk)
    )
    position = event.position
    if by.liaison_party_id() != position.party_id:
        raise PermissionDenied(_("Only a liaison of the holding party can confirm a withdrawal."))
    if event.kind != Kind.VACATED:
        raise Conflict(_("Only a withdrawal can be confirmed."))
    if event.confirmed_at is not None:
        raise Conflict(_("This withdrawal is already confirmed."))
    event.confirmed_by = by
    event.confirmed_at = timezone.now()
    event.save(update_fields=["confirmed_by", "confirmed_at"])
    last = _last_event(position)
    still_vacated = last is not None and last.status == Status.VACATED
    ledger.append(
        logtypes.CONFIRMATION.name,
        {
            "position": position.code,
            "entry": event.log_index,
            "party": position.party.code,
            "confirmed_at": iso_utc(event.confirmed_at),
            "liaison": by.get_full_name() or by.get_username(),
        },
        release_key=release_key(position) if still_vacated else None,
    )
    return event


@transaction.atomic
def mission_layer_save(
    *, code: str, name: str, kind: str, geojson_text: str, by: User | None
) -> MissionLayer:
    """Create or replace a layer drawn by the mission, from GeoJSON text (checked first)."""
    data: dict[str, Any] = geojson.parse(geojson_text)
    layer = MissionLayer.objects.select_for_update().filter(code=code).first() or MissionLayer(
        code=code
    )
    layer.name, layer.kind, layer.geojson, layer.updated_by = name.strip(), kind, data, by
    save_valid(layer)
    ledger.append(
        logtypes.LAYER.name,
        {
            "code": layer.code,
            "kind": layer.kind,
            "name": layer.name,
            "sha256": geojson.digest(data),
        },
    )
    return layer
