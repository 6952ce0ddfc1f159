"""Demo positions along a fictional line of contact on the Kerguelen Islands (as the demo's
places), a withdrawal unfolding over the past week, and the mission's own map layers.

Pairs of positions facing each other across the line withdraw in the middle of the front, a few
a day; the mission takes most of them over the next day and visits some later."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from ceasefire.places import services as places
from ceasefire.places.models import Place
from ceasefire.places.services import NameForm
from ceasefire.positions import services
from ceasefire.positions.models import MissionLayer, PositionEvent

if TYPE_CHECKING:
    from ceasefire.demo import DemoContext

Kind = PositionEvent.Kind
Finding = PositionEvent.Finding

# The line of contact, west to east, as (longitude, latitude) in microdegrees.
LINE_OF_CONTACT: list[tuple[int, int]] = [
    (69_540_000, -49_372_000),
    (69_600_000, -49_380_000),
    (69_660_000, -49_377_000),
    (69_700_000, -49_386_000),
    (69_738_100, -49_395_300),
    (69_780_000, -49_392_000),
    (69_830_000, -49_398_000),
    (69_880_000, -49_394_000),
    (69_920_000, -49_401_000),
]
# Sectors meet at this longitude.
SECTOR_BOUNDARY = 69_720_000

# Places the ground scenario needs beyond the shared demo places: code, kind, (lat, lon), names.
GROUND_PLACES: list[tuple[str, str, tuple[int, int], dict[str, str]]] = [
    (
        "sector-west",
        Place.Kind.SECTOR,
        (-49_380_000, 69_620_000),
        {
            "en": "Western sector",
            "ru": "Западный сектор",
            "hy": "Արևմտյան հատված",
            "az": "Qərb sektoru",
        },
    ),
    (
        "orm-gate",
        Place.Kind.CHECKPOINT,
        (-49_370_400, 69_742_300),
        {"en": "Orm Gate", "ru": "Ормские ворота", "hy": "Օրմի դարպաս", "az": "Orm qapısı"},
    ),
    (
        "selva-crossroads",
        Place.Kind.CHECKPOINT,
        (-49_415_200, 69_734_600),
        {
            "en": "Selva Crossroads",
            "ru": "Сельвинский перекрёсток",
            "hy": "Սելվայի խաչմերուկ",
            "az": "Selva yolayrıcı",
        },
    ),
]
# The corridor runs north to south through these checkpoints.
CORRIDOR = ["orm-gate", "lissa-bridge", "selva-crossroads"]

NAMES = {
    "north": [
        "Cairn Hill", "Raven Spur", "Moss Ridge", "Height 318", "Storm Saddle", "Bleak Knoll",
        "Height 402", "Fern Terrace", "Osprey Bluff", "Gull Ridge", "Height 275", "Lichen Hill",
    ],
    "south": [
        "Basalt Spur", "Tern Knoll", "Height 296", "Kelp Point", "Pebble Ridge", "Heron Hill",
        "Height 341", "Scree Saddle", "Brine Bluff", "Height 260", "Skua Crest", "Slate Terrace",
    ],
}  # fmt: skip
OFFICERS = ["Tomas Iveri", "Nadia Ferro", "Jonas Rieck"]
UNITS = ["Team Alpha", "Team Bravo", "Team Charlie"]

# Front positions by index (0 is westernmost) that withdraw, with the day (before today) each
# pair is vacated, the day the mission takes it over (None: not yet), and later visits as
# (day, side, finding).
WITHDRAWALS: dict[int, tuple[int, int | None, list[tuple[int, str, str]]]] = {
    2: (6, 5, [(2, "north", Finding.REMAINS_VACATED), (2, "south", Finding.REMAINS_VACATED)]),
    3: (6, 5, [(1, "north", Finding.UXO_FOUND)]),
    4: (5, 4, [(1, "south", Finding.REMAINS_VACATED)]),
    5: (5, 4, []),
    6: (4, 3, []),
    7: (4, 3, []),
    8: (3, None, [(1, "south", Finding.REOCCUPIED)]),
    9: (3, 1, []),
}


def line_latitude(lon: int) -> int:
    """Latitude of the line of contact at a longitude (linear between its vertices)."""
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(LINE_OF_CONTACT):
        if lon1 <= lon <= lon2:
            return lat1 + (lat2 - lat1) * (lon - lon1) // (lon2 - lon1)
    raise ValueError(lon)


def day_at(days_ago: int, hour: int, minute: int = 0) -> datetime:
    day: date = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _degrees(points: list[tuple[int, int]]) -> list[list[float]]:
    return [[lon / 1e6, lat / 1e6] for lon, lat in points]


def _box(west: int, south: int, east: int, north: int) -> list[tuple[int, int]]:
    return [(west, north), (east, north), (east, south), (west, south), (west, north)]


def _feature(geometry_type: str, coordinates: Any, name: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": geometry_type, "coordinates": coordinates},
        "properties": {"name": name},
    }


def _layers(context: DemoContext) -> None:
    sectors = [
        _feature("Polygon", [_degrees(_box(west, -49_460_000, east, -49_280_000))], name)
        for west, east, name in [
            (69_500_000, SECTOR_BOUNDARY, "Western sector"),
            (SECTOR_BOUNDARY, 69_950_000, "Eastern sector"),
        ]
    ]
    checkpoints = [context.places[code] for code in CORRIDOR]
    west = min(p.lon_microdeg or 0 for p in checkpoints) - 6_000
    east = max(p.lon_microdeg or 0 for p in checkpoints) + 6_000
    corridor = [
        _feature("Polygon", [_degrees(_box(west, -49_425_000, east, -49_360_000))], "Corridor"),
        _feature(
            "LineString",
            _degrees([(p.lon_microdeg or 0, p.lat_microdeg or 0) for p in checkpoints]),
            "Corridor road",
        ),
    ]
    line = [_feature("LineString", _degrees(LINE_OF_CONTACT), "Line of contact")]
    admin = context.users["admin"]
    for code, name, kind, features in [
        ("sectors", "Sectors", MissionLayer.Kind.SECTORS, sectors),
        ("line-of-contact", "Line of contact", MissionLayer.Kind.LINE_OF_CONTACT, line),
        ("corridor", "Humanitarian corridor", MissionLayer.Kind.CORRIDOR, corridor),
    ]:
        services.mission_layer_save(
            code=code,
            name=name,
            kind=kind,
            geojson_text=json.dumps({"type": "FeatureCollection", "features": features}),
            by=admin,
        )


def demo_positions(context: DemoContext) -> None:
    rng = context.rng
    for code, kind, (lat, lon), names in GROUND_PLACES:
        context.places[code] = places.place_create(
            code=code,
            kind=kind,
            names=[
                NameForm(language=lang, name=name, neutral=True) for lang, name in names.items()
            ],
            lat_microdeg=lat,
            lon_microdeg=lon,
        )
    _layers(context)
    field = context.users["field"]
    held_since = day_at(40, 6)
    front: dict[tuple[int, str], Any] = {}
    for index in range(12):
        lon = 69_555_000 + index * 31_000 + rng.randint(-4_000, 4_000)
        sector = context.places["sector-west" if lon < SECTOR_BOUNDARY else "sector-east"]
        for side, sign, prefix in (("north", 1, "nh"), ("south", -1, "sv")):
            front[index, side] = services.position_create(
                code=f"{prefix}-{index + 1:02d}",
                name=NAMES[side][index],
                lat_microdeg=line_latitude(lon) + sign * rng.randint(4_000, 12_000),
                lon_microdeg=lon + rng.randint(-3_000, 3_000),
                party=context.parties[side],
                sector=sector,
                held_since=held_since,
                by=field,
            )
    withdrawals = []
    for index, (vacated, taken_over, visits) in WITHDRAWALS.items():
        for side in ("north", "south"):
            position = front[index, side]
            withdrawals.append(
                services.position_event_record(
                    position=position,
                    kind=Kind.VACATED,
                    occurred_at=day_at(vacated, rng.randint(6, 11), rng.randrange(60)),
                    verified_by=rng.choice(OFFICERS),
                    notes="Withdrawal observed from the line of contact.",
                    by=field,
                )
            )
            if taken_over is not None:
                services.position_event_record(
                    position=position,
                    kind=Kind.TAKEN_OVER,
                    occurred_at=day_at(taken_over, rng.randint(8, 12), rng.randrange(60)),
                    unit=rng.choice(UNITS),
                    by=field,
                )
        for day, side, finding in visits:
            services.position_event_record(
                position=front[index, side],
                kind=Kind.VISIT,
                occurred_at=day_at(day, rng.randint(13, 17), rng.randrange(60)),
                unit=rng.choice(UNITS),
                finding=finding,
                by=field,
            )
    # Each party's liaison confirms most of its own withdrawals.
    for event in withdrawals[:-4]:
        services.position_withdrawal_confirm(
            event=event, by=context.users[f"liaison-{event.position.party.code}"]
        )
