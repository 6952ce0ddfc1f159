"""Reads on positions, scoped to the reader: a liaison sees only their party's positions (a
position of another party is "not found", never "forbidden")."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.selectors import liaison_scope
from ceasefire.core.errors import NotFound
from ceasefire.positions.models import MissionLayer, Position, PositionEvent


def _status_at(at: datetime | None) -> Subquery:
    events = PositionEvent.objects.filter(position=OuterRef("pk"))
    if at is not None:
        events = events.filter(occurred_at__lte=at)
    return Subquery(events.order_by("-occurred_at", "-pk").values("status")[:1])


def position_list(
    *,
    user: Any,
    status: str = "",
    party: str = "",
    sector: str = "",
    q: str = "",
    at: datetime | None = None,
) -> QuerySet[Position]:
    """Positions the user may see, each annotated with `current_status` (at `at` when given;
    positions not yet recorded then are left out)."""
    positions = (
        Position.objects.select_related("party", "sector")
        .prefetch_related("sector__names__party")  # the sector's name, in the reader's language
        .annotate(current_status=_status_at(at))
    )
    scope = liaison_scope(user)
    if scope is not None:
        positions = positions.filter(party_id=scope)
    if at is not None:
        positions = positions.filter(current_status__isnull=False)
    if status:
        positions = positions.filter(current_status=status)
    if party:
        positions = positions.filter(party__code=party)
    if sector:
        positions = positions.filter(sector__code=sector)
    if q:
        positions = positions.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return positions.order_by("code")


def position_for_user(user: Any, pk: int) -> Position:
    position = position_list(user=user).filter(pk=pk).first()
    if position is None:
        raise NotFound(_("No such position."))
    return position


def position_by_code(user: Any, code: str) -> Position:
    position = position_list(user=user).filter(code=code).first()
    if position is None:
        raise NotFound(_("No such position."))
    return position


def timeline(position: Position) -> QuerySet[PositionEvent]:
    return position.events.select_related("recorded_by", "confirmed_by").order_by(
        "occurred_at", "pk"
    )


def event_for_position(position: Position, event_id: int) -> PositionEvent:
    event = position.events.filter(pk=event_id).first()
    if event is None:
        raise NotFound(_("No such event of this position."))
    return event


def mission_layers() -> QuerySet[MissionLayer]:
    return MissionLayer.objects.order_by("kind", "code")


def mission_layer(code: str) -> MissionLayer:
    layer = MissionLayer.objects.filter(code=code).first()
    if layer is None:
        raise NotFound(_("No such map layer."))
    return layer


# Figures for the daily report: counts as they stood at a cut-off time.


def status_counts(*, cutoff: datetime) -> dict[str, int]:
    """How many positions stood in each status at `cutoff`."""
    positions = position_list(user=None, at=cutoff)
    return dict(Counter(str(p.current_status) for p in positions))  # type: ignore[attr-defined]


def event_counts_by_day(*, cutoff: datetime) -> dict[date, dict[str, int]]:
    """Per day (in the mission's time zone), how many positions were vacated, taken over and
    visited, up to `cutoff`."""
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    events = PositionEvent.objects.filter(occurred_at__lte=cutoff).exclude(kind="held")
    for kind, moment in events.values_list("kind", "occurred_at"):
        counts[timezone.localdate(moment)][kind] += 1
    return {day: dict(kinds) for day, kinds in sorted(counts.items())}
