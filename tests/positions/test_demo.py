"""The demo's ground steps (positions, convoys, incidents) run on the demo's places and users."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from ceasefire.accounts.models import Party, User
from ceasefire.convoys.demo import demo_convoys
from ceasefire.convoys.models import Convoy, CrossingCount, LossReport
from ceasefire.convoys.selectors import convoy_list
from ceasefire.demo import DEMO_SEED, DemoContext
from ceasefire.incidents.demo import demo_incidents
from ceasefire.incidents.models import Incident, Verification
from ceasefire.places.demo import demo_places
from ceasefire.positions.demo import demo_positions
from ceasefire.positions.map import end_of_day
from ceasefire.positions.models import MissionLayer, Status
from ceasefire.positions.selectors import position_list

pytestmark = pytest.mark.django_db


def test_the_ground_steps_build_a_withdrawal_convoys_crossings_and_incidents(
    cast: dict[str, User],
) -> None:
    context = DemoContext(rng=random.Random(DEMO_SEED))
    context.parties = {code: Party.objects.get(code=code) for code in ("north", "south")}
    context.users = {
        "admin": cast["admin"],
        "field": cast["field"],
        "analyst": cast["analyst"],
        "liaison-north": cast["liaison_north"],
        "liaison-south": cast["liaison_south"],
    }
    demo_places(context)
    demo_positions(context)
    demo_convoys(context)
    demo_incidents(context)

    def statuses(days_ago: int) -> Counter[str]:
        day = timezone.localdate() - timedelta(days=days_ago)
        return Counter(p.current_status for p in position_list(user=None, at=end_of_day(day)))  # type: ignore[attr-defined]

    assert sum(statuses(0).values()) >= 20
    assert statuses(8) == {Status.HELD: 24}
    # The withdrawal unfolds over several days.
    vacated_or_taken = [sum(statuses(d).values()) - statuses(d)[Status.HELD] for d in range(7)]
    assert vacated_or_taken == sorted(vacated_or_taken, reverse=True)
    assert len(set(vacated_or_taken)) >= 4
    assert set(statuses(0)) == set(Status.values)
    assert set(MissionLayer.objects.values_list("kind", flat=True)) == {
        "sectors",
        "line_of_contact",
        "corridor",
    }
    assert set(Convoy.objects.values_list("status", flat=True)) == set(Convoy.Status.values)
    assert LossReport.objects.exists()
    assert convoy_list(user=None, flagged=True).count() == 1
    assert CrossingCount.objects.count() == 3 * 7 * 2
    assert Counter(Incident.objects.values_list("verification", flat=True)) == {
        status: 10 for status in Verification.values
    }
