from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.accounts.models import Party, User
from ceasefire.holdings import services

pytestmark = pytest.mark.django_db


def test_the_export_shows_estimates_only_to_analysts(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    services.declaration_make(
        user=cast["liaison_north"], unit="1st Company", category="rifle", quantity=4
    )
    services.estimate_record(
        user=cast["analyst"],
        party=Party.objects.get(code="north"),
        unit="1st Company",
        category="rifle",
        quantity=9,
        source="Observer group",
    )
    analyst, liaison = (
        b"".join(client_as(name).get(reverse("holdings:export")).streaming_content)  # type: ignore[attr-defined]
        for name in ("analyst", "liaison_north")
    )
    assert b"estimated" in analyst and b",9," in analyst
    assert b"estimated" not in liaison and b",9," not in liaison


def test_the_page_lists_the_reconciliation(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    services.declaration_make(
        user=cast["liaison_north"], unit="1st Company", category="rifle", quantity=4
    )
    page = client_as("field").get(reverse("holdings:reconciliation"))
    assert page.status_code == 200
    assert "1st Company" in page.content.decode()
