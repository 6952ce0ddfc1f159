"""Demo declarations: each party declares its units' holdings by category, above what they
surrendered (the gap the reconciliation shows), amends one declaration, and lists serials for
one; the mission's analysts record an estimate beside some."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceasefire.holdings import selectors, services
from ceasefire.registry.models import Item

if TYPE_CHECKING:
    from ceasefire.demo import DemoContext


def demo_holdings(context: DemoContext) -> None:
    rng = context.rng
    analyst = context.users["analyst"]
    for code in ("north", "south"):
        party = context.parties[code]
        liaison = context.users[f"liaison-{code}"]
        rows = selectors.reconciliation(party_id=party.pk)
        listed = False  # one declaration per party lists serials
        for number, row in enumerate(rows):
            if row.unit.startswith("Arms cache"):
                continue  # a cache is not a unit a party declares
            declared = row.surrendered + rng.randint(1, 12)
            serials: list[str] = []
            if row.category == "assault_rifle" and not listed:
                # Item by item: most of what it handed over, and two it never did.
                surrendered = Item.objects.filter(
                    receipt__party=party, receipt__unit=row.unit, category=row.category
                ).exclude(serial="")
                serials = list(surrendered.values_list("serial", flat=True)[: declared - 2])
                serials += [f"{code[0].upper()}X{rng.randint(1000, 9999)}{n}" for n in range(2)]
                listed = True
            amended = number % 4 == 1
            declaration = services.declaration_make(
                user=liaison,
                unit=row.unit,
                category=row.category,
                # An amended declaration first said less; the first version stays on record.
                quantity=declared - 1 if amended else declared,
                serials=serials,
            )
            if amended:
                services.declaration_make(
                    user=liaison,
                    unit=row.unit,
                    category=row.category,
                    quantity=declared,
                    serials=serials,
                    note="Amended after the unit's own recount.",
                )
            if number % 3 == 0:
                services.estimate_record(
                    user=analyst,
                    party=party,
                    unit=row.unit,
                    category=row.category,
                    quantity=declaration.quantity + rng.randint(2, 15),
                    source="Mission survey of the unit's positions",
                )
