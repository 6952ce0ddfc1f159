"""Reads on declared holdings and the reconciliation of what each party declared with what it
surrendered. Counts are in the registry's units: weapons one per piece, ammunition and
explosives one per lot. A liaison sees only their own party's; estimates only analysts and
admins."""

from __future__ import annotations

from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ceasefire.accounts.models import Party
from ceasefire.accounts.roles import Role
from ceasefire.core.errors import NotFound
from ceasefire.holdings.models import Declaration, Estimate, Holding
from ceasefire.holdings.services import ESTIMATORS
from ceasefire.ledger.selectors import kept_while_log_unchanged
from ceasefire.registry.models import Item, ItemCount, Receipt
from ceasefire.registry.selectors import items_annotated, items_counted_elsewhere, party_scope
from ceasefire.registry.services import item_count_sync, serial_key, text_key


def sees_estimates(user: Any) -> bool:
    return bool(user.has_role(*ESTIMATORS))


def holding_list(user: Any) -> QuerySet[Holding]:
    holdings = Holding.objects.select_related("party", "location")
    if not user.has_role(Role.ADMIN):
        scope = party_scope(user)
        if scope is not None:
            holdings = holdings.filter(party_id=scope)
    return holdings


def holding_for_user(user: Any, pk: int) -> Holding:
    holding = holding_list(user).filter(pk=pk).first()
    if holding is None:
        raise NotFound(_("There is no such declared holding."))
    return holding


def versions(holding: Holding) -> QuerySet[Declaration]:
    """Every version of a holding's declaration, the first first: nothing is erased."""
    return holding.versions.select_related("declared_by").order_by("version")


@dataclass
class Row:
    """One line of the reconciliation: a party's unit's holdings of one category."""

    party: str
    unit: str
    category: str
    declared: int = 0
    estimated: int | None = None
    surrendered: int = 0
    # Surrendered items not declared: all of them when nothing is declared for the unit and
    # category; those whose serial the party's item-by-item list left out; none when the party
    # declared a quantity without serials.
    undeclared: int = 0
    # Their mission IDs, listed only where the party declared item by item: a unit that
    # declared nothing may have surrendered thousands, and a list that long helps no reader.
    undeclared_items: list[str] = field(default_factory=list)
    # Serials declared item by item and never surrendered.
    not_surrendered: list[str] = field(default_factory=list)

    @property
    def outstanding(self) -> int:
        return max(self.declared - self.surrendered, 0)


# (party id, unit as compared with `text_key`, category)
Key = tuple[int, str, str]
# Well under SQLite's limit on the variables of one statement (999 in older builds).
SERIAL_CHUNK = 500


@dataclass
class _Declared:
    unit: str
    quantity: int = 0
    # serial_key -> the serial as declared; empty unless the party declared item by item.
    serials: dict[str, str] = field(default_factory=dict)


def _declared(party_id: int | None) -> dict[Key, _Declared]:
    """The current version of each holding, summed per key (a unit may declare one category
    at several locations)."""
    current = Declaration.objects.select_related("holding").order_by("holding_id", "-version")
    if party_id is not None:
        current = current.filter(holding__party_id=party_id)
    declared: dict[Key, _Declared] = {}
    seen: set[int] = set()
    for declaration in current:
        if declaration.holding_id in seen:
            continue  # an earlier version, superseded
        seen.add(declaration.holding_id)
        holding = declaration.holding
        key = (holding.party_id, holding.unit_key, holding.category)
        found = declared.setdefault(key, _Declared(holding.unit))
        found.quantity += declaration.quantity
        found.serials |= {serial_key(serial): serial for serial in declaration.serials}
    return declared


def _corrected(party_id: int | None) -> list[dict[str, Any]]:
    """`registry.selectors.items_counted_elsewhere`, of one party, as the rows the counts need."""
    items = items_counted_elsewhere()
    if party_id is not None:
        items = items.filter(receipt__party_id=party_id)
    return list(
        items.values(
            "pk",
            "mission_id",
            "serial_key",
            "receipt__party_id",
            "receipt__unit",
            "category",
            "current_category",
            "voided",
        )
    )


def _surrendered(party_id: int | None, corrected: list[dict[str, Any]]) -> dict[Key, Tally[str]]:
    """Items not voided per key and current category, counted per spelling of the unit on
    their receipts."""
    item_count_sync()
    # The registry's counts by category as recorded; units are compared (ignoring case and
    # spacing) here, on the few rows.
    groups = ItemCount.objects.order_by()
    if party_id is not None:
        groups = groups.filter(party_id=party_id)
    counts: dict[Key, Tally[str]] = defaultdict(Tally)
    for party, unit, category, count in groups.values_list("party_id", "unit", "category", "items"):
        counts[(party, text_key(unit), category)][unit] += count
    for item in corrected:
        party, unit = item["receipt__party_id"], item["receipt__unit"]
        counts[(party, text_key(unit), item["category"])][unit] -= 1
        if not item["voided"]:
            counts[(party, text_key(unit), item["current_category"])][unit] += 1
    return counts


def _matched(party_id: int | None, declared: dict[Key, _Declared]) -> dict[Key, set[str]]:
    """Per key declared item by item, the listed serials that a surrendered item carries. An
    empty key (a serial with no letter or digit) matches nothing."""
    listed = sorted({serial for found in declared.values() for serial in found.serials if serial})
    matched: dict[Key, set[str]] = defaultdict(set)
    for start in range(0, len(listed), SERIAL_CHUNK):
        items = items_annotated().filter(
            serial_key__in=listed[start : start + SERIAL_CHUNK], voided=False
        )
        if party_id is not None:
            items = items.filter(receipt__party_id=party_id)
        rows = items.values_list(
            "receipt__party_id", "receipt__unit", "current_category", "serial_key"
        )
        for party, unit, category, serial in rows:
            key = (party, text_key(unit), category)
            if key in declared and serial in declared[key].serials:
                matched[key].add(serial)
    return matched


def _unlisted(
    key: Key, units: list[str], serials: dict[str, str], corrected: list[dict[str, Any]]
) -> list[str]:
    """The mission IDs of a key's surrendered items whose serial the party did not list."""
    party, unit_key, category = key
    moved = {item["pk"] for item in corrected}
    # Listed serials are left out here, not in SQL, where thousands of them would pass SQLite's
    # limit on variables; the key's items are either listed or the answer, so few are wasted.
    # The unit's receipts lead, and the category is compared here too: given the category,
    # SQLite walks every item of it (150,000 at a million items) instead of the unit's few.
    receipts = Receipt.objects.filter(party_id=party, unit__in=units).values("pk")
    items = (
        Item.objects.filter(receipt_id__in=receipts)
        .order_by()
        .values_list("pk", "mission_id", "serial_key", "category")
    )
    found = [
        (pk, mission_id)
        for pk, mission_id, serial, recorded in items
        if recorded == category and pk not in moved and (not serial or serial not in serials)
    ]
    found += [
        (item["pk"], item["mission_id"])
        for item in corrected
        if not item["voided"]
        and item["current_category"] == category
        and text_key(item["receipt__unit"]) == unit_key
        and item["receipt__party_id"] == party
        and (not item["serial_key"] or item["serial_key"] not in serials)
    ]
    return [mission_id for _pk, mission_id in sorted(found)]


def _estimates(party_id: int | None) -> dict[Key, Estimate]:
    """The latest estimate per key."""
    estimates = Estimate.objects.order_by("estimated_at", "pk")
    if party_id is not None:
        estimates = estimates.filter(party_id=party_id)
    return {(e.party_id, e.unit_key, e.category): e for e in estimates}


def reconciliation(*, party_id: int | None = None, with_estimates: bool = False) -> list[Row]:
    """Declared, estimated, surrendered and outstanding per party, unit and category, with the
    items on either side that the other lacks. `party_id` limits it to one party. The daily
    report calls this too. Kept until the log moves: declarations, estimates, items and their
    corrections are all logged as they are written. Shared: callers must not change it."""
    return kept_while_log_unchanged(
        ("holdings.reconciliation", party_id, with_estimates),
        lambda: _reconciliation(party_id, with_estimates),
    )


def _reconciliation(party_id: int | None, with_estimates: bool) -> list[Row]:
    """Only the declarations and corrections are read one by one, with the items that a list of
    serials names or that a key declared item by item holds; the rest come counted from the
    registry's `ItemCount`."""
    declared = _declared(party_id)
    corrected = _corrected(party_id)
    counts = _surrendered(party_id, corrected)
    matched = _matched(party_id, declared)
    estimates = _estimates(party_id) if with_estimates else {}
    codes = dict(Party.objects.values_list("pk", "code"))
    keys = declared.keys() | estimates.keys()
    keys |= {key for key, tally in counts.items() if tally.total() > 0}
    rows = []
    for key in sorted(keys, key=lambda k: (codes[k[0]], k[1], k[2])):
        found = declared.get(key)
        tally = counts.get(key, Tally())
        spellings = sorted(unit for unit, count in tally.items() if count > 0)
        if found is not None:
            unit = found.unit
        else:
            unit = spellings[0] if spellings else estimates[key].unit
        row = Row(party=codes[key[0]], unit=unit, category=key[2], surrendered=tally.total())
        if key in estimates:
            row.estimated = estimates[key].quantity
        if found is None:
            row.undeclared = row.surrendered
        else:
            row.declared = found.quantity
            if found.serials:
                row.not_surrendered = sorted(
                    text for serial, text in found.serials.items() if serial not in matched[key]
                )
                row.undeclared_items = _unlisted(key, sorted(tally), found.serials, corrected)
                row.undeclared = len(row.undeclared_items)
        rows.append(row)
    return rows


def reconciliation_for_user(user: Any) -> list[Row]:
    scope = None if user.has_role(Role.ADMIN) else party_scope(user)
    return reconciliation(party_id=scope, with_estimates=sees_estimates(user))
