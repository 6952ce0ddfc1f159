"""In a real browser: a field officer records a receipt of two weapons, adding the second line
without reloading the page; the party's liaison checks it and co-signs it with a key made in
the browser (Web Crypto Ed25519, non-extractable); the totals on the home page follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ceasefire.accounts.models import User
from ceasefire.ledger.models import LogHead
from ceasefire.registry import selectors, services
from ceasefire.registry.models import Cosignature, Receipt
from tests.browser.test_login import log_in
from tests.registry import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_line(page: Page, number: int, model: str, serial: str) -> None:
    line = page.locator("fieldset.line").nth(number)
    line.locator("select[name$='-reference']").select_option(label=model)
    line.locator("input[name$='-serial']").fill(serial)
    line.locator("select[name$='-markings']").select_option("present")
    line.locator("select[name$='-condition']").select_option("serviceable")


def test_a_receipt_is_recorded_cosigned_in_the_browser_and_counted(
    page: Page, live_server: object, cast: dict[str, User]
) -> None:
    base_url = str(live_server)
    # Transactional tests flush every table, the rows migrations made too: the log's head and
    # the reference table.
    LogHead.objects.get_or_create(pk=1)
    services.reference_seed()
    point = factories.collection_point()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )

    page.goto(base_url)
    expect(page.get_by_test_id("total-surrendered")).to_have_text("0")
    log_in(page, base_url, "field")
    page.goto(f"{base_url}/registry/receipts/new")
    page.select_option("select[name=collection_point]", str(point.pk))
    when = timezone.localtime() - timedelta(hours=1)
    page.fill("input[name=received_at]", when.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("select[name=party]", label="North")
    page.fill("input[name=unit]", "Ridge Guard, 3rd Company")
    page.fill("textarea[name=witnesses]", "Orla Pettersen\nDmitri Havel")
    fill_line(page, 0, "Kalashnikov AKM (7.62×39 mm)", "AN706796")
    page.get_by_test_id("add-line").click()
    expect(page.locator("fieldset.line")).to_have_count(2)
    fill_line(page, 1, "Kalashnikov PKM (7.62×54R mm)", "PK1234")
    page.get_by_test_id("save-receipt").click()
    expect(page.get_by_test_id("receipt-number")).to_have_text("R-000001")
    expect(page.get_by_test_id("not-cosigned")).to_be_visible()
    page.click("header button:has-text('Log out')")

    log_in(page, base_url, "liaison_north")
    receipt = Receipt.objects.get()
    page.goto(f"{base_url}/registry/receipts/{receipt.pk}/")
    page.get_by_test_id("cosign-link").click()
    expect(page.get_by_test_id("check-summary")).to_have_text(
        "Every value matches the log, and the entry lists every line."
    )
    expect(page.get_by_test_id("openings")).to_contain_text("AN706796")
    expect(page.get_by_test_id("openings")).to_contain_text("Orla Pettersen")
    page.get_by_test_id("create-key").click()
    expect(page.get_by_test_id("key-status")).to_contain_text("fingerprint")
    fingerprint = cast["liaison_north"].liaison_keys.get().fingerprint
    expect(page.get_by_test_id("key-status")).to_contain_text(fingerprint)
    page.get_by_test_id("sign").click()
    expect(page.get_by_test_id("cosignatures")).to_contain_text("the signature verifies")
    # The key stays in the browser (IndexedDB) for the next signature.
    expect(page.get_by_test_id("key-status")).to_contain_text(fingerprint)
    [shown] = selectors.cosignatures(receipt.entry_id)
    assert shown.verifies and Cosignature.objects.count() == 1

    page.goto(base_url)
    expect(page.get_by_test_id("total-surrendered")).to_have_text("2")
    expect(page.get_by_test_id("registry-totals")).to_contain_text("Light machine guns")
    assert errors == []
