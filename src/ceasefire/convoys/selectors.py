"""Reads on convoys and crossings. A liaison sees the convoys their party was notified of, and a
convoy's movements only once it is off the road."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.selectors import liaison_scope
from ceasefire.convoys.models import (
    Convoy,
    CrossingCount,
    ManifestLine,
    MovementEvent,
    Notification,
)
from ceasefire.core.errors import NotFound
from ceasefire.places.models import Place


def unaccounted_lines() -> QuerySet[ManifestLine]:
    """Lines of arrived convoys whose dispatched quantity is not received + damaged + lost."""
    return (
        ManifestLine.objects.filter(convoy__status=Convoy.Status.ARRIVED)
        .annotate(lost=Coalesce(Sum("losses__quantity"), Value(0)))
        .exclude(quantity=F("received_good") + F("received_damaged") + F("lost"))
    )


def convoy_list(*, user: Any, status: str = "", flagged: bool = False) -> QuerySet[Convoy]:
    """Convoys, each annotated `unreconciled` (arrived, and its quantities do not add up)."""
    convoys = Convoy.objects.select_related("origin", "destination").annotate(
        unreconciled=Exists(unaccounted_lines().filter(convoy=OuterRef("pk")))
    )
    scope = liaison_scope(user)
    if scope is not None:
        # A party sees the convoys it was notified of.
        convoys = convoys.filter(notifications__party_id=scope)
    if status:
        convoys = convoys.filter(status=status)
    if flagged:
        convoys = convoys.filter(unreconciled=True)
    return convoys.order_by("-planned_departure", "-pk")


def convoy_for_user(user: Any, pk: int) -> Convoy:
    convoy = convoy_list(user=user).filter(pk=pk).first()
    if convoy is None:
        raise NotFound(_("No such convoy."))
    return convoy


def convoy_by_reference(user: Any, reference: str) -> Convoy:
    convoy = convoy_list(user=user).filter(reference=reference).first()
    if convoy is None:
        raise NotFound(_("No such convoy."))
    return convoy


def route(convoy: Convoy) -> list[Place]:
    return [stop.checkpoint for stop in convoy.route.select_related("checkpoint")]


def lines(convoy: Convoy) -> QuerySet[ManifestLine]:
    return convoy.lines.annotate(lost=Coalesce(Sum("losses__quantity"), Value(0))).order_by("pk")


def line_of(convoy: Convoy, line_id: int) -> ManifestLine:
    line = convoy.lines.filter(pk=line_id).first()
    if line is None:
        raise NotFound(_("No such manifest line of this convoy."))
    return line


def movements_for_user(user: Any, convoy: Convoy) -> QuerySet[MovementEvent]:
    """A convoy's movements; for a liaison only once it has arrived or turned back."""
    events = convoy.events.select_related("checkpoint").order_by("occurred_at", "pk")
    if liaison_scope(user) is not None and not convoy.closed:
        return events.none()
    return events


def notifications(convoy: Convoy) -> QuerySet[Notification]:
    return convoy.notifications.select_related("party", "convoy").order_by("party__code")


def warnings(convoy: Convoy) -> list[str]:
    """What the mission should know before the convoy leaves: short notice, missing
    acknowledgements."""
    found = []
    notes = list(notifications(convoy))
    if not notes:
        found.append(_("The parties have not been notified of this convoy."))
    for note in notes:
        if note.short_notice:
            found.append(
                _("%(party)s was notified less than 48 hours before departure.")
                % {"party": note.party}
            )
        if note.acknowledged_at is None:
            found.append(
                _("%(party)s has not acknowledged the notification.") % {"party": note.party}
            )
        elif note.late_acknowledgement:
            found.append(
                _("%(party)s acknowledged less than 48 hours before departure.")
                % {"party": note.party}
            )
    return found


def pending_acknowledgements(user: Any) -> QuerySet[Notification]:
    """Notifications the user's party has still to acknowledge (in-app notification)."""
    scope = liaison_scope(user)
    if scope is None:
        return Notification.objects.none()
    return Notification.objects.filter(
        party_id=scope, acknowledged_at__isnull=True, convoy__status=Convoy.Status.PLANNED
    ).select_related("convoy")


def checkpoints() -> QuerySet[Place]:
    return Place.objects.filter(kind=Place.Kind.CHECKPOINT).prefetch_related("names__party")


def crossing_list(
    *, checkpoint: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[CrossingCount]:
    counts = CrossingCount.objects.select_related("checkpoint")
    if checkpoint:
        counts = counts.filter(checkpoint__code=checkpoint)
    if since is not None:
        counts = counts.filter(day__gte=since)
    if until is not None:
        counts = counts.filter(day__lte=until)
    return counts.order_by("-day", "checkpoint__code", "direction")


def _coordinates(place: Place) -> list[float] | None:
    if place.lat_microdeg is None or place.lon_microdeg is None:
        return None
    return [place.lon_microdeg / 1e6, place.lat_microdeg / 1e6]


def map_features(user: Any, at: datetime) -> list[dict[str, Any]]:
    """Checkpoints, and the routes of convoys planned to leave by `at`."""
    features: list[dict[str, Any]] = []
    for place in checkpoints():
        where = _coordinates(place)
        if where is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": where},
                    "properties": {"layer": "checkpoint", "code": place.code, "title": place.code},
                }
            )
    convoys = convoy_list(user=user).filter(planned_departure__lte=at)
    for convoy in convoys.prefetch_related("route__checkpoint"):
        stops = [convoy.origin, *(s.checkpoint for s in convoy.route.all()), convoy.destination]
        line = [where for where in map(_coordinates, stops) if where is not None]
        if len(line) >= 2:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": line},
                    "properties": {
                        "layer": "convoy",
                        "title": f"{convoy.reference} · {convoy.organisation}",
                        "status_label": str(convoy.get_status_display()),
                        "url": reverse("convoys:detail", args=[convoy.pk]),
                    },
                }
            )
    return features


# Figures for the daily report, as they stood at a cut-off time.


def convoy_counts(*, cutoff: datetime) -> dict[str, int]:
    """Convoys that had left by `cutoff`: on the road, arrived or turned back then."""
    counts: dict[str, int] = defaultdict(int)
    left = Convoy.objects.filter(departed_at__lte=cutoff).values_list("closed_at", "status")
    for closed_at, status in left:
        counts[status if closed_at is not None and closed_at <= cutoff else "on_the_road"] += 1
    return dict(counts)


def delivered_quantities(*, cutoff: datetime) -> dict[tuple[str, str], dict[str, int]]:
    """(item, unit) -> dispatched, received good and damaged, for convoys arrived by `cutoff`."""
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"dispatched": 0, "good": 0, "damaged": 0}
    )
    arrived = ManifestLine.objects.filter(
        convoy__status=Convoy.Status.ARRIVED, convoy__closed_at__lte=cutoff
    )
    for item, unit, quantity, good, damaged in arrived.values_list(
        "item", "unit", "quantity", "received_good", "received_damaged"
    ):
        row = totals[(item, unit)]
        row["dispatched"] += quantity
        row["good"] += good or 0
        row["damaged"] += damaged or 0
    return dict(totals)


def crossings_per_day(*, cutoff: datetime) -> dict[date, dict[str, int]]:
    """Per day up to the cut-off's day: people (by group) and vehicles, both directions."""
    fields = (*CrossingCount.GROUPS, "disabled", "vehicles")
    rows = (
        CrossingCount.objects.filter(day__lte=timezone.localdate(cutoff))
        .values("day")
        .annotate(**{name: Sum(name) for name in fields})
        .order_by("day")
    )
    return {row["day"]: {name: row[name] for name in fields} for row in rows}
