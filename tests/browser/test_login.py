from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from ceasefire.accounts.models import User
from ceasefire.core.access import may_access
from ceasefire.permissions import NAVIGATION
from tests.factories import CAST, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_test_id("whoami")).to_contain_text(username)
    if "/accounts/two-factor/enrol/" in page.url:
        enrol_authenticator(page)


def enrol_authenticator(page: Page) -> None:
    """Do what a user does with an authenticator app: read the key, type the app's code."""
    key = base64.b32decode(page.get_by_test_id("totp-secret").inner_text())
    page.fill("input[name=code]", f"{TOTP(key).token():06d}")
    page.click("main button[type=submit]")
    expect(page.locator("#messages")).to_contain_text("authenticator app is enrolled")


def test_each_role_logs_in_and_sees_its_navigation(
    page: Page, live_server: object, cast: dict[str, User]
) -> None:
    base_url = str(live_server)
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    for member in CAST:
        if member == "outsider":
            continue
        user = cast[member]
        log_in(page, base_url, user.username)
        shown = set(
            page.locator("nav.main-nav a").evaluate_all("els => els.map(e => e.dataset.route)")
        )
        expected = {route for route, _label in NAVIGATION if may_access(user, route)}
        assert shown == expected, member
        page.click("header button:has-text('Log out')")
        expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    assert csp_violations == []


def test_admin_sees_users_and_analyst_does_not(
    page: Page, live_server: object, cast: dict[str, User]
) -> None:
    log_in(page, str(live_server), "admin")
    page.click("nav.main-nav a[data-route='accounts:users']")
    expect(page.locator("h1")).to_have_text("Users")
    expect(page.locator("table")).to_contain_text("liaison_north")
