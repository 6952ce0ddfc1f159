from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# language: (the header's login link, the home page's heading: the default mission name)
SEEN = {
    "ru": ("Войти", "Миссия по наблюдению за прекращением огня"),
    "hy": ("Մուտք", "Հրադադարի դիտարկման առաքելություն"),
    "az": ("Daxil ol", "Atəşkəsə nəzarət missiyası"),
}


def test_language_switcher_changes_the_page_and_the_choice_is_remembered(
    page: Page, live_server: object
) -> None:
    base_url = str(live_server)
    page.goto(base_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main > h1")).to_have_text("Ceasefire monitoring mission")
    for language, (log_in, heading) in SEEN.items():
        # Choosing submits the switcher's form (static/core/app.js); the page comes back.
        page.select_option("#language-select", language)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("main > h1")).to_have_text(heading)
        expect(page.locator("header").get_by_role("link", name=log_in)).to_be_visible()
        expect(page.locator("#language-select")).to_have_value(language)
    page.goto(f"{base_url}/places/")
    expect(page.locator("html")).to_have_attribute("lang", "az")
    expect(page.locator("main > h1")).to_have_text("Yerlər")
    expect(page.locator("nav.main-nav")).to_contain_text("Ana səhifə")
