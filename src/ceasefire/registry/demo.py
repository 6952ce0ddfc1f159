"""Demo handovers: six days at three collection points, both parties, about nine hundred items in
the mix of such a handover (mostly firearms, then grenades, mortars, anti-tank weapons and
MANPADS), their custody, a few corrections and voids, and receipts co-signed by the liaisons.
Units, witnesses and places are invented; everything is written through the services."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.places import services as places
from ceasefire.places.models import Place
from ceasefire.registry import cosign, services
from ceasefire.registry.models import Item, Receipt
from ceasefire.registry.services import HandoverIn, LineIn

if TYPE_CHECKING:
    from ceasefire.demo import DemoContext

NEW_POINTS = [
    (
        "orlen-crossroads",
        (-49_344_200, 69_812_900),
        {
            "en": "Orlen crossroads",
            "ru": "Перекрёсток Орлен",
            "hy": "Օռլենի խաչմերուկ",
            "az": "Orlen yol ayrıcı",
        },
    ),
    (
        "mirra-school",
        (-49_407_600, 69_701_300),
        {
            "en": "Mirra old school",
            "ru": "Старая школа Мирры",
            "hy": "Միռայի հին դպրոց",
            "az": "Mirra köhnə məktəbi",
        },
    ),
]

UNITS = {
    "north": ["1st Highland Rifle Battalion", "Ridge Guard, 3rd Company", "Pass Mortar Platoon"],
    "south": ["Valley Guard, 1st Company", "River Brigade, 2nd Battalion", "Delta Anti-Tank Unit"],
}
WITNESSES = [
    "Orla Pettersen",
    "Dmitri Havel",
    "Ines Marr",
    "Kofi Abrams",
    "Liane Toller",
    "Pavo Renk",
    "Sefa Dorn",
    "Yuri Calden",
]
# (make, model, weight): the mix of a handover, firearms first.
MIX = [
    ("Kalashnikov", "AK-74", 26),
    ("Kalashnikov", "AKM", 16),
    ("Kalashnikov", "AKS-74", 6),
    ("Kalashnikov", "PKM", 6),
    ("Kalashnikov", "RPK", 3),
    ("Makarov", "PM", 7),
    ("Simonov", "SKS", 4),
    ("Dragunov", "SVD", 3),
    ("Kalashnikov", "AKS-74U", 3),
    ("Degtyaryov", "DShKM", 1),
    ("Bazalt", "RPG-7", 6),
    ("Tula", "GP-25", 2),
    ("State arsenal", "F-1", 7),
    ("State arsenal", "RGD-5", 4),
    ("State arsenal", "2B14 Podnos 82 mm", 2),
    ("Bazalt", "SPG-9", 1),
    ("Tula KBP", "9M113 Konkurs", 1),
    ("Kolomna KBM", "9K38 Igla", 1),
]
LOT_TYPES = ["5.45×39 mm", "7.62×39 mm", "7.62×54R mm", "82 mm mortar bomb", "PG-7V 40 mm rocket"]
CONDITIONS = ["serviceable"] * 6 + ["repairable"] * 2 + ["unserviceable", "unsafe"]
HOURS = timedelta(hours=1)


def _points(context: DemoContext) -> list[Place]:
    points = [context.places["tarsel-ford"]]
    for code, (lat, lon), names in NEW_POINTS:
        forms = [
            places.NameForm(language=lang, name=name, neutral=True) for lang, name in names.items()
        ]
        context.places[code] = places.place_create(
            code=code,
            kind=Place.Kind.COLLECTION_POINT,
            names=forms,
            lat_microdeg=lat,
            lon_microdeg=lon,
        )
        points.append(context.places[code])
    return points


def _line(rng: random.Random, serials: set[str]) -> LineIn:
    make, model, _weight = rng.choices(MIX, weights=[m[2] for m in MIX])[0]
    markings = rng.choices(["present", "defaced", "absent"], weights=[85, 10, 5])[0]
    serial = ""
    if markings == "present" and model not in {"F-1", "RGD-5"}:
        while not serial or serial in serials:
            serial = f"{rng.choice('ABKMNT')}{rng.choice('ABKMNT')}{rng.randint(1000, 999999)}"
        serials.add(serial)
    return LineIn(
        kind=Item.Kind.WEAPON,
        make=make,
        model=model,
        serial=serial,
        country=rng.choice(["SU", "SU", "SU", "BG", "RO", "CN"]),
        year=rng.randint(1958, 1991),
        markings=markings,
        markings_location="receiver, left side" if markings == "defaced" else "",
        condition=rng.choice(CONDITIONS),
    )


def _lot(rng: random.Random) -> LineIn:
    return LineIn(
        kind=Item.Kind.LOT,
        category="ammunition",
        calibre=rng.choice(LOT_TYPES),
        lot_number=f"{rng.randint(1, 60)}-{rng.randint(70, 91)}",
        headstamp=f"{rng.choice(['3', '17', '60', '539'])} {rng.randint(70, 91)}",
        quantity=rng.randint(20, 1500),
        condition=rng.choice(CONDITIONS),
    )


def demo_registry(context: DemoContext) -> None:
    rng = context.rng
    services.reference_seed()
    points = _points(context)
    officer, storage = context.users["field"], context.users["storage"]
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=7)
    serials: set[str] = set()
    receipts: list[Receipt] = []
    for day in range(6):
        for point in points:
            for party_code in ("north", "south"):
                if rng.random() < 0.3:
                    continue
                lines = [_line(rng, serials) for _ in range(rng.randint(25, 55))]
                lines += [_lot(rng) for _ in range(rng.randint(0, 3))]
                header = HandoverIn(
                    collection_point=point,
                    received_at=start + timedelta(days=day, hours=rng.randint(8, 16)),
                    party=context.parties[party_code],
                    unit=rng.choice(UNITS[party_code]),
                    received_by=officer,
                    witnesses=tuple(rng.sample(WITNESSES, 2)),
                    handed_over_by=f"Capt. {rng.choice(['Rurik Senn', 'Tamar Vell', 'Oran Best'])}",
                )
                receipts.append(services.receipt_create(user=officer, header=header, lines=lines))
    _custody(rng, receipts, storage, context)
    _corrections(rng, receipts, officer)
    _cosign(rng, receipts, context)


def _custody(
    rng: random.Random, receipts: list[Receipt], storage: User, context: DemoContext
) -> None:
    depot = context.places["halvek-depot"]
    now = timezone.now()
    for receipt in receipts[: len(receipts) * 2 // 3]:
        moved = receipt.received_at + 3 * HOURS
        for item in receipt.items.all():
            if rng.random() < 0.4:
                continue
            services.custody_record(user=storage, item=item, kind="transported", occurred_at=moved)
            services.custody_record(
                user=storage,
                item=item,
                kind="stored",
                occurred_at=moved + 2 * HOURS,
                place=depot,
                location=f"Container {rng.randint(1, 12)}, shelf {rng.randint(1, 6)}",
            )
            if item.category in {"hand_grenade", "explosive"} or rng.random() < 0.15:
                services.custody_record(
                    user=storage,
                    item=item,
                    kind="destroyed"
                    if item.kind == Item.Kind.LOT or rng.random() < 0.7
                    else "deactivated",
                    occurred_at=min(moved + 30 * HOURS, now),
                    method="Demolition by the mission's EOD team"
                    if item.kind == Item.Kind.LOT
                    else "Cut in three at the receiver",
                    certificate=f"DC-{rng.randint(1000, 9999)}",
                    witnesses=rng.sample(WITNESSES, 2),
                )
    lost = receipts[-1].items.filter(kind=Item.Kind.WEAPON).first()
    if lost is not None:
        services.custody_record(
            user=storage,
            item=lost,
            kind="lost",
            occurred_at=min(lost.receipt.received_at + 5 * HOURS, now),
            notes="Missing at the evening count; search under way, loss report LR-7 filed.",
        )


def _corrections(rng: random.Random, receipts: list[Receipt], officer: User) -> None:
    picked = rng.sample(receipts, 6)
    for receipt in picked[:3]:
        item = receipt.items.filter(kind=Item.Kind.WEAPON, model="AKM").first()
        if item is not None:
            services.item_correct(
                user=officer,
                item=item,
                changes={"model": "AKMS"},
                reason="Folding stock: the model is AKMS, misread at the collection point.",
            )
    for receipt in picked[3:5]:
        item = receipt.items.filter(kind=Item.Kind.WEAPON).last()
        if item is not None:
            services.item_void(user=officer, item=item, reason="Entered twice by mistake.")
    item = picked[5].items.filter(kind=Item.Kind.WEAPON).exclude(serial="").first()
    if item is not None:
        services.item_correct(
            user=officer,
            item=item,
            changes={"condition": "unsafe"},
            reason="Cracked bolt found at inspection.",
        )


def _cosign(rng: random.Random, receipts: list[Receipt], context: DemoContext) -> None:
    """Each liaison co-signs most of their party's receipts with a key made for the demo (in
    real use the key is made in the liaison's browser and never leaves it)."""
    keys = {}
    for code in ("north", "south"):
        liaison = context.users[f"liaison-{code}"]
        private = Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
        key = services.key_enrol(
            user=liaison, public_key=cosign.public_bytes(private), label="demo"
        )
        keys[code] = (liaison, private, key.fingerprint)
    for receipt in receipts:
        if rng.random() < 0.25:
            continue  # still awaiting the liaison
        liaison, private, fingerprint = keys[receipt.party.code]
        services.cosignature_add(
            user=liaison,
            entry_index=receipt.entry_id,
            fingerprint=fingerprint,
            signature=private.sign(bytes(receipt.entry.body)),
        )
