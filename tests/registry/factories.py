"""Factories for registry tests: real records made through the services."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from ceasefire.accounts.models import Party, User
from ceasefire.places import services as places
from ceasefire.places.models import Place
from ceasefire.registry import services
from ceasefire.registry.models import Item, Receipt
from ceasefire.registry.services import HandoverIn, LineIn

_serials = itertools.count(1000)


def collection_point(code: str = "tarsel-ford") -> Place:
    return Place.objects.filter(code=code).first() or places.place_create(
        code=code,
        kind=Place.Kind.COLLECTION_POINT,
        names=[places.NameForm(language="en", name=code.replace("-", " ").title(), neutral=True)],
    )


def weapon(**overrides: Any) -> LineIn:
    values: dict[str, Any] = {
        "make": "Kalashnikov",
        "model": "AKM",
        "serial": f"KA{next(_serials)}",
        "country": "SU",
        "year": 1978,
        "markings": "present",
        "condition": "serviceable",
    }
    return LineIn(kind=Item.Kind.WEAPON, **(values | overrides))


def lot(**overrides: Any) -> LineIn:
    values: dict[str, Any] = {
        "category": "ammunition",
        "calibre": "7.62×39 mm",
        "lot_number": "17-82",
        "headstamp": "539 82",
        "quantity": 440,
        "condition": "serviceable",
    }
    return LineIn(kind=Item.Kind.LOT, **(values | overrides))


def header(
    party: Party, officer: User, *, received_at: datetime | None = None, **overrides: Any
) -> HandoverIn:
    values: dict[str, Any] = {
        "collection_point": collection_point(),
        "received_at": received_at or timezone.now() - timedelta(hours=2),
        "party": party,
        "unit": "3rd Rifle Company",
        "received_by": officer,
        "witnesses": ("Orla Pettersen", "Dmitri Havel"),
        "handed_over_by": "Capt. Rurik Senn",
        "notes": "Handed over at the ford.",
    }
    return HandoverIn(**(values | overrides))


def receipt(
    party: Party, officer: User, lines: list[LineIn] | None = None, **overrides: Any
) -> Receipt:
    return services.receipt_create(
        user=officer,
        header=header(party, officer, **overrides),
        lines=lines if lines is not None else [weapon(), weapon(model="PKM"), lot()],
    )
