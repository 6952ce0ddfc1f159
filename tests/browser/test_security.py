from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from ceasefire.accounts.models import Party, User
from ceasefire.ledger.models import LogHead
from tests.browser.test_login import enrol_authenticator, log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_enrols_an_authenticator_before_reaching_any_page(
    page: Page, live_server: object, cast: dict[str, User]
) -> None:
    base_url = str(live_server)
    page.goto(f"{base_url}/accounts/users/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Set up two-factor login")
    qr = page.get_by_test_id("totp-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the data: URL is allowed by the CSP
    enrol_authenticator(page)
    expect(page.locator("h1")).to_have_text("Users")
    assert TOTPDevice.objects.get(user=cast["admin"]).confirmed


def test_a_liaison_cannot_open_a_receipt_of_the_other_party(
    page: Page, live_server: object, cast: dict[str, User]
) -> None:
    from tests.registry.factories import receipt, weapon

    # Transactional tests flush every table, the rows migrations made too: the log's head, and
    # the reference table (so the line is recorded as written, outside it).
    LogHead.objects.get_or_create(pk=1)
    line = weapon(category="assault_rifle", calibre="7.62×39 mm", unlisted=True)
    north_receipt = receipt(Party.objects.get(code="north"), cast["field"], [line])
    base_url = str(live_server)
    log_in(page, base_url, "liaison_south")
    response = page.goto(f"{base_url}/registry/receipts/{north_receipt.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("[data-error-code]")).to_have_attribute("data-error-code", "not_found")
    expect(page.locator("main")).not_to_contain_text("3rd Rifle Company")
    # The same address opens for the north liaison: the 404 is the party scope, not a bad link.
    page.click("header button:has-text('Log out')")
    log_in(page, base_url, "liaison_north")
    response = page.goto(f"{base_url}/registry/receipts/{north_receipt.pk}/")
    assert response is not None and response.status == 200
    expect(page.locator("main")).to_contain_text("3rd Rifle Company")
