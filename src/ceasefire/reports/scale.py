"""`ceasefire demo --scale N`: N more items, with their receipts, custody events and log
entries, fast enough to build a million for the benchmarks (bench/reports.py).

Everything goes through the registry's own write paths: `write_receipt` (the bulk path its
import uses: one log entry per item, the header, the rows in bulk) and `custody_record`. Lines
are built already clean (from the reference table, with serials unique by construction), so the
per-line checks an officer's form needs are skipped. The log takes one append per entry by
design; grouping a few thousand entries per transaction keeps that near the log's own speed."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ceasefire.accounts.models import Party, User
from ceasefire.places.models import Place
from ceasefire.registry import services as registry
from ceasefire.registry.models import Condition, Item, Markings, ReferenceWeapon
from ceasefire.reports.services import tally_sync

LINES_PER_RECEIPT = 50
RECEIPTS_PER_TRANSACTION = 40  # about 2,000 log entries per transaction
DESTROYED_SHARE = 0.02
LOT_SHARE = 0.05


@dataclass
class ScaleResult:
    items: int
    receipts: int
    destroyed: int
    seconds: float


def _lines(
    rng: random.Random, references: list[ReferenceWeapon], count: int, run: str, first: int
) -> list[Item]:
    items = []
    for line in range(count):
        if rng.random() < LOT_SHARE:
            items.append(
                Item(
                    kind=Item.Kind.LOT,
                    category="ammunition",
                    calibre="7.62×39 mm",
                    lot_number=f"{rng.randint(1, 99)}-{rng.randint(60, 99)}",
                    quantity=rng.randint(50, 2000),
                    condition=Condition.SERVICEABLE,
                )
            )
            continue
        reference = rng.choice(references)
        serial = f"{run}{first + line}"
        items.append(
            Item(
                kind=Item.Kind.WEAPON,
                category=reference.category,
                reference=reference,
                make=reference.make,
                model=reference.model,
                calibre=reference.calibre,
                calibre_um=reference.calibre_um,
                serial=serial,
                make_key=registry.text_key(reference.make),
                serial_key=registry.serial_key(serial),
                markings=Markings.PRESENT,
                condition=rng.choice(list(Condition.values[:3])),
            )
        )
    return items


def generate(
    count: int,
    *,
    officer: User,
    storage: User,
    parties: list[Party],
    days: int = 60,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> ScaleResult:
    """Write `count` items handed over during the last `days` days (in time order), and destroy
    a share of them."""
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not crypto
    registry.reference_seed()
    references = list(ReferenceWeapon.objects.all())
    points = list(Place.objects.filter(kind=Place.Kind.COLLECTION_POINT))
    if not references or not points or not parties:
        raise RuntimeError("the demo scenario must be loaded first (collection points, parties)")
    run = f"SC{int(time.time())}-"
    receipts = -(-count // LINES_PER_RECEIPT)
    start = timezone.now() - timedelta(days=days)
    step = timedelta(days=days) / max(receipts, 1)
    written = destroyed = 0
    for batch_start in range(0, receipts, RECEIPTS_PER_TRANSACTION):
        with transaction.atomic():
            for number in range(batch_start, min(receipts, batch_start + RECEIPTS_PER_TRANSACTION)):
                lines = min(LINES_PER_RECEIPT, count - written)
                received_at = start + step * number
                header = registry.HandoverIn(
                    collection_point=rng.choice(points),
                    received_at=received_at,
                    party=rng.choice(parties),
                    unit=f"Unit {rng.randint(1, 40)}",
                    received_by=officer,
                    witnesses=("Scale Witness",),
                )
                items = _lines(rng, references, lines, run, written)
                registry.write_receipt(user=officer, header=header, items=items)
                written += lines
                for item in items:
                    if rng.random() < DESTROYED_SHARE:
                        registry.custody_record(
                            user=storage,
                            item=item,
                            kind="destroyed",
                            occurred_at=min(received_at + timedelta(hours=6), timezone.now()),
                            method="Cut by torch",
                            witnesses=["Scale Witness"],
                        )
                        destroyed += 1
        if progress is not None:
            progress(written)
    tally_sync()
    return ScaleResult(written, receipts, destroyed, time.monotonic() - started)
