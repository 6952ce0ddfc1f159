from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from ceasefire.accounts.models import User
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.totals import Totals
from ceasefire.registry import selectors as registry_selectors
from ceasefire.registry import services as registry
from ceasefire.reports import selectors
from ceasefire.reports.text import surrendered_sentence
from tests.reports.factories import closed_day, cutoff, destroy, handover

pytestmark = pytest.mark.django_db


def log_totals(size: int) -> dict[str, object]:
    totals = Totals()
    for index, body in LogEntry.objects.filter(index__lt=size).values_list("index", "body"):
        totals.add(index, json.loads(bytes(body)))
    return totals.figures()


def test_weapon_figures_equal_the_registry_count_and_the_log_recount(
    cast: dict[str, User],
) -> None:
    field = cast["field"]
    first = handover(field, timezone.now() - timedelta(days=3), rifles=3, grenades=2, lots=2)
    second = handover(field, timezone.now() - timedelta(days=2), rifles=1, grenades=1, lots=0)
    rifles = list(first.items.filter(category="assault_rifle"))
    destroy(rifles[0], cast["storage"], timezone.now() - timedelta(days=1))
    grenade = first.items.filter(category="hand_grenade").first()
    assert grenade is not None
    registry.item_correct(
        user=field, item=grenade, changes={"category": "mortar"}, reason="Misread"
    )
    registry.item_void(user=field, item=second.items.get(category="hand_grenade"), reason="Twice")
    size = selectors.log_size()

    figures = selectors.weapon_figures(timezone.now(), size)

    assert figures == registry_selectors.totals() == log_totals(size)
    assert figures["by_category"]["assault_rifle"] == {"surrendered": 4, "destroyed": 1}
    assert figures["by_category"]["mortar"] == {"surrendered": 1, "destroyed": 0}
    assert figures["total"] == {"surrendered": 8, "destroyed": 1}


def test_a_report_counts_what_was_handed_over_by_its_cut_off(cast: dict[str, User]) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=1), rifles=2, grenades=0, lots=0)
    handover(cast["field"], cutoff(day) + timedelta(hours=1), rifles=5, grenades=0, lots=0)
    handover(cast["field"], cutoff(day) - timedelta(days=1, hours=1), rifles=1, grenades=0, lots=0)

    figures = selectors.daily_figures(day)

    assert figures["weapons"]["total"]["surrendered"] == 3
    assert figures["change"]["total"]["surrendered"] == 2
    assert figures["change"]["by_category"]["assault_rifle"]["surrendered"] == 2


def test_a_report_past_its_cut_off_does_not_change_when_later_data_arrives(
    cast: dict[str, User],
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=3))
    before = selectors.daily_figures(day)
    size = before["log_size"]

    handover(cast["field"], cutoff(day) + timedelta(minutes=1), rifles=4)
    # Recorded late, but back-dated to before the cut-off: in the log after the report's size.
    handover(cast["field"], cutoff(day) - timedelta(hours=1), rifles=7)

    assert selectors.daily_figures(day, size=size) == before


def test_the_sentence_names_only_the_kinds_surrendered_with_their_plurals() -> None:
    weapons = {
        "by_category": {
            "assault_rifle": {"surrendered": 1200, "destroyed": 0},
            "pistol": {"surrendered": 34, "destroyed": 0},
            "hand_grenade": {"surrendered": 1, "destroyed": 0},
            "mortar": {"surrendered": 3, "destroyed": 0},
        }
    }
    day = timezone.now().date().replace(year=2026, month=11, day=24)

    sentence = surrendered_sentence(day, weapons)

    assert sentence == (
        "As of Nov. 24, 2026, 1,234 firearms, 1 grenade and 3 mortars have been surrendered."
    )


def test_the_sentence_is_singular_for_one_item_and_says_when_nothing_was_surrendered() -> None:
    day = timezone.now().date().replace(year=2026, month=11, day=24)
    one = {"by_category": {"manpads": {"surrendered": 1, "destroyed": 0}}}

    assert surrendered_sentence(day, one) == "As of Nov. 24, 2026, 1 MANPADS has been surrendered."
    assert "no weapons" in surrendered_sentence(day, {"by_category": {}})


def test_the_sentence_is_in_the_readers_language() -> None:
    day = timezone.now().date().replace(year=2026, month=11, day=24)
    weapons = {"by_category": {"mortar": {"surrendered": 5, "destroyed": 0}}}

    with translation.override("ru"):
        sentence = surrendered_sentence(day, weapons)

    assert "2026" in sentence
    assert "mortar" not in sentence


def test_the_daily_handovers_count_each_handover_on_the_day_whose_cut_off_it_precedes(
    cast: dict[str, User],
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day), rifles=2, grenades=0, lots=0)
    handover(cast["field"], cutoff(day) + timedelta(seconds=1), rifles=3, grenades=1, lots=0)
    handover(cast["field"], cutoff(day - timedelta(days=30)), rifles=9, grenades=0, lots=0)

    handovers = selectors.daily_handovers(days=30)

    assert handovers.days[-2:] == [day, day + timedelta(days=1)]
    assert handovers.series == {
        "assault_rifle": [0] * 28 + [2, 3],
        "hand_grenade": [0] * 29 + [1],
    }


def test_the_daily_handovers_are_counted_once_while_the_log_stays_and_again_after_a_write(
    cast: dict[str, User], django_assert_num_queries: Any
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=1), rifles=2, grenades=0, lots=0)
    first = selectors.daily_handovers(days=30)

    with django_assert_num_queries(1):  # the log's head
        assert selectors.daily_handovers(days=30) is first
    handover(cast["field"], cutoff(day) - timedelta(hours=2), rifles=3, grenades=0, lots=0)

    assert first.series["assault_rifle"][-2] == 2
    assert selectors.daily_handovers(days=30).series["assault_rifle"][-2] == 5


def test_figures_at_two_cut_offs_are_those_at_each_with_corrections_applied(
    cast: dict[str, User],
) -> None:
    day = closed_day()
    before, field = day - timedelta(days=1), cast["field"]
    early = handover(field, cutoff(before) - timedelta(hours=2), rifles=3, grenades=1, lots=0)
    late = handover(field, cutoff(day) - timedelta(hours=2), rifles=2, grenades=1, lots=0)
    rifles = list(early.items.filter(category="assault_rifle").order_by("id"))
    destroy(rifles[0], cast["storage"], cutoff(before) - timedelta(hours=1))
    destroy(rifles[1], cast["storage"], cutoff(day) - timedelta(hours=1))
    registry.item_void(user=field, item=rifles[2], reason="Counted twice")
    grenade = late.items.get(category="hand_grenade")
    registry.item_correct(
        user=field, item=grenade, changes={"category": "mortar"}, reason="Misread"
    )
    size = selectors.log_size()

    at_day, at_before = selectors.weapon_figures_at([cutoff(day), cutoff(before)], size)

    assert at_day == selectors.weapon_figures(cutoff(day), size)
    assert at_before == selectors.weapon_figures(cutoff(before), size)
    assert at_before["by_category"] == {
        "assault_rifle": {"surrendered": 2, "destroyed": 1},
        "hand_grenade": {"surrendered": 1, "destroyed": 0},
    }
    assert at_day["by_category"] == {
        "assault_rifle": {"surrendered": 4, "destroyed": 2},
        "hand_grenade": {"surrendered": 1, "destroyed": 0},
        "mortar": {"surrendered": 1, "destroyed": 0},
    }
