from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from ceasefire.audit.models import AppendOnly, AuditEvent

pytestmark = pytest.mark.django_db


def event() -> AuditEvent:
    return AuditEvent.objects.create(action=AuditEvent.Action.WRITE, route="core:home")


def test_an_event_cannot_be_changed_once_written() -> None:
    written = event()
    written.route = "somewhere:else"
    with pytest.raises(AppendOnly):
        written.save()
    assert AuditEvent.objects.get().route == "core:home"


def test_an_event_cannot_be_deleted() -> None:
    with pytest.raises(AppendOnly):
        event().delete()
    assert AuditEvent.objects.count() == 1


def test_events_cannot_be_changed_or_deleted_in_bulk() -> None:
    event()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.update(route="x")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_the_database_refuses_an_update_that_bypasses_the_model() -> None:
    written = event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET route = 'x' WHERE id = %s", [written.pk])
    assert AuditEvent.objects.get().route == "core:home"
