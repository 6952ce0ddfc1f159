"""Factories for positions (and the places they sit in), made through the services."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from ceasefire.accounts.models import Party, User
from ceasefire.places import services as places
from ceasefire.places.models import Place
from ceasefire.positions import services
from ceasefire.positions.models import Position
from tests import factories

_counter = itertools.count(1)


def place(kind: str = Place.Kind.SECTOR, code: str | None = None) -> Place:
    code = code or f"{kind.replace('_', '-')}-{next(_counter)}"
    return Place.objects.filter(code=code).first() or places.place_create(
        code=code,
        kind=kind,
        names=[places.NameForm(language="en", name=code.title(), neutral=True)],
        lat_microdeg=-49_380_000,
        lon_microdeg=69_700_000 + next(_counter),
    )


def days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def officer() -> User:
    return User.objects.filter(username="field").first() or factories.user(
        "field_officer", username="field"
    )


def position(
    party: Party | None = None,
    *,
    code: str | None = None,
    held_since: datetime | None = None,
    sector: Place | None = None,
) -> Position:
    return services.position_create(
        code=code or f"pos-{next(_counter)}",
        name="Hill 412",
        lat_microdeg=-49_370_000,
        lon_microdeg=69_720_000,
        party=party or factories.party("north"),
        held_since=held_since or days_ago(10),
        by=officer(),
        sector=sector,
    )


def vacate(target: Position, *, days: float = 3) -> None:
    services.position_event_record(
        position=target,
        kind="vacated",
        occurred_at=days_ago(days),
        verified_by="Officer Lund",
        by=officer(),
    )


def take_over(target: Position, *, days: float = 2) -> None:
    services.position_event_record(
        position=target,
        kind="taken_over",
        occurred_at=days_ago(days),
        unit="Team Bravo",
        by=officer(),
    )
