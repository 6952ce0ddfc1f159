from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def arden() -> None:
    factories.place(
        "arden",
        neutral={"en": "Arden", "ru": "Арден"},
        by_party={"north": {"hy": "Արդեն", "ru": "Арден"}, "south": {"az": "Ardenkənd"}},
    )
    factories.place("korsa", neutral={"en": "Korsa"})


def test_places_page_shows_each_party_form_in_the_readers_language(
    client: Client, arden: None
) -> None:
    html = client.get("/places/", headers={"accept-language": "ru"}).content.decode()
    assert '<span class="place-name" lang="ru" data-party=""' in html
    assert (
        'lang="az" data-party="south" title="Форма, которую использует сторона south">Ardenkənd'
        in html
    )
    assert "Записано 2 места." in html


def test_places_page_counts_in_each_language(client: Client, arden: None) -> None:
    html = client.get("/places/", headers={"accept-language": "hy"}).content.decode()
    assert "Գրանցված է 2 վայր։" in html


def test_places_page_reads_all_names_in_a_fixed_number_of_queries(
    client: Client, arden: None, django_assert_num_queries: Any
) -> None:
    for index in range(5):
        factories.place(f"extra{index}", by_party={"north": {"hy": "Ա"}, "south": {"az": "B"}})
    with django_assert_num_queries(3):  # places, their names, the names' parties
        client.get("/places/")


def test_places_api_lists_every_form_and_the_name_for_the_reader(
    client: Client, arden: None
) -> None:
    answer = client.get("/api/places", headers={"accept-language": "ru"}).json()
    assert answer["count"] == 2
    arden_out = answer["items"][0]
    assert arden_out["code"] == "arden"
    # The north's Russian form is the mission's, so it is not repeated.
    assert arden_out["name"] == "Арден / Ardenkənd"
    assert {"language": "az", "name": "Ardenkənd", "party": "south", "neutral": False} in arden_out[
        "names"
    ]
    english = client.get("/api/places", headers={"accept-language": "en"}).json()
    assert english["items"][0]["name"] == "Arden / Արդեն / Ardenkənd"


def test_places_api_refuses_an_offset_no_database_can_take(client: Client) -> None:
    response = client.get("/api/places", {"offset": 2**80})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
