"""Instances loaded from plain SQL rows are the ORM's, value for value."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.core.rows import Columns, columns
from ceasefire.places.models import Place
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_field_reads_as_the_orm_reads_it() -> None:
    user = factories.user("analyst")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now(), is_staff=True)
    expected = User.objects.get(pk=user.pk)
    got = Columns(User, "u").get_by("id", user.pk)
    assert isinstance(got, User)
    for field in User._meta.concrete_fields:
        assert getattr(got, field.attname) == getattr(expected, field.attname), field.name
        assert type(getattr(got, field.attname)) is type(getattr(expected, field.attname))
    assert got.last_login is not None and got.last_login.tzinfo is not None
    # A loaded instance is a saved one: saving it updates, never inserts.
    assert not got._state.adding and got._state.db == "default"


def test_an_instance_with_nulls_and_numbers() -> None:
    place = factories.place()
    expected = Place.objects.get(pk=place.pk)
    got = columns(Place).get_by("code", place.code)
    assert [getattr(got, f.attname) for f in Place._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in Place._meta.concrete_fields
    ]


def test_a_missing_row_is_none_and_only_unique_columns_are_looked_up() -> None:
    assert columns(Place).get_by("code", "nowhere") is None
    with pytest.raises(ValueError, match="not a unique column"):
        columns(Place).get_by("kind", Place.Kind.CHECKPOINT)
