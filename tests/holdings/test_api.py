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
    [row] = liaison.get("/api/holdings/reconciliation").json()
    assert (row["party"], row["declared"], row["estimated"]) == ("north", 5, None)
    assert row["not_surrendered"] == ["R-1"]
    assert (row["undeclared"], row["undeclared_items"]) == (0, [])
    assert analyst.get("/api/holdings/reconciliation").json()[0]["estimated"] == 9


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
