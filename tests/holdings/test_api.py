from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ceasefire.accounts.models import User
from ceasefire.holdings.models import Declaration

pytestmark = pytest.mark.django_db

DECLARATION = {"unit": "2nd Company", "category": "rifle", "quantity": 5, "serials": ["R-1"]}


def test_a_liaison_declares_for_their_party_and_reads_no_estimate(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    liaison = client_as("liaison_north")
    answer = liaison.post(
        "/api/holdings/declarations", DECLARATION, content_type="application/json"
    )
    assert answer.status_code == 201 and answer.json()["version"] == 1
    estimate = {**DECLARATION, "party": "north", "quantity": 9, "source": "Observers"}
    del estimate["serials"]
    analyst = client_as("analyst")
    assert (
        analyst.post(
            "/api/holdings/estimates", estimate, content_type="application/json"
        ).status_code
        == 201
    )
    answer = liaison.get("/api/holdings/reconciliation").json()
    assert answer["count"] == 1
    [row] = answer["items"]
    assert (row["party"], row["declared"], row["estimated"]) == ("north", 5, None)
    assert row["not_surrendered"] == ["R-1"]
    assert (row["undeclared"], row["undeclared_items"]) == (0, [])
    assert analyst.get("/api/holdings/reconciliation").json()["items"][0]["estimated"] == 9


def test_bad_input_gets_a_clear_message_and_writes_nothing(
    client_as: Callable[[str], Client],
) -> None:
    answer = client_as("liaison_north").post(
        "/api/holdings/declarations",
        {**DECLARATION, "unit": "  "},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {"unit": ["Name the unit."]}
    assert not Declaration.objects.exists()


def test_the_reconciliation_is_paginated_like_every_list(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    from ceasefire.holdings import services as holdings

    for number in range(3):
        holdings.declaration_make(
            user=cast["liaison_north"], unit=f"Company {number}", category="rifle", quantity=1
        )
    client = client_as("analyst")
    first = client.get("/api/holdings/reconciliation?limit=2").json()
    rest = client.get("/api/holdings/reconciliation?limit=2&offset=2").json()
    assert (first["count"], len(first["items"]), len(rest["items"])) == (3, 2, 1)
    units = [row["unit"] for row in first["items"] + rest["items"]]
    assert units == ["Company 0", "Company 1", "Company 2"]
