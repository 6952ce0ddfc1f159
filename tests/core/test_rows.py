"""Rows read and written in plain SQL are the ORM's, value for value."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import signals
from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.audit.models import AppendOnly, AuditEvent
from ceasefire.core.rows import Columns, columns
from ceasefire.fieldsync.models import Status, Submission
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


def submission(instance_id: str, officer: User) -> Submission:
    return Submission(
        instance_id=instance_id,
        form_id="corridor_crossings",
        xml=b"<data/>",
        xml_sha256="0" * 64,
        encrypted=True,
        user=officer,
        status=Status.INCOMPLETE,
    )


def test_an_insert_writes_the_row_that_save_writes() -> None:
    officer = factories.user("field_officer")
    by_orm = submission("uuid:saved", officer)
    by_orm.save()
    by_rows = columns(Submission).insert(submission("uuid:inserted", officer))
    assert by_rows.pk is not None and by_rows.pk != by_orm.pk
    assert not by_rows._state.adding and by_rows._state.db == "default"
    saved, inserted = (Submission.objects.get(pk=pk) for pk in (by_orm.pk, by_rows.pk))
    for field in Submission._meta.concrete_fields:
        if field.name not in ("id", "instance_id", "received_at"):
            assert getattr(inserted, field.attname) == getattr(saved, field.attname), field.name
    assert inserted.received_at.tzinfo is not None
    assert abs((inserted.received_at - saved.received_at).total_seconds()) < 5


def test_a_model_with_its_own_save_is_saved_by_it() -> None:
    event = columns(AuditEvent).insert(AuditEvent(action=AuditEvent.Action.WRITE, route="r"))
    assert AuditEvent.objects.get(pk=event.pk).route == "r"
    # The audit trail's own save() refuses changes; the plain UPDATE must not get round it.
    event.route = "changed"
    with pytest.raises(AppendOnly):
        columns(AuditEvent).update(event, ["route"])
    assert AuditEvent.objects.get(pk=event.pk).route == "r"


def test_an_insert_keeps_the_databases_constraints() -> None:
    place = factories.place("unique-one")
    with pytest.raises(IntegrityError), transaction.atomic():
        columns(Place).insert(Place(code=place.code, kind=Place.Kind.SETTLEMENT))
    with pytest.raises(ValueError, match="unsaved related object"):
        columns(Submission).insert(submission("uuid:ghost", User(username="ghost")))


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
