from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.django_db


def test_a_cache_reported_visited_and_cleared_opens_its_location_only_at_the_end(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    field = client_as("field")
    now = timezone.now().isoformat()
    cache = field.post(
        "/api/caches",
        {
            "origin": "reported",
            "party": "south",
            "lat_microdeg": 41_234_567,
            "lon_microdeg": 46_765_432,
            "reported_at": now,
        },
        content_type="application/json",
    ).json()

    def in_log() -> bool:
        bodies = LogEntry.objects.values_list("body", flat=True)
        return any(b"41234567" in bytes(body) for body in bodies)

    visit = field.post(
        f"/api/caches/{cache['id']}/visits",
        {"visited_at": now, "findings": "Four crates."},
        content_type="application/json",
    )
    assert visit.status_code == 201 and not in_log()
    assert client_as("liaison_north").get("/api/caches").json()["items"] == []
    assert field.post(f"/api/caches/{cache['id']}/clearance").json()["status"] == "cleared"
    assert in_log()
