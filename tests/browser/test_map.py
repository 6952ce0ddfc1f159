from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ceasefire.accounts.models import User
from ceasefire.positions import services
from tests.browser.test_login import log_in
from tests.positions.factories import days_ago, position

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_draws_the_positions_of_the_chosen_day_under_the_csp(
    page: Page, live_server: object, cast: dict[str, User]
) -> None:
    north = cast["liaison_north"].grants.get().party
    withdrawn = position(north, held_since=days_ago(10))
    position(north, held_since=days_ago(10))
    position(north, held_since=days_ago(2))
    services.position_event_record(
        position=withdrawn,
        kind="vacated",
        occurred_at=days_ago(1),
        verified_by="Officer Lund",
        by=cast["field"],
    )
    csp_violations: list[str] = []
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(page, str(live_server), "field")
    page.goto(f"{live_server}/positions/map/")
    today = timezone.localdate()
    map_element = page.locator("#map")
    expect(map_element).to_have_attribute("data-loaded-on", today.isoformat())
    expect(page.locator("path.position-marker")).to_have_count(3)
    expect(page.locator("path.position-marker.status-vacated")).to_have_count(1)
    expect(page.locator("[data-count=held]")).to_have_text("2")

    earlier = (today - timedelta(days=5)).isoformat()
    page.fill("#map-date", earlier)
    expect(map_element).to_have_attribute("data-loaded-on", earlier)
    expect(page.locator("path.position-marker")).to_have_count(2)
    expect(page.locator("path.position-marker.status-held")).to_have_count(2)
    expect(page.locator("[data-count=vacated]")).to_have_text("0")
    # The offline base: the graticule is drawn when no tile server is configured.
    assert page.locator("path.graticule").count() > 0
    assert csp_violations == []
    assert errors == []
