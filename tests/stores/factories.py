"""Factories for the laydown tests: places with coordinates, containers with items."""

from __future__ import annotations

from ceasefire.accounts.models import Party, User
from ceasefire.places import services as places
from ceasefire.places.models import Place
from ceasefire.registry.models import Item
from ceasefire.stores import services
from ceasefire.stores.models import Container
from ceasefire.stores.services import Witness
from tests.registry import factories as registry


def store(code: str, kind: str = Place.Kind.STORAGE_CENTRE) -> Place:
    return Place.objects.filter(code=code).first() or places.place_create(
        code=code,
        kind=kind,
        names=[places.NameForm(language="en", name=code.title(), neutral=True)],
        lat_microdeg=41_500_000,
        lon_microdeg=45_100_000,
    )


def items(party: Party, officer: User, count: int = 2) -> list[Item]:
    receipt = registry.receipt(party, officer, [registry.weapon() for _ in range(count)])
    return list(receipt.items.order_by("line"))


def witnesses(*parties: Party) -> list[Witness]:
    return [Witness(party.code, f"Witness of {party.code}") for party in parties]


def container(storage: User, contents: list[Item], place: Place | None = None) -> Container:
    found = services.container_create(
        user=storage, place=place or store("point-a", Place.Kind.COLLECTION_POINT)
    )
    if contents:
        services.container_items_add(user=storage, container=found, items=contents)
    return found
