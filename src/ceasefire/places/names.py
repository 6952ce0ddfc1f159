"""Which name of a place a reader sees.

The rule: the place's name in the reader's language (the mission's neutral form in that language,
else a plain form in it, else the neutral form in the mission's default language, else any neutral
form). Where the parties' own forms differ, every party's form is shown beside it, each in the
party's form for the reader's language when it has one: "Arden / Ardenkənd". One party's form is
never shown alone as if it were the only name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings

from ceasefire.places.models import PlaceName


@dataclass(frozen=True)
class ShownName:
    name: str
    language: str
    party: str | None  # the code of the party using this form; None for the mission's own


@dataclass(frozen=True)
class PlaceLabel:
    forms: tuple[ShownName, ...]

    @property
    def text(self) -> str:
        return " / ".join(form.name for form in self.forms)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _shown(form: PlaceName) -> ShownName:
    return ShownName(
        name=form.name, language=form.language, party=form.party.code if form.party else None
    )


def _mission_name(names: list[PlaceName], language: str) -> PlaceName | None:
    own = [form for form in names if form.party_id is None]
    preferences: list[Callable[[PlaceName], bool]] = [
        lambda form: form.neutral and form.language == language,
        lambda form: form.language == language,
        lambda form: form.neutral and form.language == settings.LANGUAGE_CODE,
        lambda form: form.neutral,
    ]
    for matches in preferences:
        found = next((form for form in own if matches(form)), None)
        if found is not None:
            return found
    return None


def _party_forms(names: list[PlaceName], language: str) -> list[PlaceName]:
    """Each party's form: the one in the reader's language, else the first it recorded."""
    chosen: dict[str, PlaceName] = {}
    for form in names:
        if form.party is None:
            continue
        code = form.party.code
        if code not in chosen or (form.language == language and chosen[code].language != language):
            chosen[code] = form
    return [chosen[code] for code in sorted(chosen)]


def place_label(names: Iterable[PlaceName], language: str) -> PlaceLabel:
    """The forms to show a reader of `language`, the mission's first. Give it the names with
    their parties loaded (`selectors.place_list` does)."""
    every = sorted(names, key=lambda form: form.pk or 0)
    mission = _mission_name(every, language)
    parties = _party_forms(every, language)
    shown: list[PlaceName] = [mission] if mission else []
    if mission is None or len({_key(form.name) for form in parties}) > 1:
        seen = {_key(form.name) for form in shown}
        for form in parties:
            if _key(form.name) not in seen:
                shown.append(form)
                seen.add(_key(form.name))
    return PlaceLabel(forms=tuple(_shown(form) for form in shown))
