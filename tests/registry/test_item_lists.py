"""The item lists' counts and pages (`selectors.ItemPages`) against the items read one by one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from ceasefire.accounts.models import Party, User
from ceasefire.registry import selectors, services
from ceasefire.registry.models import Item
from ceasefire.registry.selectors import ItemFilters
from tests.registry import factories

pytestmark = pytest.mark.django_db

ACME = {"make": "Acme", "model": "X", "unlisted": True}


@pytest.fixture
def records(cast: dict[str, User]) -> None:
    """Receipts of both parties, two at the same minute, with corrected and voided items and
    custody events of every kind."""
    officer = cast["field"]
    north, south = Party.objects.get(code="north"), Party.objects.get(code="south")
    school = factories.collection_point("mirra-school")
    now = timezone.now()
    w, lot = factories.weapon, factories.lot

    def receipt(party: Party, hours_ago: int, lines: list[Any], **header: Any) -> list[Item]:
        at = now - timedelta(hours=hours_ago)
        made = factories.receipt(party, officer, lines, received_at=at, **header)
        return list(made.items.order_by("line"))

    def event(item: Item, kind: str, hours_ago: float, **extra: Any) -> None:
        at = now - timedelta(hours=hours_ago)
        services.custody_record(user=officer, item=item, kind=kind, occurred_at=at, **extra)

    def correct(item: Item, category: str) -> None:
        services.item_correct(
            user=officer, item=item, changes={"category": category}, reason="Recount."
        )

    akm, pkm, _ = receipt(north, 10, [w(), w(model="PKM"), lot()])
    acme_pistol, akm_south = receipt(south, 9, [w(**ACME, category="pistol"), w()])
    receipt(north, 8, [lot(), lot()], collection_point=school)
    first, second, _ = receipt(south, 8, [w(), w(model="PKM"), w()])
    (lone,) = receipt(north, 7, [w(model="PKM")])
    receipt(south, 6, [lot()], collection_point=school)
    _, acme_rifle, last, _ = receipt(north, 5, [w(), w(**ACME, category="rifle"), w(), lot()])

    correct(acme_pistol, "rifle")
    correct(acme_pistol, "light_machine_gun")  # the latest correction counts
    correct(acme_rifle, "pistol")
    services.item_void(user=officer, item=akm, reason="Double entry.")
    event(pkm, "transported", 4)
    event(pkm, "stored", 3, location="Store B")
    event(akm_south, "destroyed", 4, method="Crushed", witnesses=["Ines Marr"])
    event(first, "collected", 4)
    event(second, "transported", 4)
    event(second, "lost", 3, notes="Fell from the truck.")
    event(lone, "collected", 4)
    event(lone, "transported", 3)
    event(acme_rifle, "stored", 2, location="Store A")
    event(last, "transported", 2)
    services.item_void(user=officer, item=last, reason="Not handed over.")


def one_by_one(user: User, filters: ItemFilters) -> list[int]:
    """The list as each item's annotations say, in the lists' order."""
    scope = selectors.party_scope(user)
    items = selectors.items_annotated().select_related(
        "receipt__party", "receipt__collection_point"
    )
    kept = [
        item
        for item in items
        if (scope is None or item.receipt.party_id == scope)
        and (not filters.kind or item.kind == filters.kind)
        and (not filters.category or item.current_category == filters.category)
        and (not filters.state or item.state == filters.state)
        and (not filters.party or item.receipt.party.code == filters.party)
        and (
            not filters.collection_point
            or item.receipt.collection_point.code == filters.collection_point
        )
        and (filters.include_voided or not item.voided)
    ]
    kept.sort(key=lambda i: (-i.receipt.received_at.timestamp(), i.receipt_id, i.line))
    return [item.pk for item in kept]


FILTERS = [
    ItemFilters(),
    ItemFilters(include_voided=True),
    ItemFilters(kind="weapon"),
    ItemFilters(kind="lot"),
    ItemFilters(kind="weapon", include_voided=True),
    ItemFilters(category="pistol"),  # recorded a rifle
    ItemFilters(category="rifle"),  # recorded a pistol, corrected twice
    ItemFilters(category="light_machine_gun"),
    ItemFilters(kind="weapon", category="assault_rifle"),
    ItemFilters(category="explosive"),
    ItemFilters(state="collected"),
    ItemFilters(kind="weapon", state="collected"),
    ItemFilters(state="transported"),
    ItemFilters(state="transported", include_voided=True),
    ItemFilters(state="stored"),
    ItemFilters(state="destroyed"),
    ItemFilters(state="lost"),
    ItemFilters(state="buried"),
    ItemFilters(category="pistol", state="stored"),
    ItemFilters(party="north"),
    ItemFilters(kind="weapon", party="south"),
    ItemFilters(kind="lot", party="south"),
    ItemFilters(kind="lot", collection_point="mirra-school"),
    ItemFilters(party="nowhere"),
]


@pytest.mark.usefixtures("records")
class TestItemPages:
    @pytest.mark.parametrize("filters", FILTERS, ids=repr)
    @pytest.mark.parametrize("who", ["analyst", "liaison_north"])
    def test_counts_and_pages_are_those_of_the_items_one_by_one(
        self, cast: dict[str, User], filters: ItemFilters, who: str
    ) -> None:
        user = cast[who]
        expected = one_by_one(user, filters)
        pages = selectors.ItemPages(user, filters)
        assert pages.count() == len(expected)
        for start, stop in [(0, 2), (2, 5), (1, 4), (3, 100), (0, 100), (50, 60)]:
            assert [i.pk for i in pages[start:stop]] == expected[start:stop], (start, stop)
        assert [i.pk for i in selectors.item_list(user, filters)] == expected

    def test_a_page_carries_the_annotations_and_the_receipt(self, cast: dict[str, User]) -> None:
        [item] = selectors.ItemPages(cast["analyst"], ItemFilters(state="lost"))[0:10]
        assert (item.state, item.current_category, item.voided) == (
            "lost",
            "light_machine_gun",
            False,
        )
        assert item.receipt.party.code == "south"

    def test_the_search_counts_and_pages_too(self, cast: dict[str, User]) -> None:
        pages = selectors.ItemPages(cast["analyst"], ItemFilters(q="acme"))
        assert pages.count() == 2
        assert [i.make for i in pages[0:10]] == ["Acme", "Acme"]
        assert selectors.ItemPages(cast["analyst"], ItemFilters(q="nothing-like-it")).count() == 0


@contextmanager
def plans() -> Iterator[list[tuple[str, list[str]]]]:
    """The statements run inside, each with SQLite's plan for it."""
    seen: list[tuple[str, Any]] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, params))
        return execute(sql, params, many, context)

    planned: list[tuple[str, list[str]]] = []
    with connection.execute_wrapper(record):
        yield planned
    with connection.cursor() as cursor:
        for sql, params in seen:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            planned.append((sql, [row[-1] for row in cursor.fetchall()]))


def item_scans(plan: list[str]) -> list[str]:
    """Steps that read every item (or every entry of an index of them), but for the index of
    the few items that are not weapons."""
    return [s for s in plan if s.startswith("SCAN registry_item") and "item_not_weapon" not in s]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans")
@pytest.mark.usefixtures("records")
class TestPlans:
    """The plans SQLite makes without table statistics, as in this in-memory database. A
    served database also has statistics (PRAGMA optimize, ANALYZE after the demo loads), which
    can change a plan: bench/load.py measures the lists with them at a million items."""

    @pytest.mark.parametrize("filters", FILTERS, ids=repr)
    def test_counting_reads_no_item_one_by_one(
        self, cast: dict[str, User], filters: ItemFilters
    ) -> None:
        with plans() as planned:
            selectors.ItemPages(cast["analyst"], filters).count()
        whole = 'SELECT COUNT(*) AS "__count" FROM "registry_item"'  # counted from its pages
        for sql, plan in planned:
            assert not item_scans(plan) or sql == whole, (sql, plan)

    @pytest.mark.parametrize(
        "filters",
        [
            ItemFilters(),
            ItemFilters(kind="weapon"),
            ItemFilters(kind="lot"),
            ItemFilters(category="assault_rifle"),
            ItemFilters(state="collected"),
            ItemFilters(state="stored"),
            ItemFilters(party="north"),
            ItemFilters(kind="weapon", party="south"),
        ],
        ids=repr,
    )
    def test_the_first_page_sorts_the_newest_receipts_items_only(
        self, cast: dict[str, User], filters: ItemFilters
    ) -> None:
        pages = selectors.ItemPages(cast["analyst"], filters)
        pages.count()
        with plans() as planned:
            assert len(pages[0:1]) == 1
        for sql, plan in planned:
            assert not item_scans(plan), (sql, plan)
