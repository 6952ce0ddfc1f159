"""Writes on the registry. Each service validates everything first, then writes the records and
appends their log entries in one transaction: a handover writes one entry per line, then its
header listing their leaf hashes. Nothing is edited in place: corrections, voids and custody
events are records of their own.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, F, Max, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.models import Party, User
from ceasefire.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ceasefire.core.services import iso_utc
from ceasefire.ledger import services as ledger
from ceasefire.ledger.entries import JSONValue
from ceasefire.ledger.models import LogEntry
from ceasefire.places.models import Place
from ceasefire.registry import cosign, logtypes, models, selectors
from ceasefire.registry.models import (
    LOT_CATEGORIES,
    WEAPON_CATEGORIES,
    Category,
    Condition,
    Correction,
    Cosignature,
    Counter,
    CustodyEvent,
    Item,
    ItemCount,
    ItemCountMark,
    LiaisonKey,
    Markings,
    Photo,
    Receipt,
    ReferenceWeapon,
)
from ceasefire.registry.reference import SEED

# A header lists each line's leaf hash (47 bytes in JSON): this keeps it under 65,535 bytes.
MAX_LINES = 1000
# Clocks of field laptops drift; a time a little ahead of the server's is not refused.
CLOCK_SKEW = timedelta(minutes=10)
EARLIEST_YEAR = 1850
MAX_QUANTITY = 10_000_000

Problems = dict[str, list[str]]


@dataclass(frozen=True)
class LineIn:
    """One line of a handover as given by a form, the API or an import row."""

    kind: str = Item.Kind.WEAPON
    category: str = ""
    make: str = ""
    model: str = ""
    calibre: str = ""
    serial: str = ""
    country: str = ""
    year: int | None = None
    markings: str = ""
    markings_location: str = ""
    condition: str = ""
    lot_number: str = ""
    headstamp: str = ""
    quantity: int | None = None
    unlisted: bool = False
    photos: tuple[File[Any], ...] = field(default=(), compare=False)


_TEXT_FIELDS = (
    "category",
    "make",
    "model",
    "calibre",
    "serial",
    "country",
    "markings",
    "markings_location",
    "condition",
    "lot_number",
    "headstamp",
)


_MAX_LENGTHS = {
    name: getattr(Item._meta.get_field(name), "max_length", None) or 0 for name in _TEXT_FIELDS
}


def text_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def serial_key(serial: str) -> str:
    """A serial as compared for duplicates: letters and digits only, in capitals."""
    return "".join(character for character in serial.upper() if character.isalnum())


def local_day(moment: datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def username(user: User) -> str:
    return user.get_username()


# Reference table


def reference_seed() -> int:
    """Add the common weapons of a handover to the reference table (idempotent)."""
    added = 0
    for category, make, model, calibre, calibre_um in SEED:
        _row, created = ReferenceWeapon.objects.get_or_create(
            make=make,
            model=model,
            defaults={"category": category, "calibre": calibre, "calibre_um": calibre_um},
        )
        added += created
    return added


ReferenceIndex = dict[tuple[str, str], ReferenceWeapon]


def reference_index() -> ReferenceIndex:
    return {(text_key(r.make), text_key(r.model)): r for r in ReferenceWeapon.objects.all()}


# Lines


def clean_line(line: LineIn, references: ReferenceIndex) -> tuple[Item, Problems]:
    """The unsaved item for a line and the problems found with it, by field."""
    problems: Problems = {}

    def problem(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    values = {name: " ".join(str(getattr(line, name)).split()) for name in _TEXT_FIELDS}
    item = Item(kind=line.kind, unlisted=line.unlisted, year=line.year, quantity=line.quantity)
    for name, value in values.items():
        setattr(item, name, value)
    if line.kind == Item.Kind.WEAPON:
        _clean_weapon(item, references, problem)
    elif line.kind == Item.Kind.LOT:
        _clean_lot(item, problem)
    else:
        problem("kind", _("A line is a weapon or an ammunition lot."))
        return item, problems
    if not item.condition:
        problem("condition", _("Give the condition."))
    elif item.condition not in Condition.values:
        problem(
            "condition",
            _("Unknown condition %(value)s. Use one of: %(choices)s.")
            % {"value": item.condition, "choices": ", ".join(Condition.values)},
        )
    # The length limits by hand: full_clean() would cost a tenth of a large import's time.
    for name, limit in _MAX_LENGTHS.items():
        if len(getattr(item, name)) > limit:
            problem(name, _("At most %(count)s characters.") % {"count": limit})
    return item, problems


def _clean_weapon(
    item: Item, references: ReferenceIndex, problem: Callable[[str, str], None]
) -> None:
    reference = references.get((text_key(item.make), text_key(item.model)))
    if reference is not None:
        item.reference = reference
        item.unlisted = False
        item.make, item.model = reference.make, reference.model
        if not item.calibre:
            item.calibre = reference.calibre
        elif text_key(item.calibre) != text_key(reference.calibre):
            problem(
                "calibre",
                _("The reference table lists the %(model)s in %(calibre)s.")
                % {"model": reference.model, "calibre": reference.calibre},
            )
        item.calibre_um = reference.calibre_um
        if not item.category:
            item.category = reference.category
        elif item.category != reference.category:
            problem(
                "category",
                _("The reference table lists the %(model)s as %(category)s.")
                % {"model": reference.model, "category": Category(reference.category).label},
            )
    else:
        if not item.make:
            problem("make", _("Give the make."))
        if not item.model:
            problem("model", _("Give the model."))
        if item.make and item.model and not item.unlisted:
            problem(
                "model",
                _(
                    "%(make)s %(model)s is not in the reference table. Choose it from the list, "
                    "or mark the line as not in the reference table to record it as written."
                )
                % {"make": item.make, "model": item.model},
            )
    if not item.category:
        problem("category", _("Give the category."))
    elif item.category in LOT_CATEGORIES:
        problem("category", _("Ammunition and explosives are recorded as lots, not as weapons."))
    elif item.category not in WEAPON_CATEGORIES:
        problem("category", _("Unknown category %(value)s.") % {"value": item.category})
    if not item.markings:
        problem("markings", _("Say whether the markings are present, defaced or absent."))
    elif item.markings not in Markings.values:
        problem(
            "markings",
            _("Markings are one of: %(choices)s.") % {"choices": ", ".join(Markings.values)},
        )
    if item.year is not None and not EARLIEST_YEAR <= item.year <= timezone.now().year:
        problem(
            "year",
            _("The year of manufacture must be between %(first)s and %(last)s.")
            % {"first": EARLIEST_YEAR, "last": timezone.now().year},
        )
    if item.quantity not in (None, 1):
        problem("quantity", _("Weapons are recorded one per line; give no quantity."))
    item.quantity = None
    item.make_key = text_key(item.make)
    item.serial_key = serial_key(item.serial)


def _clean_lot(item: Item, problem: Callable[[str, str], None]) -> None:
    if not item.category:
        problem("category", _("Give the category."))
    elif item.category not in LOT_CATEGORIES:
        problem(
            "category",
            _("A lot is ammunition or explosives; weapons and grenades are recorded one per line."),
        )
    if not item.calibre:
        problem("calibre", _("Give the calibre or type."))
    if item.quantity is None or not 1 <= item.quantity <= MAX_QUANTITY:
        problem(
            "quantity",
            _("Give the number of rounds or pieces in the lot, from 1 to %(most)s.")
            % {"most": MAX_QUANTITY},
        )
    item.make = item.model = item.serial = item.markings = item.country = ""
    item.year = None


def within_duplicates(items: Sequence[Item], label: Callable[[int], str]) -> dict[int, str]:
    """Lines that repeat an earlier line's make and serial, with a message naming the earlier."""
    first: dict[tuple[str, str], int] = {}
    found: dict[int, str] = {}
    for position, item in enumerate(items):
        if item.kind != Item.Kind.WEAPON or not item.serial_key:
            continue
        key = (item.make_key, item.serial_key)
        if key in first:
            found[position] = _("%(make)s serial %(serial)s is also on %(earlier)s.") % {
                "make": item.make,
                "serial": item.serial,
                "earlier": label(first[key]),
            }
        else:
            first[key] = position
    return found


def serial_holders(
    keys: set[tuple[str, str]], *, exclude: int | None = None
) -> dict[tuple[str, str], Item]:
    """The items (not voided) that now carry each (make, serial) key, corrections applied."""
    if not keys:
        return {}
    voided = set(
        Correction.objects.filter(action=Correction.Action.VOID).values_list("item_id", flat=True)
    )
    rekeyed: dict[int, tuple[tuple[str, str], Item]] = {}
    changed = Correction.objects.filter(action=Correction.Action.CORRECT).filter(
        Q(changes__has_key="serial") | Q(changes__has_key="make")
    )
    for correction in changed.select_related("item__receipt").order_by("created_at", "pk"):
        item = correction.item
        make, serial = rekeyed.get(item.pk, ((item.make_key, item.serial_key), item))[0]
        make = text_key(correction.changes.get("make", make))
        serial = serial_key(correction.changes.get("serial", serial))
        rekeyed[item.pk] = ((make, serial), item)
    found: dict[tuple[str, str], Item] = {}
    serials = sorted({serial for _make, serial in keys})
    for start in range(0, len(serials), 500):
        candidates = Item.objects.filter(
            kind=Item.Kind.WEAPON, serial_key__in=serials[start : start + 500]
        ).select_related("receipt")
        for item in candidates.order_by("pk"):
            key = (item.make_key, item.serial_key)
            if key in keys and item.pk not in rekeyed:
                found.setdefault(key, item)
    for key, item in rekeyed.values():
        if key in keys:
            found.setdefault(key, item)
    return {
        key: item for key, item in found.items() if item.pk not in voided and item.pk != exclude
    }


def duplicate_message(item: Item, holder: Item) -> str:
    return _(
        "%(make)s serial %(serial)s was already handed over on receipt %(receipt)s (item %(item)s)."
    ) % {
        "make": item.make,
        "serial": item.serial,
        "receipt": holder.receipt.number,
        "item": holder.mission_id,
    }


# Handovers


@dataclass(frozen=True)
class HandoverIn:
    """A receipt's header, resolved to records."""

    collection_point: Place
    received_at: datetime
    party: Party
    unit: str
    received_by: User
    witnesses: tuple[str, ...]
    handed_over_by: str = ""
    notes: str = ""


class Resolver:
    """Turns the codes of a form, API call or import row (collection point, party, receiving
    officer's username) into records, remembering each so that an import asks once."""

    def __init__(self) -> None:
        self.points: dict[str, Place | None] = {}
        self.parties: dict[str, Party | None] = {}
        self.users: dict[str, User | None] = {}

    def place(self, code: str) -> Place | None:
        if code not in self.points:
            self.points[code] = Place.objects.filter(code=code).first()
        return self.points[code]

    def party(self, code: str) -> Party | None:
        if code not in self.parties:
            self.parties[code] = Party.objects.filter(code=code).first()
        return self.parties[code]

    def user(self, name: str) -> User | None:
        if name not in self.users:
            self.users[name] = User.objects.filter(username=name, is_active=True).first()
        return self.users[name]

    def header(
        self,
        *,
        collection_point: str,
        received_at: datetime | None,
        party: str,
        unit: str,
        received_by: str,
        witnesses: Sequence[str],
        handed_over_by: str = "",
        notes: str = "",
    ) -> tuple[HandoverIn | None, Problems]:
        problems: Problems = {}
        point, found_party, officer = (
            self.place(collection_point.strip()),
            self.party(party.strip()),
            self.user(received_by.strip()),
        )
        if point is None:
            problems["collection_point"] = [
                _("There is no collection point %(code)s.") % {"code": collection_point}
            ]
        if found_party is None:
            problems["party"] = [_("There is no party %(code)s.") % {"code": party}]
        if officer is None:
            problems["received_by"] = [
                _("There is no active user %(name)s.") % {"name": received_by}
            ]
        if received_at is None:
            problems["received_at"] = [_("Give the date and time of the handover.")]
        if point is None or found_party is None or officer is None or received_at is None:
            return None, problems
        header = HandoverIn(
            collection_point=point,
            received_at=received_at,
            party=found_party,
            unit=unit,
            received_by=officer,
            witnesses=tuple(witnesses),
            handed_over_by=handed_over_by,
            notes=notes,
        )
        return header, problems


def clean_header(header: HandoverIn) -> tuple[HandoverIn, Problems]:
    problems: Problems = {}

    def problem(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if header.collection_point.kind != Place.Kind.COLLECTION_POINT:
        problem("collection_point", _("This place is not a collection point."))
    if timezone.is_naive(header.received_at):
        problem("received_at", _("Give the time with its time zone."))
    elif header.received_at > timezone.now() + CLOCK_SKEW:
        problem("received_at", _("The handover time is in the future."))
    unit = " ".join(header.unit.split())
    if not unit:
        problem("unit", _("Give the handing-over unit."))
    elif len(unit) > 200:
        problem("unit", _("The unit's name is too long (200 characters at most)."))
    witnesses = tuple(" ".join(w.split()) for w in header.witnesses if w.strip())
    if not witnesses:
        problem("witnesses", _("Name at least one witness."))
    if not header.received_by.is_active:
        problem("received_by", _("The receiving officer's account is not active."))
    cleaned = replace(
        header,
        unit=unit,
        witnesses=witnesses,
        handed_over_by=" ".join(header.handed_over_by.split()),
        notes=header.notes.strip(),
    )
    return cleaned, problems


def _allocate(name: str, count: int) -> list[str]:
    """The next `count` mission numbers of a kind. Locks the counter until the transaction ends,
    which also orders concurrent handovers (their duplicate checks see each other)."""
    # The UPDATE takes the row's write lock at once (PostgreSQL; SQLite holds the database's).
    if not Counter.objects.filter(name=name).update(value=F("value") + count):
        Counter.objects.create(name=name, value=count)
    last = Counter.objects.get(name=name).value
    first = last - count + 1
    prefix = {"receipt": "R", "weapon": "W", "lot": "L"}[name]
    return [f"{prefix}-{number:06d}" for number in range(first, first + count)]


def lock_registry() -> None:
    """Hold the registry's write lock until the transaction ends: taken before checking
    serials against the database, so two handovers cannot both pass the check."""
    _allocate("receipt", 0)


def _store_photos(photos: Iterable[File[Any]]) -> list[tuple[str, str]]:
    """Save each photo; return (storage name, SHA-256 hex) pairs."""
    stored = []
    for photo in photos:
        digest = hashlib.sha256()
        for chunk in photo.chunks():
            digest.update(chunk)
        photo.seek(0)
        name = default_storage.save(f"registry/photos/{digest.hexdigest()}", photo)
        stored.append((name, digest.hexdigest()))
    return stored


def _line_fields(
    item: Item, receipt: str, point: str, day: str, photos: list[str]
) -> dict[str, JSONValue]:
    fields: dict[str, JSONValue] = {
        "mission_id": item.mission_id,
        "receipt": receipt,
        "category": item.category,
        "collection_point": point,
        "date": day,
        "calibre": item.calibre,
        "condition": item.condition,
    }
    if item.kind == Item.Kind.WEAPON:
        fields |= {"make": item.make, "model": item.model, "unlisted": item.unlisted}
        fields["markings"] = {"state": item.markings, "where": item.markings_location}
        optional = {"serial": item.serial, "country": item.country, "year": item.year}
    else:
        fields["quantity"] = item.quantity
        optional = {"lot_number": item.lot_number, "headstamp": item.headstamp}
    fields |= {name: value for name, value in optional.items() if value not in ("", None)}
    if photos:
        fields["photos"] = list[JSONValue](sorted(photos))
    return fields


def _leaf(entry: LogEntry) -> str:
    return base64.b64encode(bytes(entry.leaf_hash)).decode()


def write_receipt(
    *,
    user: User,
    header: HandoverIn,
    items: Sequence[Item],
    photos: Sequence[File[Any]] = (),
    line_photos: Sequence[Sequence[File[Any]]] = (),
) -> Receipt:
    """Write a checked handover: numbers, one entry per line, the header, the rows and their
    counts. The caller holds the transaction and has validated everything (`receipt_create`,
    the import)."""
    number = _allocate("receipt", 1)[0]
    weapon_ids = iter(_allocate("weapon", sum(i.kind == Item.Kind.WEAPON for i in items)))
    lot_ids = iter(_allocate("lot", sum(i.kind == Item.Kind.LOT for i in items)))
    point, day = header.collection_point.code, local_day(header.received_at)
    stored_lines = [
        _store_photos(line_photos[n] if n < len(line_photos) else ()) for n in range(len(items))
    ]
    leaves = []
    for position, item in enumerate(items):
        item.line = position + 1
        item.mission_id = next(weapon_ids if item.kind == Item.Kind.WEAPON else lot_ids)
        entry_type = logtypes.ITEM if item.kind == Item.Kind.WEAPON else logtypes.LOT
        hashes = [digest for _name, digest in stored_lines[position]]
        item.entry = ledger.append(entry_type.name, _line_fields(item, number, point, day, hashes))
        leaves.append(_leaf(item.entry))
    stored = _store_photos(photos)
    fields: dict[str, JSONValue] = {
        "receipt": number,
        "collection_point": point,
        "date": day,
        "party": header.party.code,
        "items": list[JSONValue](leaves),
        "received_at": iso_utc(header.received_at),
        "unit": header.unit,
        "received_by": username(header.received_by),
        "witnesses": list[JSONValue](header.witnesses),
    }
    if header.handed_over_by:
        fields["handed_over_by"] = header.handed_over_by
    if header.notes:
        fields["notes"] = header.notes
    if stored:
        fields["photos"] = list[JSONValue](sorted(digest for _name, digest in stored))
    receipt = Receipt.objects.create(
        number=number,
        collection_point=header.collection_point,
        received_at=header.received_at,
        party=header.party,
        unit=header.unit,
        handed_over_by=header.handed_over_by,
        received_by=header.received_by,
        witnesses=list(header.witnesses),
        notes=header.notes,
        entry=ledger.append(logtypes.HANDOVER.name, fields),
        recorded_by=user,
    )
    for item in items:
        item.receipt = receipt
    Item.objects.bulk_create(items, batch_size=500)
    # Counted in the same transaction, under the registry's lock: the summary commits or rolls
    # back with the items, and reading pages find nothing to count.
    _item_count_add()
    Photo.objects.bulk_create(
        [Photo(receipt=receipt, file=name, sha256=digest) for name, digest in stored]
        + [
            Photo(receipt=receipt, item=item, file=name, sha256=digest)
            for item, line_stored in zip(items, stored_lines, strict=True)
            for name, digest in line_stored
        ]
    )
    return receipt


@transaction.atomic
def receipt_create(
    *,
    user: User,
    header: HandoverIn,
    lines: Sequence[LineIn],
    photos: Sequence[File[Any]] = (),
) -> Receipt:
    """Record a handover with its lines. Every problem is reported at once, by field
    (`lines.0.serial` for a line's); nothing is written unless all is well."""
    header, problems = clean_header(header)
    if not lines:
        problems.setdefault("lines", []).append(_("Add at least one weapon or lot."))
    if len(lines) > MAX_LINES:
        problems.setdefault("lines", []).append(
            _("A receipt holds at most %(count)s lines; split the handover.") % {"count": MAX_LINES}
        )
    references = reference_index()
    items = []
    for position, line in enumerate(lines):
        item, line_problems = clean_line(line, references)
        items.append(item)
        for name, messages in line_problems.items():
            problems[f"lines.{position}.{name}"] = messages
    repeated = within_duplicates(items, lambda n: _("line %(line)s") % {"line": n + 1})
    for position, message in repeated.items():
        problems.setdefault(f"lines.{position}.serial", []).append(message)
    if problems:
        raise ValidationFailed(first_problem(problems), fields=problems)
    lock_registry()
    keys = {(i.make_key, i.serial_key) for i in items if i.serial_key}
    holders = serial_holders(keys)
    conflicts: Problems = {}
    for position, item in enumerate(items):
        holder = holders.get((item.make_key, item.serial_key))
        if holder is not None and item.serial_key:
            conflicts[f"lines.{position}.serial"] = [duplicate_message(item, holder)]
    if conflicts:
        raise Conflict(first_problem(conflicts), fields=conflicts)
    return write_receipt(
        user=user,
        header=header,
        items=items,
        photos=photos,
        line_photos=[line.photos for line in lines],
    )


# The item counts

# A handover's units are one; a first count may meet thousands, more than SQLite takes as the
# variables of one statement (999 in older builds): then every row is read.
ITEM_COUNT_UNITS = 500


def _counted_up_to() -> int:
    mark = ItemCountMark.objects.filter(pk=1).values_list("last_item", flat=True).first()
    return mark or 0


def _item_count_add() -> int:
    """Count the items above the mark into `ItemCount` and move the mark; return how many.
    The caller holds the registry's lock in a transaction: items are written under it in id
    order, so no item below the new mark can commit later, and no two counts overlap."""
    groups = (
        Item.objects.filter(pk__gt=_counted_up_to())
        .order_by()
        .values_list("receipt__party_id", "receipt__unit", "category")
        .annotate(count=Count("*"), last=Max("pk"))
    )
    new = {(party, unit, category): (count, top) for party, unit, category, count, top in groups}
    if not new:
        return 0
    units = {unit for _party, unit, _category in new}
    found = ItemCount.objects.all()
    if len(units) <= ITEM_COUNT_UNITS:
        found = found.filter(unit__in=units)
    rows = {(row.party_id, row.unit, row.category): row for row in found}
    updated, created = [], []
    for key, (count, _top) in new.items():
        row = rows.get(key)
        if row is None:
            party, unit, category = key
            created.append(ItemCount(party_id=party, unit=unit, category=category, items=count))
        else:
            row.items += count
            updated.append(row)
    ItemCount.objects.bulk_update(updated, ["items"], batch_size=500)
    ItemCount.objects.bulk_create(created, batch_size=500)
    last = max(top for _count, top in new.values())
    if not ItemCountMark.objects.filter(pk=1).update(last_item=last):
        ItemCountMark.objects.create(pk=1, last_item=last)
    return sum(count for count, _top in new.values())


def item_count_sync() -> int:
    """Bring `ItemCount` up to date; return how many items were counted. Handovers count their
    own items as they write them: this finds work only after the migration that added the
    counts (the first count of a million items takes about a second), or if items ever come in
    another way. The totals and the reconciliation call it before reading the counts."""
    # Reading pages call this: with nothing new, one indexed query and no transaction (on
    # SQLite a transaction takes the write lock).
    uncounted = Item.objects.filter(
        pk__gt=Coalesce(
            Subquery(ItemCountMark.objects.filter(pk=1).values("last_item")[:1]), Value(0)
        )
    )
    if not uncounted.exists():
        return 0
    with transaction.atomic():
        lock_registry()
        return _item_count_add()


def first_problem(problems: Problems) -> str:
    """The summary message of a set of problems: the first, and how many more."""
    messages = [message for found in problems.values() for message in found]
    if len(messages) == 1:
        return messages[0]
    return _("%(first)s (and %(more)s more problems)") % {
        "first": messages[0],
        "more": len(messages) - 1,
    }


# Custody


TERMINAL_EVENTS = frozenset({CustodyEvent.Kind.DESTROYED, CustodyEvent.Kind.LOST})


def _is_voided(item: Item) -> bool:
    return item.corrections.filter(action=Correction.Action.VOID).exists()


@transaction.atomic
def custody_record(
    *,
    user: User,
    item: Item,
    kind: str,
    occurred_at: datetime,
    place: Place | None = None,
    location: str = "",
    method: str = "",
    certificate: str = "",
    witnesses: Sequence[str] = (),
    notes: str = "",
) -> CustodyEvent:
    """Append a custody event. Events follow each other in time; nothing follows destruction
    or loss; destruction and deactivation need a method and a witness, a loss its report."""
    if _is_voided(item):
        raise Conflict(_("Item %(item)s was voided.") % {"item": item.mission_id})
    witnesses = [" ".join(w.split()) for w in witnesses if w.strip()]
    location, method, certificate = (" ".join(t.split()) for t in (location, method, certificate))
    notes = notes.strip()
    problems: Problems = {}

    def problem(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if kind not in CustodyEvent.Kind.values:
        problem("kind", _("Unknown custody event %(value)s.") % {"value": kind})
    if timezone.is_naive(occurred_at):
        problem("occurred_at", _("Give the time with its time zone."))
    else:
        if occurred_at > timezone.now() + CLOCK_SKEW:
            problem("occurred_at", _("This time is in the future."))
        if occurred_at < item.receipt.received_at:
            problem("occurred_at", _("This is before the item was handed over."))
    if kind in logtypes.DESTROYING_EVENTS:
        if not method:
            problem("method", _("Give the method of destruction or deactivation."))
        if not witnesses:
            problem("witnesses", _("Name at least one witness."))
    if kind == CustodyEvent.Kind.LOST and not notes:
        problem("notes", _("Give the loss report."))
    if kind == CustodyEvent.Kind.STORED and place is None and not location:
        problem("location", _("Say where it is stored."))
    if problems:
        raise ValidationFailed(first_problem(problems), fields=problems)
    Item.objects.select_for_update().filter(pk=item.pk).first()  # one event at a time per item
    last = item.custody_events.order_by("-occurred_at", "-pk").first()
    if last is not None:
        if last.kind in TERMINAL_EVENTS:
            raise Conflict(
                _("Item %(item)s is %(state)s; no custody event can follow.")
                % {"item": item.mission_id, "state": last.get_kind_display().lower()}
            )
        if last.kind == kind == CustodyEvent.Kind.DEACTIVATED:
            raise Conflict(_("Item %(item)s is already deactivated.") % {"item": item.mission_id})
        if occurred_at < last.occurred_at:
            raise ValidationFailed(
                _("Custody events are recorded in order: the last one was on %(when)s.")
                % {"when": timezone.localtime(last.occurred_at).strftime("%Y-%m-%d %H:%M")},
                field="occurred_at",
            )
    fields: dict[str, JSONValue] = {
        "item": item.entry_id,
        "mission_id": item.mission_id,
        "event": kind,
        "date": local_day(occurred_at),
        "occurred_at": iso_utc(occurred_at),
        "recorded_by": username(user),
    }
    optional: dict[str, JSONValue] = {
        "place": place.code if place else "",
        "location": location,
        "method": method,
        "certificate": certificate,
        "notes": notes,
        "witnesses": list[JSONValue](witnesses),
    }
    fields |= {name: value for name, value in optional.items() if value}
    event = CustodyEvent(
        item=item,
        kind=kind,
        occurred_at=occurred_at,
        place=place,
        location=location,
        method=method,
        certificate=certificate,
        witnesses=witnesses,
        notes=notes,
        recorded_by=user,
        entry=ledger.append(logtypes.CUSTODY.name, fields),
    )
    _save(event)
    return event


def _save(record: Any) -> None:
    try:
        record.full_clean()
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from None
    record.save()


# Corrections


@transaction.atomic
def item_correct(*, user: User, item: Item, changes: Mapping[str, Any], reason: str) -> Correction:
    """Record a correction of some of an item's fields. The item's row keeps what was first
    recorded; the totals and every page apply corrections in order."""
    reason = reason.strip()
    if _is_voided(item):
        raise Conflict(
            _("Item %(item)s was voided; it cannot be corrected.") % {"item": item.mission_id}
        )
    allowed = models.CORRECTABLE[item.kind]
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be corrected: %(fields)s.") % {"fields": ", ".join(unknown)},
            field=unknown[0],
        )
    before = selectors.effective(item)
    merged = before | dict(changes)
    references = reference_index()
    listed = (text_key(str(merged.get("make", ""))), text_key(str(merged.get("model", ""))))
    if {"make", "model"} & set(changes) and listed in references:
        # A new reference model brings its own category and calibre unless they are given.
        merged |= {name: "" for name in ("category", "calibre") if name not in changes}
    corrected, problems = clean_line(LineIn(kind=item.kind, **merged), references)
    after = {name: getattr(corrected, name) for name in allowed}
    changed = {name: after[name] for name in allowed if after[name] != before[name]}
    if not reason:
        problems.setdefault("reason", []).append(_("Give the reason for the correction."))
    if not changed and not problems:
        problems["__all__"] = [_("Nothing would change.")]
    if problems:
        raise ValidationFailed(first_problem(problems), fields=problems)
    Item.objects.select_for_update().filter(pk=item.pk).first()
    if {"make", "serial"} & set(changed) and corrected.serial_key:
        key = (corrected.make_key, corrected.serial_key)
        holder = serial_holders({key}, exclude=item.pk).get(key)
        if holder is not None:
            raise Conflict(duplicate_message(corrected, holder), field="serial")
    return _correction_write(
        user=user,
        item=item,
        action=Correction.Action.CORRECT,
        changes=changed,
        previous={name: before[name] for name in changed},
        reason=reason,
    )


@transaction.atomic
def item_void(*, user: User, item: Item, reason: str) -> Correction:
    """Void an item recorded in error: it stays in the records and the log, counted nowhere."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for voiding the item."), field="reason")
    Item.objects.select_for_update().filter(pk=item.pk).first()
    if _is_voided(item):
        raise Conflict(_("Item %(item)s is already voided.") % {"item": item.mission_id})
    return _correction_write(
        user=user, item=item, action=Correction.Action.VOID, changes={}, previous={}, reason=reason
    )


def _correction_write(
    *,
    user: User,
    item: Item,
    action: str,
    changes: dict[str, Any],
    previous: dict[str, Any],
    reason: str,
) -> Correction:
    fields: dict[str, JSONValue] = {
        "corrects": item.entry_id,
        "mission_id": item.mission_id,
        "action": action,
        "reason": reason,
        "author": username(user),
    }
    if changes:
        fields["changes"] = changes
    if "category" in changes:
        fields["category"] = changes["category"]
    correction = Correction(
        item=item,
        action=action,
        changes=changes,
        previous=previous,
        reason=reason,
        author=user,
        entry=ledger.append(logtypes.CORRECTION.name, fields),
    )
    _save(correction)
    return correction


# Liaison keys and co-signatures


def _liaison_party(user: User) -> Party:
    party_id = user.liaison_party_id()
    if party_id is None:
        raise PermissionDenied(_("Only a party's liaison can do this."))
    return Party.objects.get(pk=party_id)


@transaction.atomic
def key_enrol(*, user: User, public_key: bytes, label: str = "") -> LiaisonKey:
    """Enrol a liaison's Ed25519 public key; the enrolment is logged with its fingerprint."""
    party = _liaison_party(user)
    if len(public_key) != cosign.PUBLIC_KEY_SIZE:
        raise ValidationFailed(
            _("A public key is 32 bytes (a raw Ed25519 key)."), field="public_key"
        )
    fingerprint = cosign.fingerprint(public_key)
    if LiaisonKey.objects.filter(fingerprint=fingerprint).exists():
        raise Conflict(_("This key is already enrolled."), field="public_key")
    key = LiaisonKey(
        user=user,
        party=party,
        public_key=public_key,
        fingerprint=fingerprint,
        label=" ".join(label.split())[:100],
        entry=ledger.append(
            logtypes.KEY_ENROLMENT.name,
            {
                "party": party.code,
                "fingerprint": fingerprint,
                "public_key": base64.b64encode(public_key).decode(),
                "liaison": username(user),
            },
        ),
    )
    _save(key)
    return key


def signed_party(entry: LogEntry) -> Party | None:
    """The party whose liaison co-signs this entry: a receipt header's or a correction's party."""
    receipt = Receipt.objects.filter(entry=entry).select_related("party").first()
    if receipt is not None:
        return receipt.party
    correction = Correction.objects.filter(entry=entry).select_related("item__receipt__party")
    found = correction.first()
    return found.item.receipt.party if found else None


@transaction.atomic
def cosignature_add(
    *, user: User, entry_index: int, fingerprint: str, signature: bytes
) -> Cosignature:
    """Check a liaison's signature over an entry's exact bytes and log it."""
    party = _liaison_party(user)
    entry = LogEntry.objects.filter(index=entry_index).first()
    entry_party = signed_party(entry) if entry else None
    if entry is None or entry_party is None or entry_party != party:
        raise NotFound(_("There is nothing of your party to co-sign here."))
    key = LiaisonKey.objects.filter(fingerprint=fingerprint, user=user, party=party).first()
    if key is None:
        raise ValidationFailed(
            _("You have no enrolled key with this fingerprint; enrol the key first."),
            field="fingerprint",
        )
    if len(signature) != cosign.SIGNATURE_SIZE or not cosign.verify(
        bytes(key.public_key), bytes(entry.body), signature
    ):
        raise ValidationFailed(
            _(
                "The signature does not verify with your key over entry %(index)s; "
                "nothing was recorded."
            )
            % {"index": entry_index},
            field="signature",
        )
    if Cosignature.objects.filter(signed_entry=entry, key=key).exists():
        raise Conflict(_("You have already co-signed this with this key."))
    cosignature = Cosignature(
        signed_entry=entry,
        key=key,
        signature=signature,
        entry=ledger.append(
            logtypes.COSIGNATURE.name,
            {
                "entry": entry.index,
                "fingerprint": key.fingerprint,
                "signature": base64.b64encode(signature).decode(),
            },
        ),
    )
    _save(cosignature)
    return cosignature
