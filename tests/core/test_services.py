"""The helpers for every app's writes (core/services.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceasefire.core.errors import ValidationFailed
from ceasefire.core.services import save_valid
from ceasefire.places.models import Place
from ceasefire.positions.models import Position
from tests import factories
from tests.positions.factories import place

pytestmark = pytest.mark.django_db


def position(**change: object) -> Position:
    fields: dict[str, object] = {
        "code": "hill-7",
        "name": "Hill 7",
        "lat_microdeg": -49_380_000,
        "lon_microdeg": 69_700_000,
        "party": factories.party(),
        "sector": place(Place.Kind.SECTOR),
    }
    fields.update(change)
    return Position(**fields)


def test_a_related_object_handed_in_is_not_looked_up_again() -> None:
    unsaved = position()
    with CaptureQueriesContext(connection) as queries:
        save_valid(unsaved)
    looked_up = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT 1")]
    # The code's uniqueness and the sector's kind are still checked; the party, loaded
    # already, is not fetched again.
    assert len(looked_up) == 2
    assert not [sql for sql in looked_up if "accounts_party" in sql]
    assert Position.objects.get(code="hill-7").party == unsaved.party


def test_a_related_object_with_a_choice_limit_is_still_checked() -> None:
    with pytest.raises(ValidationFailed) as refused:
        save_valid(position(sector=place(Place.Kind.CHECKPOINT)))
    assert "sector" in refused.value.fields
    assert not Position.objects.exists()


def test_a_related_object_given_by_id_is_checked() -> None:
    with pytest.raises(ValidationFailed) as refused:
        save_valid(position(party=None, party_id=987_654))
    assert "party" in refused.value.fields
