from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.accounts.models import Party, User
from ceasefire.holdings import services
from tests.registry import factories as registry

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


def test_the_page_and_export_give_the_undeclared_count_then_the_listed_items(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    north = Party.objects.get(code="north")
    receipt = registry.receipt(
        north,
        cast["field"],
        [registry.weapon(serial="L1"), registry.weapon(serial="L2"), registry.lot()],
    )
    services.declaration_make(
        user=cast["liaison_north"],
        unit="3rd Rifle Company",
        category="assault_rifle",
        quantity=2,
        serials=["L1"],
    )
    unlisted = receipt.items.get(serial="L2").mission_id
    page = client_as("field").get(reverse("holdings:reconciliation")).content.decode()
    assert f"<td>1: {unlisted}</td>" in page
    # The lot no one declared: counted, not listed.
    assert "<td>1</td>" in page
    export = b"".join(client_as("field").get(reverse("holdings:export")).streaming_content)  # type: ignore[attr-defined]
    assert f",1,{unlisted},".encode() in export


def test_the_page_shows_a_hundred_rows_at_a_time_and_the_export_all(
    cast: dict[str, User], client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceasefire.holdings import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for number in range(3):
        services.declaration_make(
            user=cast["liaison_north"], unit=f"Company {number}", category="rifle", quantity=1
        )
    client = client_as("analyst")
    first = client.get(reverse("holdings:reconciliation")).content.decode()
    second = client.get(reverse("holdings:reconciliation") + "?page=2").content.decode()
    assert "Company 0" in first and "Company 1" in first and "Company 2" not in first
    assert "Page 1 of 2" in first and "?page=2" in first
    assert "Company 2" in second and "Company 0" not in second
    export = b"".join(client.get(reverse("holdings:export")).streaming_content)  # type: ignore[attr-defined]
    assert all(f"Company {number}".encode() in export for number in range(3))
