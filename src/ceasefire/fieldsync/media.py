"""The media files forms read with `select_one_from_file`: CSVs made from the current records,
so a form always offers the current reference table, places, positions and convoys. Collect
compares their hashes in the manifest and downloads only what changed."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable

from ceasefire.accounts.models import Party
from ceasefire.convoys.models import Convoy
from ceasefire.places.models import Place
from ceasefire.positions.models import Position
from ceasefire.registry.models import ReferenceWeapon

Rows = Iterable[tuple[str, ...]]


def _weapons() -> Rows:
    yield ("name", "label", "category")
    for weapon in ReferenceWeapon.objects.order_by("make", "model"):
        label = f"{weapon.make} {weapon.model} ({weapon.calibre})"
        yield (str(weapon.pk), label, weapon.category)


def _places() -> Rows:
    yield ("name", "label", "kind")
    for code, kind in Place.objects.order_by("code").values_list("code", "kind"):
        yield (code, code, kind)


def _parties() -> Rows:
    yield ("name", "label")
    yield from Party.objects.order_by("code").values_list("code", "name")


def _positions() -> Rows:
    yield ("name", "label")
    for code, name in Position.objects.order_by("code").values_list("code", "name"):
        yield (code, f"{code} {name}")


def _convoys() -> Rows:
    yield ("name", "label")
    open_convoys = Convoy.objects.filter(
        status__in=[Convoy.Status.PLANNED, Convoy.Status.ON_THE_ROAD]
    ).order_by("reference")
    for reference in open_convoys.values_list("reference", flat=True):
        yield (reference, reference)


MEDIA: dict[str, Callable[[], Rows]] = {
    "weapons.csv": _weapons,
    "places.csv": _places,
    "parties.csv": _parties,
    "positions.csv": _positions,
    "convoys.csv": _convoys,
}


def media_file(name: str) -> bytes | None:
    rows = MEDIA.get(name)
    if rows is None:
        return None
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows())
    return buffer.getvalue().encode("utf-8")


def md5_hash(data: bytes) -> str:
    """The hash form OpenRosa lists: `md5:` and the hex digest."""
    return "md5:" + hashlib.md5(data).hexdigest()  # noqa: S324 - OpenRosa's change marker
