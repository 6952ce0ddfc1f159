"""Reads on the registry, scoped to what the user may see: mission members see every receipt, a
party's liaison only their own party's (others answer 404). Corrections are applied on reading:
an item's current category and values, its void, its custody state from its last event."""

from __future__ import annotations

import base64
import json
from collections import Counter as Tally
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _

from ceasefire.accounts.models import User
from ceasefire.accounts.roles import Role
from ceasefire.core.errors import NotFound
from ceasefire.ledger.entries import canonical_json
from ceasefire.ledger.models import LogEntry, SealedField
from ceasefire.ledger.selectors import kept_while_log_unchanged
from ceasefire.registry import cosign, logtypes
from ceasefire.registry.models import (
    CORRECTABLE,
    Correction,
    Cosignature,
    CustodyEvent,
    Item,
    ItemCount,
    LiaisonKey,
    Receipt,
    ReferenceWeapon,
)

MISSION_ROLES = (Role.FIELD_OFFICER, Role.STORAGE_OFFICER, Role.ANALYST, Role.PROTECTION_OFFICER)
# Before any custody event an item is where its receipt left it.
INITIAL_STATE = CustodyEvent.Kind.COLLECTED


def party_scope(user: Any) -> int | None:
    """None when the user sees every party's records; else the one party they may see.
    A user with neither sees nothing (-1 matches no party)."""
    if user.has_role(*MISSION_ROLES):
        return None
    party_id: int | None = user.liaison_party_id()
    return -1 if party_id is None else party_id


def sees_personal(user: Any, receipt: Receipt) -> bool:
    """Names of witnesses and officers: for field and protection officers, and the receipt's
    party's liaison, who checks them before co-signing."""
    if user.has_role(Role.FIELD_OFFICER, Role.PROTECTION_OFFICER):
        return True
    party_id: int | None = user.liaison_party_id()
    return party_id is not None and party_id == receipt.party_id


def may_cosign(user: Any, receipt: Receipt) -> bool:
    party_id: int | None = user.liaison_party_id()
    return party_id is not None and party_id == receipt.party_id


def receipt_list(user: User) -> QuerySet[Receipt]:
    # Prefetched, not joined: with the join SQLite's planner starts from the two parties and
    # sorts every receipt (27 ms at 20,000); alone, a page reads 50 rows of the time index.
    receipts = Receipt.objects.prefetch_related("party", "collection_point__names__party")
    scope = party_scope(user)
    return receipts if scope is None else receipts.filter(party_id=scope)


def receipt_for_user(user: User, pk: int) -> Receipt:
    receipt = receipt_list(user).select_related("received_by").filter(pk=pk).first()
    if receipt is None:
        raise NotFound(_("There is no such receipt."))
    return receipt


def _current_category() -> Coalesce:
    latest = (
        Correction.objects.filter(item=OuterRef("pk"), action=Correction.Action.CORRECT)
        .filter(changes__has_key="category")
        .annotate(new_category=KeyTextTransform("category", "changes"))
        .order_by("-created_at", "-pk")
        .values("new_category")[:1]
    )
    return Coalesce(Subquery(latest), F("category"), output_field=CharField())


def _state() -> Coalesce:
    last = CustodyEvent.objects.filter(item=OuterRef("pk")).order_by("-occurred_at", "-pk")
    return Coalesce(
        Subquery(last.values("kind")[:1]), Value(INITIAL_STATE), output_field=CharField()
    )


def _voided() -> Exists:
    return Exists(Correction.objects.filter(item=OuterRef("pk"), action=Correction.Action.VOID))


def items_annotated() -> QuerySet[Any]:
    """Items with `current_category`, `voided` and `state` (the last custody event's kind)."""
    return Item.objects.annotate(
        current_category=_current_category(), voided=_voided(), state=_state()
    )


def items_counted_elsewhere() -> QuerySet[Any]:
    """The items voided or reclassified, annotated: the only ones whose recorded category does
    not say where they count. They are few, so counts by recorded category (`ItemCount`) are
    put right from these alone."""
    moved = Correction.objects.filter(
        Q(action=Correction.Action.VOID)
        | Q(action=Correction.Action.CORRECT, changes__has_key="category")
    )
    return items_annotated().filter(pk__in=moved.values("item_id"))


@dataclass(frozen=True)
class ItemFilters:
    q: str = ""
    kind: str = ""
    category: str = ""
    state: str = ""
    party: str = ""
    collection_point: str = ""
    receipt: int | None = None
    include_voided: bool = False


# The order of the item lists: newest handover first, then the receipt's lines.
ITEM_ORDER = ("-receipt__received_at", "receipt_id", "line")


def _receipts(scope: int | None, filters: ItemFilters) -> QuerySet[Receipt] | None:
    """The receipts whose items the list may show, in the items' order; None for all."""
    receipts = Receipt.objects.order_by("-received_at", "pk")
    if scope is not None:
        receipts = receipts.filter(party_id=scope)
    if filters.party:
        receipts = receipts.filter(party__code=filters.party)
    if filters.collection_point:
        receipts = receipts.filter(collection_point__code=filters.collection_point)
    if filters.receipt is not None:
        receipts = receipts.filter(pk=filters.receipt)
    narrowed = filters.party or filters.collection_point or filters.receipt is not None
    return receipts if narrowed or scope is not None else None


def _selected(
    scope: int | None,
    filters: ItemFilters,
    items: QuerySet[Any],
    *,
    newest: int | None = None,
    by_kind: bool = True,
) -> QuerySet[Any]:
    """`items` narrowed by the filters on their own columns and their receipt's (all but
    `_now`); with `newest`, to the items of that many newest receipts."""
    receipts = _receipts(scope, filters)
    if newest is not None:
        newest_first = Receipt.objects.order_by("-received_at", "pk")
        receipts = newest_first if receipts is None else receipts
        items = items.filter(receipt__in=receipts.values("pk")[:newest])
    elif receipts is not None:
        items = items.filter(receipt__in=receipts.values("pk"))
    if filters.kind and by_kind:
        items = items.filter(kind=filters.kind)
    query = filters.q.strip()
    if query:
        serial = "".join(c for c in query.upper() if c.isalnum())
        # Receipts and corrections as subqueries, not joins: counting reads no receipt per
        # item, and no item comes twice.
        match = (
            Q(mission_id__iexact=query)
            | Q(receipt__in=Receipt.objects.filter(number__iexact=query).values("pk"))
            | Q(make__icontains=query)
            | Q(model__icontains=query)
            | Q(lot_number__icontains=query)
            | Q(pk__in=Correction.objects.filter(changes__icontains=query).values("item_id"))
        )
        if serial:
            match |= Q(serial_key__contains=serial)
        items = items.filter(match)
    return items


def _now(filters: ItemFilters) -> Q:
    """The filters on what corrections and custody say now: the annotations' expressions,
    which need no annotated queryset (and so may filter a count)."""
    now: list[Any] = []
    if not filters.include_voided:
        now.append(~_voided())
    if filters.category:
        now.append(Exact(_current_category(), filters.category))
    if filters.state:
        now.append(Exact(_state(), filters.state))
    return Q(*now)


def item_list(user: User, filters: ItemFilters = ItemFilters()) -> QuerySet[Any]:
    """The items the filters select, annotated, in the lists' order. The lists read it
    through `ItemPages`, which counts and pages it without reading every item."""
    items = items_annotated().select_related(
        "receipt", "receipt__party", "receipt__collection_point"
    )
    items = _selected(party_scope(user), filters, items).filter(_now(filters))
    return items.order_by(*ITEM_ORDER)


# A list of a million items is counted and paged without reading every item's corrections and
# custody events (the annotations). SQLite's statistics (gathered by ceasefire.core.sqlite) are
# sampled and may be stale: the plan is chosen here, from the exact count.


def _category_corrections() -> QuerySet[Correction]:
    return Correction.objects.filter(action=Correction.Action.CORRECT, changes__has_key="category")


def _as_recorded(filters: ItemFilters) -> Q | None:
    """What `_now` comes to for the items no correction or custody event touches
    (`_touched`): a filter on the recorded category, or None when none of them matches."""
    if filters.state and filters.state != INITIAL_STATE:
        return None
    return Q(category=filters.category) if filters.category else Q()


def _touched(filters: ItemFilters) -> Q | None:
    """The items for which `_now` and `_as_recorded` may differ: voided, with a corrected
    category, with a custody event that may make the state filtered or not. They are few
    next to the items, and only theirs are the annotations read. None if no filter needs them."""
    touched: list[QuerySet[Any]] = []
    if not filters.include_voided:
        touched.append(Correction.objects.filter(action=Correction.Action.VOID))
    if filters.category:
        touched.append(_category_corrections())
    if filters.state == INITIAL_STATE:
        touched.append(CustodyEvent.objects.exclude(kind=INITIAL_STATE))
    elif filters.state:
        touched.append(CustodyEvent.objects.filter(kind=filters.state))
    if not touched:
        return None
    found = Q()
    for rows in touched:
        found |= Q(pk__in=rows.values("item_id"))
    return found


def _count(scope: int | None, filters: ItemFilters) -> int:
    """See `item_count`."""
    count = 0
    recorded = _as_recorded(filters)
    if recorded is not None:
        items = _selected(scope, filters, Item.objects.filter(recorded), by_kind=False)
        count = _count_of_kind(items, filters.kind, complement=not filters.q.strip())
    touched = _touched(filters)
    if touched is not None:
        tally = {"now": Count("pk", filter=_now(filters))}
        if recorded is not None:
            tally["recorded"] = Count("pk", filter=recorded)
        near = _selected(scope, filters, Item.objects.filter(touched)).aggregate(**tally)
        count += near["now"] - near.get("recorded", 0)
    return count


def item_count(user: User, filters: ItemFilters = ItemFilters()) -> int:
    """Exactly how many items `item_list` selects. The items no correction or custody event
    touches are counted on their recorded columns, from indexes; then the few touched ones
    move in or out of the count as their annotations say."""
    return _count(party_scope(user), filters)


def _count_of_kind(items: QuerySet[Item], kind: str, *, complement: bool) -> int:
    """How many of `items` are of the kind (of any kind if none). The index `item_not_weapon`
    holds the items that are not weapons, few next to the weapons; so weapons count as all
    items less those, unless counting all items means reading each (a search)."""
    if not kind:
        return items.count()
    others = items.exclude(kind=Item.Kind.WEAPON)
    if kind != Item.Kind.WEAPON:
        return others.filter(kind=kind).count()
    if complement:
        return items.count() - others.count()
    return items.filter(kind=kind).count()


def _rare(filters: ItemFilters) -> Q | None:
    """Where an index finds every item the state and category filters select, or None."""
    rare = Q()
    if filters.state and filters.state != INITIAL_STATE:
        rare &= Q(pk__in=CustodyEvent.objects.filter(kind=filters.state).values("item_id"))
    if filters.category:
        rare &= Q(category=filters.category) | Q(pk__in=_category_corrections().values("item_id"))
    return rare or None


class ItemPages:
    """An item list as Django's Paginator and the API's pagination take it: an exact
    `count()`, and slices read a page at a time."""

    def __init__(self, user: User, filters: ItemFilters = ItemFilters()) -> None:
        self.scope = party_scope(user)
        self.filters = filters
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = _count(self.scope, self.filters)
        return self._count

    def __getitem__(self, window: slice) -> list[Any]:
        start = window.start or 0
        stop = self.count() if window.stop is None else min(window.stop, self.count())
        if stop <= start:
            return []
        ids = self._ids(start, stop)
        rows = items_annotated().select_related(
            "receipt", "receipt__party", "receipt__collection_point"
        )
        found = rows.in_bulk(ids)
        return [found[pk] for pk in ids]

    def _ids(self, start: int, stop: int) -> list[int]:
        """The page's item ids, in order. The first pages lie in the newest receipts: in as
        many as hold twice `stop` items at the list's average (more if not), whose items alone
        are sorted. Items few and far apart are read from an index instead, if one has them."""
        items, count = Item.objects.filter(_now(self.filters)), self.count()
        rare = _rare(self.filters)
        newest = among = None
        if rare is not None and count < 16 * stop:
            items = items.filter(rare)
        elif count >= 2 * stop:
            receipts = _receipts(self.scope, self.filters)
            among = (Receipt.objects.all() if receipts is None else receipts).count()
            newest = 2 * stop * among // count + 1
        while True:
            page = _selected(self.scope, self.filters, items, newest=newest)
            ids = list(page.order_by(*ITEM_ORDER).values_list("pk", flat=True)[start:stop])
            if len(ids) == stop - start or newest is None or among is None:
                return ids
            newest = newest * 4 if newest * 4 < among else None


def item_for_user(user: User, pk: int) -> Item:
    item = (
        item_list(user, ItemFilters(include_voided=True))
        .select_related("reference", "receipt__received_by")
        .prefetch_related(
            Prefetch("custody_events", CustodyEvent.objects.select_related("place")),
            Prefetch("corrections", Correction.objects.select_related("author")),
        )
        .filter(pk=pk)
        .first()
    )
    if not isinstance(item, Item):
        raise NotFound(_("There is no such item."))
    return item


def item_by_mission_id(user: User, mission_id: str) -> Item:
    item = item_list(user, ItemFilters(include_voided=True)).filter(mission_id=mission_id).first()
    if not isinstance(item, Item):
        raise NotFound(_("There is no item %(item)s.") % {"item": mission_id})
    return item


def effective(item: Item) -> dict[str, Any]:
    """The item's correctable values now: as recorded, with every correction applied in order."""
    values = {name: getattr(item, name) for name in CORRECTABLE[item.kind]}
    # Queried, not prefetched: a service reads this right before writing the next correction.
    corrections = item.corrections.filter(action=Correction.Action.CORRECT)
    for correction in corrections.order_by("created_at", "pk"):
        values |= correction.changes
    return values


def reference_list() -> QuerySet[ReferenceWeapon]:
    return ReferenceWeapon.objects.order_by("category", "make", "model")


# Totals


def totals() -> dict[str, Any]:
    """Items by current category, surrendered (not voided) and destroyed (destroyed or
    deactivated), in the shape of the log's public totals, which must agree. Kept until the log
    moves: every change to items, corrections and custody is logged with it. Shared: callers
    must not change it."""
    return kept_while_log_unchanged(("registry.totals",), _totals)


def _totals() -> dict[str, Any]:
    """Counted from `ItemCount` (items by category as recorded) and from the destroying custody
    events (a few in a hundred items); then only the corrected and voided items, which are
    few, move from their recorded category to where they count now."""
    from ceasefire.registry.services import item_count_sync

    item_count_sync()
    surrendered: Tally[str] = Tally()
    for category, count in ItemCount.objects.values_list("category").annotate(Sum("items")):
        surrendered[category] += count
    destroying = CustodyEvent.objects.filter(kind__in=logtypes.DESTROYING_EVENTS)
    destroyed: Tally[str] = Tally()
    groups = (
        destroying.order_by().values_list("item__category").annotate(Count("item", distinct=True))
    )
    for category, count in groups:
        destroyed[category] += count
    corrected = items_counted_elsewhere().annotate(
        destroyed=Exists(destroying.filter(item=OuterRef("pk")))
    )
    rows = corrected.values_list("category", "current_category", "voided", "destroyed")
    for recorded, current, voided, was_destroyed in rows:
        for tally in (surrendered, destroyed) if was_destroyed else (surrendered,):
            tally[recorded] -= 1
            if not voided:
                tally[current] += 1
    present = sorted(category for category, count in surrendered.items() if count > 0)
    return {
        "by_category": {
            category: {"surrendered": surrendered[category], "destroyed": destroyed[category]}
            for category in present
        },
        "total": {
            "surrendered": sum(surrendered[c] for c in present),
            "destroyed": sum(destroyed[c] for c in present),
        },
    }


# Co-signing


@dataclass(frozen=True)
class ShownCosignature:
    cosignature: Cosignature
    verifies: bool


def cosignatures(entry_id: int) -> list[ShownCosignature]:
    """Who co-signed an entry, each signature checked again now."""
    rows = Cosignature.objects.filter(signed_entry_id=entry_id).select_related(
        "key__user", "key__party", "signed_entry"
    )
    return [
        ShownCosignature(
            row,
            cosign.verify(
                bytes(row.key.public_key), bytes(row.signed_entry.body), bytes(row.signature)
            ),
        )
        for row in rows
    ]


def liaison_keys(user: User) -> QuerySet[LiaisonKey]:
    return LiaisonKey.objects.filter(user=user).order_by("-enrolled_at")


@dataclass(frozen=True)
class ShownOpening:
    index: int
    field: str
    value_json: str  # canonical JSON, exactly what the commitment covers
    secret: str  # base64
    commitment: str


def openings(entries: dict[int, dict[str, Any]]) -> list[ShownOpening]:
    """The openings of every sealed field of these entries, for the party's liaison to check
    before co-signing. `entries` maps each entry index to the values of its personal fields
    (which the log keeps no copy of) as this module recorded them."""
    bodies = {
        entry.index: json.loads(bytes(entry.body))
        for entry in LogEntry.objects.filter(index__in=entries)
    }
    shown = []
    rows = SealedField.objects.filter(entry_id__in=entries).order_by("entry_id", "field")
    for row in rows:
        if row.secret is None:
            continue
        if row.value is not None:
            value_json = bytes(row.value).decode()
        elif row.field in entries[row.entry_id]:
            value_json = canonical_json(entries[row.entry_id][row.field]).decode()
        else:
            continue
        shown.append(
            ShownOpening(
                index=row.entry_id,
                field=row.field,
                value_json=value_json,
                secret=base64.b64encode(bytes(row.secret)).decode(),
                commitment=bodies[row.entry_id]["sealed"][row.field],
            )
        )
    return shown


def receipt_openings(receipt: Receipt) -> list[ShownOpening]:
    personal: dict[str, Any] = {
        "received_by": receipt.received_by.get_username(),
        "witnesses": receipt.witnesses,
    }
    if receipt.handed_over_by:
        personal["handed_over_by"] = receipt.handed_over_by
    entries: dict[int, dict[str, Any]] = {receipt.entry_id: personal}
    entries |= {entry_id: {} for entry_id in receipt.items.values_list("entry_id", flat=True)}
    return openings(entries)


def correction_openings(correction: Correction) -> list[ShownOpening]:
    return openings({correction.entry_id: {"author": correction.author.get_username()}})


def signable_for_user(user: User, index: int) -> tuple[LogEntry, Receipt | None, Correction | None]:
    """An entry the user's party may co-sign: its receipt header or correction (else 404)."""
    scope = party_scope(user)
    receipt = receipt_list(user).filter(entry_id=index).first()
    correction = None
    if receipt is None:
        corrections = Correction.objects.select_related("item__receipt", "author")
        if scope is not None:
            corrections = corrections.filter(item__receipt__party_id=scope)
        correction = corrections.filter(entry_id=index).first()
    entry = LogEntry.objects.filter(index=index).first()
    if entry is None or (receipt is None and correction is None):
        raise NotFound(_("There is nothing of your party to co-sign here."))
    return entry, receipt, correction
