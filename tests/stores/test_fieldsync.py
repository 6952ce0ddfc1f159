"""The field forms of the laydown (seal check, container count, cache visit) reach their
services through fieldsync's handlers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ceasefire.accounts.models import Party, User
from ceasefire.caches.models import Cache
from ceasefire.core.errors import ValidationFailed
from ceasefire.fieldsync.instance import read_instance
from ceasefire.fieldsync.registry import Incoming, handle
from ceasefire.stores import services
from tests.caches.test_services import report
from tests.stores import factories

pytestmark = pytest.mark.django_db


def submit(user: User, form_id: str, **fields: str) -> str:
    values = "".join(f"<{name}>{value}</{name}>" for name, value in fields.items())
    xml = (
        f'<data id="{form_id}" version="2026112501">{values}'
        "<meta><instanceID>uuid:1</instanceID></meta></data>"
    )
    return handle(Incoming(user, read_instance(xml.encode()), {})).message


def test_a_container_count_that_differs_raises_an_incident(cast: dict[str, User]) -> None:
    north = Party.objects.get(code="north")
    container = factories.container(cast["storage"], factories.items(north, cast["field"]))
    services.seal_apply(
        user=cast["storage"],
        container=container,
        number="S-7",
        witnesses=factories.witnesses(north),
    )
    when = (timezone.now() - timedelta(minutes=1)).isoformat()
    fields = {"container": container.number, "occurred_at": when, "seal_found": "S-7"}
    assert "incident" not in submit(cast["field"], "seal_check", seal_intact="yes", **fields)
    message = submit(cast["field"], "container_count", seal_intact="yes", counted="1", **fields)
    assert "incident" in message


def test_a_cache_visit_verifies_the_cache(cast: dict[str, User]) -> None:
    cache = report(cast["field"])
    when = timezone.now().isoformat()
    submit(cast["field"], "cache_visit", cache=cache.number, visited_at=when, findings="Crates")
    cache.refresh_from_db()
    assert cache.status == Cache.Status.VERIFIED
    with pytest.raises(ValidationFailed, match="no arms cache"):
        submit(cast["field"], "cache_visit", cache="AC-999", visited_at=when, findings="None")
