"""Background work of the people registry. Tasks take record IDs and times, never personal data."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from ceasefire.people import services


@task()
def batch_publish_task(before: str) -> int:
    """Append the registrations and amnesty decisions queued before `before` (ISO 8601)."""
    return len(services.batch_publish(before=datetime.fromisoformat(before)))


@task()
def certificate_task(person_id: int) -> bool:
    """Render and store (encrypted) the certificate of a person whose registration is logged."""
    return services.certificate_issue(person_id=person_id) is not None
