"""Demo arms caches: one reported by the north, verified, its unstable munitions destroyed on
site and cleared (on the public map); one found, verified and its weapons extracted into a
container; one reported by the south, awaiting its visit (location still sealed)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from ceasefire.caches import services
from ceasefire.registry.models import Item
from ceasefire.registry.services import LineIn
from ceasefire.stores.demo import seal_last

if TYPE_CHECKING:
    from ceasefire.demo import DemoContext


def demo_caches(context: DemoContext) -> None:
    field = context.users["field"]
    north, south = context.parties["north"], context.parties["south"]
    point = context.places["orlen-crossroads"]
    now = timezone.now()
    cleared = services.cache_report(
        user=field,
        origin="reported",
        party=north,
        lat_microdeg=-49_361_250,
        lon_microdeg=69_771_400,
        reported_at=now - timedelta(days=5),
        description="Two crates of mortar bombs under the old sheepfold.",
    )
    found = services.cache_report(
        user=field,
        origin="found",
        party=south,
        lat_microdeg=-49_418_900,
        lon_microdeg=69_689_300,
        reported_at=now - timedelta(days=4),
        description="Rifles wrapped in oilcloth in a culvert, found by a patrol.",
    )
    services.cache_report(
        user=field,
        origin="reported",
        party=south,
        lat_microdeg=-49_452_300,
        lon_microdeg=69_640_700,
        reported_at=now - timedelta(days=1),
        description="Grenades reported in a disused well.",
    )
    for cache in (cleared, found):
        services.cache_visit(
            user=field,
            cache=cache,
            visited_at=now - timedelta(days=3),
            findings="Cache confirmed; contents counted and photographed.",
        )
    services.cache_contents_record(
        user=field,
        cache=cleared,
        lines=[
            LineIn(
                kind=Item.Kind.LOT,
                category="ammunition",
                calibre="82 mm mortar bomb",
                lot_number="9-84",
                quantity=context.rng.randint(18, 30),
                condition="unsafe",
            )
        ],
        collection_point=point,
        found_at=now - timedelta(days=2),
        witnesses=["Harun Velde", "Ines Arkady"],
        destroy_method="Detonation in place by the mission's EOD team",
    )
    services.cache_clear(user=field, cache=cleared)
    services.cache_contents_record(
        user=field,
        cache=found,
        lines=[
            LineIn(
                kind=Item.Kind.WEAPON,
                make="Kalashnikov",
                model="AKM",
                serial=f"CV{context.rng.randint(10000, 99999)}{n}",
                markings="present",
                condition="repairable",
            )
            for n in range(3)
        ],
        collection_point=point,
        found_at=now - timedelta(days=2),
        witnesses=["Mariam Oskan", "Ines Arkady"],
        container=context.extra["containers"][3],
    )
    seal_last(context)
