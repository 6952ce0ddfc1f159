from __future__ import annotations

import re

import pytest

from ceasefire.core.errors import Conflict, ValidationFailed
from ceasefire.places import services
from ceasefire.places.models import Place, PlaceName
from ceasefire.places.services import NameForm
from tests import factories

pytestmark = pytest.mark.django_db


def create(**overrides: object) -> Place:
    arguments: dict[str, object] = {
        "code": "arden",
        "kind": Place.Kind.SETTLEMENT,
        "names": [NameForm(language="en", name="Arden", neutral=True)],
    }
    return services.place_create(**{**arguments, **overrides})  # type: ignore[arg-type]


class TestPlaceCreate:
    def test_every_form_of_the_name_is_kept(self) -> None:
        place = factories.place(
            "arden",
            neutral={"en": "Arden", "ru": "Арден"},
            by_party={"north": {"hy": "Արդեն"}, "south": {"az": "Ardenkənd"}},
        )
        stored = {
            (n.language, n.name, n.party.code if n.party else None) for n in place.names.all()
        }
        assert stored == {
            ("en", "Arden", None),
            ("ru", "Арден", None),
            ("hy", "Արդեն", "north"),
            ("az", "Ardenkənd", "south"),
        }

    def test_coordinates_are_kept_exactly_in_microdegrees(self) -> None:
        place = create(lat_microdeg=-49_352_100, lon_microdeg=69_701_400)
        place.refresh_from_db()
        assert (str(place.latitude), str(place.longitude)) == ("-49.3521", "69.7014")

    def test_a_place_without_names_is_refused(self) -> None:
        with pytest.raises(ValidationFailed, match="at least one name"):
            create(names=[])

    def test_a_place_known_only_by_party_forms_is_refused(self) -> None:
        north = factories.party("north")
        with pytest.raises(ValidationFailed, match="neutral name"):
            create(names=[NameForm(language="hy", name="Արդեն", party=north)])
        assert not Place.objects.exists()

    def test_an_unknown_language_is_refused_with_the_known_ones(self) -> None:
        with pytest.raises(
            ValidationFailed, match=re.escape("Unknown language: fr. Use one of: en, ru")
        ):
            create(names=[NameForm(language="fr", name="Arden", neutral=True)])

    def test_a_neutral_form_cannot_belong_to_a_party(self) -> None:
        north = factories.party("north")
        with pytest.raises(ValidationFailed, match="not a party's form"):
            create(names=[NameForm(language="en", name="Arden", party=north, neutral=True)])

    def test_two_neutral_forms_in_one_language_are_refused_and_nothing_is_written(self) -> None:
        names = [
            NameForm(language="en", name="Arden", neutral=True),
            NameForm(language="en", name="Ardenville", neutral=True),
        ]
        with pytest.raises(ValidationFailed, match="one neutral form in each language"):
            create(names=names)
        assert not Place.objects.exists()
        assert not PlaceName.objects.exists()

    def test_a_blank_name_is_refused(self) -> None:
        with pytest.raises(ValidationFailed, match="cannot be empty"):
            create(names=[NameForm(language="en", name="  ", neutral=True)])

    def test_half_a_coordinate_is_refused(self) -> None:
        with pytest.raises(ValidationFailed, match="both latitude and longitude"):
            create(lat_microdeg=1_000_000)

    def test_a_latitude_beyond_the_pole_is_refused(self) -> None:
        with pytest.raises(ValidationFailed) as raised:
            create(lat_microdeg=90_000_001, lon_microdeg=0)
        assert "lat_microdeg" in raised.value.fields

    def test_a_duplicate_code_is_refused(self) -> None:
        create()
        with pytest.raises(Conflict, match="code arden already exists"):
            create()

    def test_errors_speak_the_readers_language(self) -> None:
        from django.utils import translation

        with translation.override("ru"), pytest.raises(ValidationFailed) as raised:
            create(names=[])
        assert raised.value.message == "Укажите хотя бы одно название места."
