from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ceasefire.accounts.models import User
from ceasefire.convoys import selectors, services
from ceasefire.convoys.models import Convoy
from tests.convoys.factories import convoy
from tests.positions.factories import officer

pytestmark = pytest.mark.django_db


def test_a_liaison_acknowledges_a_notified_convoy_from_its_page(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    target = convoy()
    services.convoy_notify(convoy=target, by=officer())
    liaison = client_as("liaison_north")
    assert target.reference.encode() in liaison.get("/convoys/").content
    assert b"Acknowledge for my party" in liaison.get(f"/convoys/{target.pk}/").content
    response = liaison.post(f"/convoys/{target.pk}/acknowledge/")
    assert response.status_code == 302
    assert selectors.notifications(target).get(party__code="north").acknowledged_at


def test_a_liaison_does_not_see_movements_while_the_convoy_is_on_the_road(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    target = convoy()
    services.convoy_notify(convoy=target, by=officer())
    target.refresh_from_db()
    services.convoy_depart(convoy=target, departed_at=target.created_at, by=officer())
    assert "Departed" in client_as("field").get(f"/convoys/{target.pk}/").content.decode()
    page = client_as("liaison_north").get(f"/convoys/{target.pk}/").content.decode()
    assert "No movements to show." in page


def test_a_manifest_line_that_does_not_parse_is_explained(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    response = client_as("field").post(
        "/convoys/new/",
        {"reference": "cv-9", "manifest": "lots of flour", "vehicles": 2},
    )
    assert response.status_code == 200
    assert "Line 1: write quantity, unit, item" in response.content.decode()
    assert not Convoy.objects.exists()
