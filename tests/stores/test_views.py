from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.accounts.models import Party, User
from ceasefire.stores import services
from tests.scoping import assert_party_scoped
from tests.stores import factories

pytestmark = pytest.mark.django_db


def test_a_liaison_sees_no_container_of_another_party(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    north = Party.objects.get(code="north")
    container = factories.container(cast["storage"], factories.items(north, cast["field"]))
    assert_party_scoped(client_as, reverse("stores:container", args=[container.pk]))
    assert container.number in client_as("storage").get(reverse("stores:containers")).text
    assert container.number not in client_as("liaison_south").get(reverse("stores:containers")).text


def test_the_destruction_certificate_is_a_pdf(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    north = Party.objects.get(code="north")
    destruction = services.destruction_record(
        user=cast["storage"],
        items=factories.items(north, cast["field"], 1),
        place=factories.store("range-1"),
        method="melting",
        witnesses=factories.witnesses(north),
    )
    response = client_as("storage").get(reverse("stores:certificate", args=[destruction.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
