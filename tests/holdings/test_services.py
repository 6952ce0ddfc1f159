from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceasefire.accounts.models import Party, User
from ceasefire.core.errors import PermissionDenied, ValidationFailed
from ceasefire.holdings import selectors, services
from ceasefire.holdings.models import Declaration, Holding
from ceasefire.holdings.selectors import Row
from ceasefire.ledger.models import LogEntry
from ceasefire.registry import services as registry_services
from ceasefire.registry.models import Item, ItemCount, ItemCountMark
from tests.registry import factories as registry

pytestmark = pytest.mark.django_db


def declare(liaison: User, quantity: int, **more: object) -> Declaration:
    values: dict[str, object] = {"unit": "3rd Rifle Company", "category": "assault_rifle"}
    return services.declaration_make(user=liaison, quantity=quantity, **(values | more))  # type: ignore[arg-type]


class TestDeclarationMake:
    def test_an_amendment_keeps_the_earlier_version(self, cast: dict[str, User]) -> None:
        first = declare(cast["liaison_north"], 10)
        second = declare(cast["liaison_north"], 12)
        assert (first.version, second.version) == (1, 2)
        assert first.holding_id == second.holding_id
        assert Declaration.objects.get(pk=first.pk).quantity == 10
        assert [v.quantity for v in selectors.versions(first.holding)] == [10, 12]
        body = bytes(LogEntry.objects.get(index=second.entry_id).body)
        assert f'"supersedes":{first.entry_id}'.encode() in body

    def test_only_a_liaison_declares(self, cast: dict[str, User]) -> None:
        with pytest.raises(PermissionDenied):
            declare(cast["field"], 3)

    def test_bad_input_gets_a_clear_message_and_writes_nothing(self, cast: dict[str, User]) -> None:
        entries = LogEntry.objects.count()
        with pytest.raises(ValidationFailed, match="More serial numbers"):
            declare(cast["liaison_north"], 1, serials=["A1", "A2"])
        with pytest.raises(ValidationFailed, match="Unknown category"):
            declare(cast["liaison_north"], 1, category="catapult")
        assert LogEntry.objects.count() == entries
        assert not Holding.objects.exists()


class TestEstimates:
    def test_only_analysts_and_admins_record_and_see_estimates(self, cast: dict[str, User]) -> None:
        party = Party.objects.get(code="north")
        with pytest.raises(PermissionDenied):
            services.estimate_record(
                user=cast["field"],
                party=party,
                unit="3rd Rifle Company",
                category="assault_rifle",
                quantity=30,
                source="Mission survey",
            )
        services.estimate_record(
            user=cast["analyst"],
            party=party,
            unit="3rd rifle company",
            category="assault_rifle",
            quantity=30,
            source="Mission survey",
        )
        assert [r.estimated for r in selectors.reconciliation_for_user(cast["analyst"])] == [30]
        # Without the estimate, nothing is declared or surrendered: no row at all.
        assert selectors.reconciliation_for_user(cast["field"]) == []


class TestReconciliation:
    def test_it_equals_an_independent_count(self, cast: dict[str, User]) -> None:
        north = cast["liaison_north"]
        party = Party.objects.get(code="north")
        weapons = [registry.weapon(serial=f"N{n}") for n in range(4)]
        registry.receipt(party, cast["field"], [*weapons, registry.lot()])
        # Declared: 6 assault rifles, serials N0, N1 and X9 listed; 2 lots of ammunition.
        declare(north, 6, serials=["N0", "N1", "X9"])
        declare(north, 2, category="ammunition")
        rows = {(r.unit, r.category): r for r in selectors.reconciliation(party_id=party.pk)}
        rifles = rows[("3rd Rifle Company", "assault_rifle")]
        surrendered_rifles = Item.objects.filter(
            receipt__party=party, category="assault_rifle"
        ).count()
        assert (rifles.declared, rifles.surrendered) == (6, surrendered_rifles)
        assert rifles.outstanding == 6 - surrendered_rifles
        unlisted = Item.objects.filter(receipt__party=party, category="assault_rifle").exclude(
            serial__in=["N0", "N1"]
        )
        assert rifles.undeclared_items == list(
            unlisted.order_by("pk").values_list("mission_id", flat=True)
        )
        assert rifles.undeclared == unlisted.count() == 2
        assert rifles.not_surrendered == ["X9"]
        ammunition = rows[("3rd Rifle Company", "ammunition")]
        assert (ammunition.declared, ammunition.surrendered, ammunition.outstanding) == (2, 1, 1)
        # Declared as a quantity, without serials: nothing counts as undeclared.
        assert (ammunition.undeclared, ammunition.undeclared_items) == (0, [])

    def test_a_voided_item_counts_nowhere(self, cast: dict[str, User]) -> None:
        party = Party.objects.get(code="north")
        receipt = registry.receipt(
            party, cast["field"], [registry.weapon(serial=f"V{n}") for n in range(3)]
        )
        declare(cast["liaison_north"], 3, serials=["V0", "V1", "V2"])
        voided = receipt.items.get(serial="V2")
        registry_services.item_void(user=cast["field"], item=voided, reason="Double entry.")
        [rifles] = selectors.reconciliation(party_id=party.pk)
        assert (rifles.surrendered, rifles.outstanding) == (2, 1)
        assert (rifles.undeclared, rifles.undeclared_items) == (0, [])
        assert rifles.not_surrendered == ["V2"]

    def test_a_reclassified_item_counts_in_its_latest_category(self, cast: dict[str, User]) -> None:
        party, officer = Party.objects.get(code="north"), cast["field"]
        # Not in the reference table, so their category is the officer's to correct.
        acme = {"make": "Acme", "model": "X", "category": "rifle", "unlisted": True}
        receipt = registry.receipt(
            party, officer, [registry.weapon(serial=f"M{n}", **acme) for n in range(3)]
        )
        declare(cast["liaison_north"], 2, category="rifle", serials=["M0", "M1"])
        declare(cast["liaison_north"], 1, category="pistol", serials=["M2"])
        moved = receipt.items.get(serial="M2")

        def reclassify(category: str) -> dict[str, Row]:
            registry_services.item_correct(
                user=officer, item=moved, changes={"category": category}, reason="Recount."
            )
            return {r.category: r for r in selectors.reconciliation(party_id=party.pk)}

        reclassify("light_machine_gun")
        rows = reclassify("pistol")  # the latest correction is the one that counts
        assert set(rows) == {"rifle", "pistol"}
        for row in rows.values():
            assert (row.surrendered, row.outstanding, row.undeclared) == (row.declared, 0, 0)
            assert row.not_surrendered == row.undeclared_items == []
        rows = reclassify("light_machine_gun")
        # Declared as a pistol, surrendered as a machine gun: each side shows it missing.
        assert (rows["pistol"].surrendered, rows["pistol"].not_surrendered) == (0, ["M2"])
        machine_guns = rows["light_machine_gun"]
        assert (machine_guns.declared, machine_guns.surrendered, machine_guns.undeclared) == (
            0,
            1,
            1,
        )
        assert (rows["rifle"].surrendered, rows["rifle"].undeclared) == (2, 0)

    def test_two_spellings_of_a_unit_are_one_unit(self, cast: dict[str, User]) -> None:
        party = Party.objects.get(code="north")
        registry.receipt(
            party, cast["field"], [registry.weapon(serial="S1")], unit="3rd  rifle company"
        )
        registry.receipt(
            party, cast["field"], [registry.weapon(serial="S2")], unit="3RD Rifle Company"
        )
        [undeclared] = selectors.reconciliation(party_id=party.pk)
        # Nothing declared: the smallest spelling stands for the unit.
        assert (undeclared.unit, undeclared.surrendered, undeclared.undeclared) == (
            "3RD Rifle Company",
            2,
            2,
        )
        declare(cast["liaison_north"], 3, serials=["S1"])
        [rifles] = selectors.reconciliation(party_id=party.pk)
        assert (rifles.unit, rifles.declared, rifles.surrendered) == ("3rd Rifle Company", 3, 2)
        assert rifles.undeclared_items == list(
            Item.objects.filter(serial="S2").values_list("mission_id", flat=True)
        )
        assert (rifles.undeclared, rifles.not_surrendered, rifles.outstanding) == (1, [], 1)

    def test_a_unit_that_declared_nothing_has_everything_undeclared_unlisted(
        self, cast: dict[str, User]
    ) -> None:
        party = Party.objects.get(code="north")
        registry.receipt(party, cast["field"], unit="Border Guard")
        declare(cast["liaison_north"], 1)
        rows = {(r.unit, r.category): r for r in selectors.reconciliation(party_id=party.pk)}
        guard = [r for (unit, _c), r in rows.items() if unit == "Border Guard"]
        assert sum(r.surrendered for r in guard) == 3
        assert all(r.undeclared == r.surrendered and not r.undeclared_items for r in guard)
        assert all(r.declared == 0 for r in guard)

    def test_its_queries_do_not_grow_with_the_items(self, cast: dict[str, User]) -> None:
        party = Party.objects.get(code="north")
        declare(cast["liaison_north"], 3, serials=["Q0"])

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                selectors.reconciliation(with_estimates=True)
            return len(captured)

        registry.receipt(party, cast["field"], [registry.weapon(serial="Q0")])
        few = queries()
        registry.receipt(party, cast["field"], [registry.weapon() for _n in range(20)])
        registry.receipt(party, cast["field"], unit="Border Guard")
        assert queries() == few

    def test_items_the_registry_has_not_counted_yet_are_counted_on_reading(
        self, cast: dict[str, User]
    ) -> None:
        party = Party.objects.get(code="north")
        receipt = registry.receipt(party, cast["field"])
        registry.receipt(party, cast["field"], unit="Border Guard")
        voided = receipt.items.get(line=1)
        registry_services.item_void(user=cast["field"], item=voided, reason="Error.")
        declare(cast["liaison_north"], 4)
        before = selectors.reconciliation()
        # As right after the migration that added the registry's item counts.
        ItemCount.objects.all().delete()
        ItemCountMark.objects.all().delete()
        assert selectors.reconciliation() == before
        assert sum(row.surrendered for row in before) == 5

    def test_a_liaison_sees_only_their_own_party(self, cast: dict[str, User]) -> None:
        declare(cast["liaison_north"], 5)
        declare(cast["liaison_south"], 7)
        assert [r.party for r in selectors.reconciliation_for_user(cast["liaison_south"])] == [
            "south"
        ]
        assert len(selectors.reconciliation_for_user(cast["analyst"])) == 2
