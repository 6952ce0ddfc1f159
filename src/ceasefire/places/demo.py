"""Demo places: invented names, several of which the two parties write differently.

The coordinates lie on the uninhabited Kerguelen Islands, so that the demo map points at no real
town and at no real dispute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceasefire.places import services
from ceasefire.places.models import Place
from ceasefire.places.services import NameForm

if TYPE_CHECKING:
    from ceasefire.demo import DemoContext

# code, kind, (lat, lon) in microdegrees, the mission's neutral forms by language,
# and each party's own forms by language.
DemoPlace = tuple[str, str, tuple[int, int], dict[str, str], dict[str, dict[str, str]]]

DEMO_PLACES: list[DemoPlace] = [
    (
        "arden",
        Place.Kind.SETTLEMENT,
        (-49_352_100, 69_701_400),
        {"en": "Arden", "ru": "Арден", "hy": "Արդեն", "az": "Arden"},
        {"north": {"hy": "Արդեն", "ru": "Арден"}, "south": {"az": "Ardenkənd", "ru": "Арденкенд"}},
    ),
    (
        "velmar",
        Place.Kind.SETTLEMENT,
        (-49_418_900, 69_884_200),
        {"en": "Velmar", "ru": "Велмар", "hy": "Վելմար", "az": "Velmar"},
        {"north": {"hy": "Վելմարավան"}, "south": {"az": "Velmarlı"}},
    ),
    (
        "korsa",
        Place.Kind.SETTLEMENT,
        (-49_301_500, 69_552_800),
        {"en": "Korsa", "ru": "Корса", "hy": "Կորսա", "az": "Korsa"},
        {"north": {"ru": "Корса"}, "south": {"ru": "Корса"}},
    ),
    (
        "tarsel-ford",
        Place.Kind.COLLECTION_POINT,
        (-49_377_000, 69_790_600),
        {
            "en": "Tarsel Ford",
            "ru": "Тарсельский брод",
            "hy": "Տարսելի գետանց",
            "az": "Tarsel keçidi",
        },
        {},
    ),
    (
        "lissa-bridge",
        Place.Kind.CHECKPOINT,
        (-49_395_300, 69_738_100),
        {
            "en": "Lissa Bridge",
            "ru": "Лисский мост",
            "hy": "Լիսսայի կամուրջ",
            "az": "Lissa körpüsü",
        },
        {"north": {"hy": "Լիսսայի կամուրջ"}, "south": {"az": "Lisaçay körpüsü"}},
    ),
    (
        "halvek-depot",
        Place.Kind.STORAGE_CENTRE,
        (-49_432_700, 69_650_900),
        {"en": "Halvek depot", "ru": "Склад Халвек", "hy": "Հալվեկի պահեստ", "az": "Halvek anbarı"},
        {},
    ),
    (
        "sector-east",
        Place.Kind.SECTOR,
        (-49_400_000, 69_900_000),
        {
            "en": "Eastern sector",
            "ru": "Восточный сектор",
            "hy": "Արևելյան հատված",
            "az": "Şərq sektoru",
        },
        {},
    ),
]


def demo_places(context: DemoContext) -> None:
    for code, kind, (lat, lon), neutral, by_party in DEMO_PLACES:
        names = [NameForm(language=lang, name=name, neutral=True) for lang, name in neutral.items()]
        names += [
            NameForm(language=lang, name=name, party=context.parties[party])
            for party, forms in by_party.items()
            for lang, name in forms.items()
        ]
        context.places[code] = services.place_create(
            code=code, kind=kind, names=names, lat_microdeg=lat, lon_microdeg=lon
        )
