"""Reads on declared holdings and the reconciliation of what each party declared with what it
surrendered. Counts are in the registry's units: weapons one per piece, ammunition and
explosives one per lot. A liaison sees only their own party's; estimates only analysts and
admins."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ceasefire.accounts.roles import Role
from ceasefire.core.errors import NotFound
from ceasefire.holdings.models import Declaration, Estimate, Holding
from ceasefire.holdings.services import ESTIMATORS
from ceasefire.registry.selectors import items_annotated, party_scope
from ceasefire.registry.services import serial_key, text_key


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
    # Surrendered items with no declaration for their unit and category, or whose serial the
    # party's item-by-item declaration did not list.
    undeclared: list[str] = field(default_factory=list)
    # Serials declared item by item and never surrendered.
    not_surrendered: list[str] = field(default_factory=list)

    @property
    def outstanding(self) -> int:
        return max(self.declared - self.surrendered, 0)


def reconciliation(*, party_id: int | None = None, with_estimates: bool = False) -> list[Row]:
    """Declared, estimated, surrendered and outstanding per party, unit and category, with the
    items on either side that the other lacks. `party_id` limits it to one party. The daily
    report calls this too."""
    rows: dict[tuple[str, str, str], Row] = {}

    def row(party: str, unit_key: str, unit: str, category: str) -> Row:
        key = (party, unit_key, category)
        if key not in rows:
            rows[key] = Row(party=party, unit=unit, category=category)
        return rows[key]

    declared_serials: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    serial_text: dict[str, str] = {}
    current = Declaration.objects.select_related("holding__party").order_by(
        "holding_id", "-version"
    )
    if party_id is not None:
        current = current.filter(holding__party_id=party_id)
    seen: set[int] = set()
    for declaration in current:
        if declaration.holding_id in seen:
            continue  # an earlier version, superseded
        seen.add(declaration.holding_id)
        holding = declaration.holding
        key = (holding.party.code, holding.unit_key, holding.category)
        row(*key[:2], holding.unit, key[2]).declared += declaration.quantity
        for serial in declaration.serials:
            declared_serials[key].add(serial_key(serial))
            serial_text[serial_key(serial)] = serial
    items = items_annotated().filter(voided=False).select_related("receipt__party")
    if party_id is not None:
        items = items.filter(receipt__party_id=party_id)
    surrendered_serials: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for item in items.order_by("pk"):
        unit_key = text_key(item.receipt.unit)
        key = (item.receipt.party.code, unit_key, item.current_category)
        found = row(key[0], unit_key, item.receipt.unit, key[2])
        found.surrendered += 1
        if item.serial_key:
            surrendered_serials[key].add(item.serial_key)
        listed = declared_serials.get(key)
        if (listed is None and found.declared == 0) or (
            listed is not None and item.serial_key not in listed
        ):
            found.undeclared.append(item.mission_id)
    for key, serials in declared_serials.items():
        missing = serials - surrendered_serials[key]
        rows[key].not_surrendered = sorted(serial_text[s] for s in missing)
    if with_estimates:
        estimates = Estimate.objects.select_related("party").order_by("estimated_at", "pk")
        if party_id is not None:
            estimates = estimates.filter(party_id=party_id)
        latest: dict[tuple[str, str, str], Estimate] = {}
        for estimate in estimates:
            latest[(estimate.party.code, estimate.unit_key, estimate.category)] = estimate
        for key, estimate in latest.items():
            row(key[0], key[1], estimate.unit, key[2]).estimated = estimate.quantity
    return [rows[key] for key in sorted(rows)]


def reconciliation_for_user(user: Any) -> list[Row]:
    scope = None if user.has_role(Role.ADMIN) else party_scope(user)
    return reconciliation(party_id=scope, with_estimates=sees_estimates(user))
