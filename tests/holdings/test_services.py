from __future__ import annotations

import pytest

from ceasefire.accounts.models import Party, User
from ceasefire.core.errors import PermissionDenied, ValidationFailed
from ceasefire.holdings import selectors, services
from ceasefire.holdings.models import Declaration, Holding
from ceasefire.ledger.models import LogEntry
from ceasefire.registry.models import Item
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
        assert sorted(rifles.undeclared) == sorted(
            Item.objects.filter(serial__in=["N2", "N3"]).values_list("mission_id", flat=True)
        )
        assert rifles.not_surrendered == ["X9"]
        ammunition = rows[("3rd Rifle Company", "ammunition")]
        assert (ammunition.declared, ammunition.surrendered, ammunition.outstanding) == (2, 1, 1)

    def test_a_liaison_sees_only_their_own_party(self, cast: dict[str, User]) -> None:
        declare(cast["liaison_north"], 5)
        declare(cast["liaison_south"], 7)
        assert [r.party for r in selectors.reconciliation_for_user(cast["liaison_south"])] == [
            "south"
        ]
        assert len(selectors.reconciliation_for_user(cast["analyst"])) == 2
