"""Rows read and written in plain SQL are the ORM's, value for value."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import signals
from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.audit.models import AuditEvent
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


def test_an_insert_writes_the_row_that_save_writes() -> None:
    actor = factories.user("analyst")
    by_orm = AuditEvent(action=AuditEvent.Action.WRITE, user=actor, route="r", ip="10.0.0.1")
    by_orm.save()
    by_rows = columns(AuditEvent).insert(
        AuditEvent(action=AuditEvent.Action.WRITE, user=actor, route="r", ip="10.0.0.1")
    )
    assert by_rows.pk is not None and by_rows.pk != by_orm.pk
    assert not by_rows._state.adding and by_rows._state.db == "default"
    saved, inserted = (AuditEvent.objects.get(pk=pk) for pk in (by_orm.pk, by_rows.pk))
    for field in AuditEvent._meta.concrete_fields:
        if field.name not in ("id", "at"):
            assert getattr(inserted, field.attname) == getattr(saved, field.attname), field.name
    assert inserted.at.tzinfo is not None and inserted.fields == []


def test_an_insert_keeps_the_databases_constraints() -> None:
    place = factories.place("unique-one")
    with pytest.raises(IntegrityError), transaction.atomic():
        columns(Place).insert(Place(code=place.code, kind=Place.Kind.SETTLEMENT))
    with pytest.raises(ValueError, match="unsaved related object"):
        columns(AuditEvent).insert(AuditEvent(action="write", user=User(username="ghost")))


def test_an_update_writes_only_the_fields_named() -> None:
    place = factories.place()
    place.kind, place.lat_microdeg = Place.Kind.CHECKPOINT, 40_000_000
    columns(Place).update(place, ["kind"])
    stored = Place.objects.get(pk=place.pk)
    assert (stored.kind, stored.lat_microdeg) == (Place.Kind.CHECKPOINT, None)
    Place.objects.filter(pk=place.pk).delete()
    with pytest.raises(DatabaseError, match="did not affect any rows"):
        columns(Place).update(place, ["kind"])


def test_a_model_with_save_receivers_is_saved_by_save() -> None:
    heard: list[object] = []

    def receiver(sender: object, instance: object, **kwargs: object) -> None:
        heard.append(instance)

    signals.post_save.connect(receiver, sender=Place)
    try:
        created = columns(Place).insert(Place(code="heard", kind=Place.Kind.SETTLEMENT))
        columns(Place).update(created, ["kind"])
    finally:
        signals.post_save.disconnect(receiver, sender=Place)
    assert heard == [created, created]
