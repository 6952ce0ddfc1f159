from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.positions.models import Position
from tests import factories
from tests.convoys.factories import on_the_road
from tests.incidents.factories import incident
from tests.positions.factories import position, vacate

pytestmark = pytest.mark.django_db


def test_pages_show_a_position_and_its_timeline(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    target = position(factories.party("north"), code="hill-7")
    vacate(target)
    field = client_as("field")
    assert b"hill-7" in field.get("/positions/?status=vacated").content
    assert b"hill-7" not in field.get("/positions/?status=held").content
    detail = field.get(f"/positions/{target.pk}/").content.decode()
    assert "Officer Lund" in detail
    assert "Record an event" in detail


def test_a_liaison_sees_only_their_partys_positions(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    north = position(factories.party("north"), code="hill-n")
    south = position(factories.party("south"), code="hill-s")
    liaison = client_as("liaison_north")
    listing = liaison.get("/positions/").content
    assert b"hill-n" in listing and b"hill-s" not in listing
    assert liaison.get(f"/positions/{south.pk}/").status_code == 404
    assert liaison.get(f"/positions/{north.pk}/").status_code == 200


def test_a_bad_event_shows_the_reason_and_writes_nothing(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    target = position()
    response = client_as("field").post(
        f"/positions/{target.pk}/events/new/",
        {
            "kind": "taken_over",
            "occurred_at": f"{timezone.localdate():%Y-%m-%d}T00:00",
            "unit": "A",
        },
    )
    assert response.status_code == 200
    assert "cannot be recorded as taken over" in response.content.decode()
    assert target.events.count() == 1


def test_a_position_is_created_from_the_form(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    response = client_as("field").post(
        "/positions/new/",
        {
            "code": "ridge-3",
            "name": "Ridge 3",
            "latitude": "-49.371234",
            "longitude": "69.712345",
            "party": factories.party("north").pk,
            "held_since": f"{timezone.localdate():%Y-%m-%d}T00:00",
        },
    )
    assert response.status_code == 302
    assert Position.objects.get(code="ridge-3").lat_microdeg == -49_371_234


def test_map_data_shows_the_situation_on_the_chosen_day(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    target = position()
    vacate(target, days=3)
    on_the_road()
    incident()
    field = client_as("field")
    assert field.get("/positions/map/").status_code == 200
    now = field.get("/positions/map/data.geojson").json()
    layers = {f["properties"]["layer"] for f in now["features"]}
    assert {"position", "checkpoint", "convoy", "incident"} <= layers
    statuses = [
        f["properties"]["status"] for f in now["features"] if f["properties"]["layer"] == "position"
    ]
    assert statuses == ["vacated"]
    before = field.get("/positions/map/data.geojson", {"on": now["on"][:8] + "01"})
    assert before.status_code == 200
    bad = field.get("/positions/map/data.geojson", {"on": "yesterday"})
    assert bad.status_code == 400


def test_the_list_names_each_sector_in_queries_that_do_not_grow_with_the_list(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.positions.factories import place

    north = factories.party("north")
    position(north, code="hill-1", sector=place(code="sector-one"))
    client = client_as("field")
    with CaptureQueriesContext(connection) as few:
        assert b"Sector-One" in client.get("/positions/").content
    for number in range(2, 6):
        position(north, code=f"hill-{number}", sector=place(code=f"sector-{number}"))
    with CaptureQueriesContext(connection) as more:
        assert b"Sector-5" in client.get("/positions/").content
    assert len(more.captured_queries) == len(few.captured_queries)
