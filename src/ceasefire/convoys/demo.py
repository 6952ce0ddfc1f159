"""Demo convoys through the corridor (one arrived with a loss, one turned back, one on the road,
one planned at short notice) and a week of crossing counts at each corridor checkpoint."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from ceasefire.convoys import services
from ceasefire.convoys.models import Convoy, CrossingCount, MovementEvent
from ceasefire.convoys.services import LineIn
from ceasefire.positions.demo import CORRIDOR, day_at

if TYPE_CHECKING:
    from ceasefire.demo import DemoContext

Kind = MovementEvent.Kind
NORTH_TO_SOUTH = CORRIDOR
SOUTH_TO_NORTH = CORRIDOR[::-1]


def _convoy(
    context: DemoContext,
    reference: str,
    organisation: str,
    origin: str,
    destination: str,
    route: list[str],
    departure: datetime,
    lines: list[LineIn],
    notified: datetime,
    acknowledged: dict[str, datetime],
) -> Convoy:
    convoy = services.convoy_create(
        reference=reference,
        organisation=organisation,
        origin=context.places[origin],
        destination=context.places[destination],
        route=[context.places[code] for code in route],
        vehicles=context.rng.randint(3, 9),
        planned_departure=departure,
        lines=lines,
        by=context.users["field"],
    )
    services.convoy_notify(convoy=convoy, by=context.users["field"], sent_at=notified)
    for party, moment in acknowledged.items():
        services.convoy_acknowledge(
            convoy=convoy, by=context.users[f"liaison-{party}"], acknowledged_at=moment
        )
    return convoy


def _move(
    context: DemoContext,
    convoy: Convoy,
    checkpoint: str,
    kind: str,
    at: datetime,
    *,
    reason: str = "",
    held_minutes: int | None = None,
    notes: str = "",
) -> None:
    services.convoy_event_record(
        convoy=convoy,
        checkpoint=context.places[checkpoint],
        kind=kind,
        occurred_at=at,
        by=context.users["field"],
        reason=reason,
        held_minutes=held_minutes,
        notes=notes,
    )


def demo_convoys(context: DemoContext) -> None:
    field = context.users["field"]
    now = timezone.now()

    # Arrived with flour damaged and lost on the way; the missing fuel is not yet reported,
    # so the convoy stays flagged until it is.
    arrived = _convoy(
        context,
        "hc-001",
        "Southern Ocean Relief",
        "halvek-depot",
        "korsa",
        SOUTH_TO_NORTH,
        day_at(5, 8),
        [
            LineIn(item="Wheat flour", unit="kg", quantity=24_000),
            LineIn(item="Diesel", unit="l", quantity=6_000),
            LineIn(item="Medical kits", unit="kit", quantity=150),
        ],
        day_at(9, 10),
        {"north": day_at(8, 9), "south": day_at(6, 16)},
    )
    services.convoy_depart(convoy=arrived, departed_at=day_at(5, 8, 10), by=field)
    _move(context, arrived, "selva-crossroads", Kind.PASSED, day_at(5, 9, 5))
    _move(
        context, arrived, "lissa-bridge", Kind.INSPECTED, day_at(5, 10, 30), notes="Seals checked."
    )
    _move(context, arrived, "orm-gate", Kind.PASSED, day_at(5, 12, 15))
    flour, diesel, kits = arrived.lines.order_by("pk")
    services.convoy_arrive(
        convoy=arrived,
        arrived_at=day_at(5, 15, 40),
        received={flour.pk: (23_500, 300), diesel.pk: (5_900, 0), kits.pk: (150, 0)},
        by=field,
    )
    services.loss_report(
        line=flour, quantity=200, reason="Sacks torn open when a truck slid off the road.", by=field
    )

    # Held at the bridge, then turned back.
    turned = _convoy(
        context,
        "hc-002",
        "Kerguel Water Trust",
        "arden",
        "velmar",
        NORTH_TO_SOUTH,
        day_at(3, 7),
        [
            LineIn(item="Bottled water", unit="l", quantity=18_000),
            LineIn(item="Water purification kits", unit="kit", quantity=400),
        ],
        day_at(6, 11),
        {"north": day_at(5, 9), "south": day_at(5, 14)},
    )
    services.convoy_depart(convoy=turned, departed_at=day_at(3, 7, 15), by=field)
    _move(context, turned, "orm-gate", Kind.PASSED, day_at(3, 8))
    _move(
        context,
        turned,
        "lissa-bridge",
        Kind.HELD,
        day_at(3, 8, 45),
        reason="Papers checked against the notification.",
        held_minutes=95,
    )
    _move(
        context,
        turned,
        "lissa-bridge",
        Kind.TURNED_BACK,
        day_at(3, 10, 20),
        reason="Passage refused: the road beyond the bridge is not cleared of mines.",
    )

    # On the road now: its movements stay sealed until it arrives.
    on_the_road = _convoy(
        context,
        "hc-003",
        "Southern Ocean Relief",
        "halvek-depot",
        "arden",
        SOUTH_TO_NORTH,
        now - timedelta(hours=4),
        [
            LineIn(item="Blankets", unit="piece", quantity=1_200),
            LineIn(item="Wheat flour", unit="kg", quantity=12_000),
        ],
        day_at(4, 15),
        {"north": day_at(3, 10)},
    )
    services.convoy_depart(convoy=on_the_road, departed_at=now - timedelta(hours=3), by=field)
    _move(context, on_the_road, "selva-crossroads", Kind.PASSED, now - timedelta(hours=2))

    # Planned for tomorrow and notified today: short notice, not yet acknowledged.
    _convoy(
        context,
        "hc-004",
        "Kerguel Water Trust",
        "korsa",
        "velmar",
        NORTH_TO_SOUTH,
        now + timedelta(days=1),
        [LineIn(item="Diesel", unit="l", quantity=8_000)],
        now - timedelta(minutes=30),
        {},
    )

    _crossings(context)


def _crossings(context: DemoContext) -> None:
    """Seven days of counts at each checkpoint, growing as the withdrawal opens the road."""
    rng = context.rng
    for code in CORRIDOR:
        scale = 3 if code == "lissa-bridge" else 1
        for days_ago in range(7, 0, -1):
            growth = 8 - days_ago
            for direction in CrossingCount.Direction.values:
                men, women = rng.randint(20, 40) * growth, rng.randint(25, 50) * growth
                children, elderly = rng.randint(15, 45) * growth, rng.randint(5, 15) * growth
                services.crossing_record(
                    checkpoint=context.places[code],
                    day=timezone.localdate() - timedelta(days=days_ago),
                    direction=direction,
                    men=men * scale,
                    women=women * scale,
                    children=children * scale,
                    elderly=elderly * scale,
                    disabled=rng.randint(0, elderly) * scale,
                    vehicles=rng.randint(3, 12) * growth,
                    by=context.users["field"],
                )
