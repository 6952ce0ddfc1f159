"""The public verify page checks an entry's proof and signatures in the browser itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import Page, Route, expect

from ceasefire.ledger import keys, selectors, services, witness, witnessing
from tests.ledger.test_witness import serve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entry_url(tmp_path: Path, settings: Any, live_server: Any) -> Iterator[str]:
    """The verify URL of entry 5 of a cosigned log, with the receipt's fragment."""
    settings.SITE_URL = str(live_server)
    state_dir = tmp_path / "witness"
    witness.init(state_dir, "north.example/witness", [keys.verifier_key()])
    witness_keys = [c.verifier().verifier_key for c in witness.Witness.load(state_dir).cosigners]
    for port in serve(state_dir):
        settings.LOG_WITNESSES = ",".join(f"http://127.0.0.1:{port}={k}" for k in witness_keys)
        for number in range(9):
            with transaction.atomic():
                services.append("ledger.test/1", {"category": "rifle", "quantity": number})
        checkpoint = services.publish_checkpoint()
        assert checkpoint is not None
        assert len(witnessing.cosign(checkpoint.size)) == 2
        yield selectors.verify_url(5)


def status(page: Page) -> Any:
    return page.get_by_test_id("verify-status")


def test_the_page_verifies_the_entry_and_the_witness_cosignature(
    page: Page, entry_url: str
) -> None:
    page.goto(entry_url)
    expect(status(page)).to_have_attribute("data-result", "verified")
    expect(status(page)).to_contain_text("Verified")
    checks = page.locator("[data-check]")
    expect(checks).to_have_count(5)
    results = page.locator("[data-witness-key]")
    expect(results.nth(0)).to_have_attribute("data-result", "cosignature")
    expect(results.nth(1)).to_have_attribute("data-result", "not-checked")


def test_a_wrong_key_fingerprint_is_refused(page: Page, entry_url: str) -> None:
    page.goto(entry_url[:-4] + "AAAA")
    expect(status(page)).to_have_attribute("data-result", "refused")
    expect(page.locator("[data-check=receipt-key]")).to_contain_text("\u2717")


def test_a_tampered_proof_is_refused(page: Page, entry_url: str) -> None:
    def tamper(route: Route) -> None:
        response = route.fetch()
        body = response.text()
        # The first proof hash, after the index line, replaced by another hash.
        body = re.sub(r"(index 5\n)[A-Za-z0-9+/]{43}=", r"\1" + "A" * 43 + "=", body, count=1)
        route.fulfill(response=response, body=body)

    page.route(re.compile(r".*/verify/5$"), tamper)
    page.goto(entry_url)
    expect(status(page)).to_have_attribute("data-result", "refused")
    expect(page.locator("[data-check=inclusion]")).to_contain_text("\u2717")


def test_without_web_crypto_as_over_plain_http_the_vendored_libraries_verify(
    page: Page, entry_url: str
) -> None:
    page.add_init_script(
        "Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined })"
    )
    page.goto(entry_url)
    assert page.evaluate("crypto.subtle") is None
    expect(status(page)).to_have_attribute("data-result", "verified")
    expect(page.locator("[data-witness-key]").first).to_have_attribute("data-result", "cosignature")
