"""The display rule: the reader's language first, every party's form beside it where the parties
write the name differently, never one party's form alone."""

from __future__ import annotations

import itertools

from ceasefire.accounts.models import Party
from ceasefire.places.models import PlaceName
from ceasefire.places.names import place_label

NORTH = Party(pk=1, code="north", name="Northern Highlands Forces")
SOUTH = Party(pk=2, code="south", name="Southern Valley Forces")
_ids = itertools.count(1)


def form(language: str, name: str, party: Party | None = None, neutral: bool = False) -> PlaceName:
    return PlaceName(pk=next(_ids), language=language, name=name, party=party, neutral=neutral)


ARDEN = [
    form("en", "Arden", neutral=True),
    form("ru", "Арден", neutral=True),
    form("hy", "Արդեն", party=NORTH),
    form("ru", "Арден", party=NORTH),
    form("az", "Ardenkənd", party=SOUTH),
    form("ru", "Арденкенд", party=SOUTH),
]


def test_reader_sees_the_neutral_name_in_their_language_and_both_parties_forms() -> None:
    assert place_label(ARDEN, "ru").text == "Арден / Арденкенд"


def test_a_party_without_a_form_in_the_readers_language_shows_its_own() -> None:
    assert place_label(ARDEN, "en").text == "Arden / Արդեն / Ardenkənd"


def test_without_a_neutral_name_in_their_language_the_reader_gets_the_default_one() -> None:
    label = place_label(ARDEN, "hy")
    assert label.forms[0].name == "Arden"
    assert label.forms[0].party is None
    assert label.text == "Arden / Արդեն / Ardenkənd"


def test_each_shown_form_says_whose_it_is_and_its_language() -> None:
    parties = [(f.name, f.language, f.party) for f in place_label(ARDEN, "az").forms]
    assert parties == [
        ("Arden", "en", None),
        ("Արդեն", "hy", "north"),
        ("Ardenkənd", "az", "south"),
    ]


def test_when_the_parties_agree_only_the_mission_name_is_shown() -> None:
    names = [
        form("en", "Korsa", neutral=True),
        form("ru", "Корса", party=NORTH),
        form("ru", "Корса ", party=SOUTH),
    ]
    assert place_label(names, "en").text == "Korsa"


def test_one_party_form_alone_does_not_replace_the_mission_name() -> None:
    names = [form("en", "Velmar", neutral=True), form("az", "Velmarlı", party=SOUTH)]
    assert place_label(names, "az").text == "Velmar"


def test_a_plain_form_in_the_readers_language_comes_before_the_default_neutral_name() -> None:
    names = [form("en", "Tarsel Ford", neutral=True), form("ru", "Тарсел-Форд")]
    assert place_label(names, "ru").text == "Тарсел-Форд"


def test_without_any_name_of_the_mission_every_party_form_is_shown() -> None:
    names = [form("hy", "Արդեն", party=NORTH), form("az", "Ardenkənd", party=SOUTH)]
    assert place_label(names, "en").text == "Արդեն / Ardenkənd"
