from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ceasefire.accounts.models import Party, User
from ceasefire.ledger.models import LogEntry
from ceasefire.stores import services
from ceasefire.stores.models import Container, Destruction
from tests.stores import factories

pytestmark = pytest.mark.django_db

WITNESSES = [{"party": "north", "name": "Harun Velde"}]


@pytest.fixture
def container(cast: dict[str, User]) -> Container:
    north = Party.objects.get(code="north")
    found = factories.container(cast["storage"], factories.items(north, cast["field"]))
    services.seal_apply(
        user=cast["storage"], container=found, number="S-1", witnesses=factories.witnesses(north)
    )
    return found


def test_breaking_a_seal_is_for_storage_officers_only(
    container: Container, client_as: Callable[[str], Client]
) -> None:
    url = f"/api/stores/containers/{container.pk}/seal/break"
    payload = {"witnesses": WITNESSES, "reason": "Inspection"}
    assert client_as("field").post(url, payload, content_type="application/json").status_code == 403
    answer = client_as("storage").post(url, payload, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["broken_at"]


def test_a_count_that_differs_answers_with_its_incident(
    container: Container, client_as: Callable[[str], Client]
) -> None:
    answer = client_as("field").post(
        f"/api/stores/containers/{container.pk}/counts",
        {"counted": 1, "seal_found": "S-1", "seal_intact": True},
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["incident"] is not None


def test_a_bad_destruction_writes_nothing(
    container: Container, client_as: Callable[[str], Client]
) -> None:
    factories.store("range-1")
    entries = LogEntry.objects.count()
    answer = client_as("storage").post(
        "/api/stores/destructions",
        {
            "place": "range-1",
            "method": "boiling",
            "witnesses": WITNESSES,
            "container": container.pk,
        },
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "method" in answer.json()["error"]["fields"]
    assert LogEntry.objects.count() == entries and not Destruction.objects.exists()
