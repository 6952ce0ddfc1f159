"""Demo containers: four at the Orlen crossroads collection point, each holding one party's
items and sealed before a witness of that party and the mission; one moved to the Halvek depot
and counted there; one destruction by cutting of items stored at the depot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceasefire.registry.selectors import items_annotated
from ceasefire.stores import services
from ceasefire.stores.services import Witness

if TYPE_CHECKING:
    from ceasefire.demo import DemoContext

WITNESSES = {"north": "Harun Velde", "south": "Mariam Oskan", "mission": "Ines Arkady"}


def _witnesses(*parties: str) -> list[Witness]:
    return [Witness(code, WITNESSES[code]) for code in (*parties, "mission")]


def demo_stores(context: DemoContext) -> None:
    storage = context.users["storage"]
    point, depot = context.places["orlen-crossroads"], context.places["halvek-depot"]
    waiting = items_annotated().filter(
        state="collected", voided=False, receipt__collection_point=point
    )
    containers = []
    for number, party in enumerate(("north", "south", "north", "south"), start=1):
        container = services.container_create(user=storage, place=point)
        items = list(waiting.filter(receipt__party__code=party).order_by("pk")[:6])
        services.container_items_add(user=storage, container=container, items=items)
        containers.append(container)
        if number < 4:  # the fourth is sealed once the cache's contents are in (caches demo)
            services.seal_apply(
                user=storage,
                container=container,
                number=f"MS-{40000 + context.rng.randint(100, 999) * 10 + number}",
                witnesses=_witnesses(party),
            )
    services.container_move(user=storage, container=containers[0], destination=depot)
    seal = services.intact_seal(containers[0])
    services.container_count(
        user=storage,
        container=containers[0],
        counted=len(services.contents(containers[0])),
        seal_found=seal.number if seal else "",
        seal_intact=True,
    )
    stored = items_annotated().filter(state="stored", voided=False, kind="weapon").order_by("pk")
    services.destruction_record(
        user=storage,
        items=list(stored[:8]),
        place=depot,
        method="cutting",
        witnesses=_witnesses("north", "south"),
        media_hashes=[f"{context.rng.getrandbits(256):064x}" for _ in range(2)],
    )
    context.extra["containers"] = containers


def seal_last(context: DemoContext) -> None:
    """Seal the fourth container, once the caches' step has put its finds in."""
    container = context.extra["containers"][3]
    parties = sorted({item.receipt.party.code for item in services.contents(container)})
    services.seal_apply(
        user=context.users["storage"],
        container=container,
        number=f"MS-{41000 + context.rng.randint(1, 99)}",
        witnesses=_witnesses(*parties),
    )
