from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from ceasefire.convoys import services
from ceasefire.convoys.models import Convoy
from ceasefire.places.models import Place
from tests.positions.factories import officer, place

_counter = itertools.count(1)


def convoy(*, departure: datetime | None = None, checkpoints: int = 2) -> Convoy:
    return services.convoy_create(
        reference=f"cv-{next(_counter)}",
        organisation="Relief Without Borders",
        origin=place(Place.Kind.STORAGE_CENTRE),
        destination=place(Place.Kind.SETTLEMENT),
        route=[place(Place.Kind.CHECKPOINT) for _ in range(checkpoints)],
        vehicles=4,
        planned_departure=departure or timezone.now() + timedelta(days=3),
        lines=[
            services.LineIn(item="Wheat flour", unit="kg", quantity=20_000),
            services.LineIn(item="Diesel", unit="l", quantity=5_000),
        ],
        by=officer(),
    )


def on_the_road(hours_ago: float = 5) -> Convoy:
    target = convoy(departure=timezone.now() - timedelta(hours=hours_ago))
    services.convoy_depart(
        convoy=target, departed_at=timezone.now() - timedelta(hours=hours_ago), by=officer()
    )
    target.refresh_from_db()
    return target
