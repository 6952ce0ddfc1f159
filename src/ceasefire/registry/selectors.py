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
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ceasefire.accounts.models import User
from ceasefire.accounts.roles import Role
from ceasefire.core.errors import NotFound
from ceasefire.ledger.entries import canonical_json
from ceasefire.ledger.models import LogEntry, SealedField
from ceasefire.registry import cosign, logtypes
from ceasefire.registry.models import (
    CORRECTABLE,
    Correction,
    Cosignature,
    CustodyEvent,
    Item,
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
    receipts = Receipt.objects.select_related("collection_point", "party").prefetch_related(
        "collection_point__names__party"
    )
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


def items_annotated() -> QuerySet[Any]:
    """Items with `current_category`, `voided` and `state` (the last custody event's kind)."""
    return Item.objects.annotate(
        current_category=_current_category(),
        voided=Exists(
            Correction.objects.filter(item=OuterRef("pk"), action=Correction.Action.VOID)
        ),
        state=_state(),
    )


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


def item_list(user: User, filters: ItemFilters = ItemFilters()) -> QuerySet[Any]:
    items = items_annotated().select_related(
        "receipt", "receipt__party", "receipt__collection_point"
    )
    scope = party_scope(user)
    if scope is not None:
        items = items.filter(receipt__party_id=scope)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.category:
        items = items.filter(current_category=filters.category)
    if filters.state:
        items = items.filter(state=filters.state)
    if filters.party:
        items = items.filter(receipt__party__code=filters.party)
    if filters.collection_point:
        items = items.filter(receipt__collection_point__code=filters.collection_point)
    if filters.receipt is not None:
        items = items.filter(receipt_id=filters.receipt)
    if not filters.include_voided:
        items = items.filter(voided=False)
    query = filters.q.strip()
    if query:
        serial = "".join(c for c in query.upper() if c.isalnum())
        match = (
            Q(mission_id__iexact=query)
            | Q(receipt__number__iexact=query)
            | Q(make__icontains=query)
            | Q(model__icontains=query)
            | Q(lot_number__icontains=query)
            | Q(corrections__changes__icontains=query)
        )
        if serial:
            match |= Q(serial_key__contains=serial)
        items = items.filter(match).distinct()
    return items.order_by("-receipt__received_at", "receipt_id", "line")


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
    deactivated), in the shape of the log's public totals, which must agree."""
    items = items_annotated().filter(voided=False)
    destroyed_ids = set(
        CustodyEvent.objects.filter(kind__in=logtypes.DESTROYING_EVENTS).values_list(
            "item_id", flat=True
        )
    )
    surrendered: Tally[str] = Tally()
    destroyed: Tally[str] = Tally()
    for pk, category in items.values_list("pk", "current_category").iterator(chunk_size=2000):
        surrendered[category] += 1
        if pk in destroyed_ids:
            destroyed[category] += 1
    return {
        "by_category": {
            category: {"surrendered": surrendered[category], "destroyed": destroyed[category]}
            for category in sorted(surrendered)
        },
        "total": {"surrendered": sum(surrendered.values()), "destroyed": sum(destroyed.values())},
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
