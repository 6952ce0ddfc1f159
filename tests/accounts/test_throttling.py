"""Login throttling: after too many failures for one username from one address, that pair is
locked out for a while, with a message saying so."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings

from ceasefire.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(username: str, password: str, address: str = "198.51.100.1") -> int:
    response = Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )
    return response.status_code


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_user_is_locked_out_after_repeated_failures_even_with_the_right_password(
    cast: dict[str, User],
) -> None:
    assert [attempt("field", "wrong") for _ in range(2)] == [200, 200]
    response = Client(REMOTE_ADDR="198.51.100.1").post(
        "/accounts/login/", {"username": "field", "password": "wrong"}
    )
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert attempt("field", PASSWORD) == 429


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_lockout_holds_one_username_at_one_address(cast: dict[str, User]) -> None:
    attempt("field", "wrong")
    attempt("field", "wrong")
    assert attempt("field", PASSWORD, address="198.51.100.2") == 302
    assert attempt("analyst", PASSWORD) == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_successful_login_clears_earlier_failures(cast: dict[str, User]) -> None:
    attempt("field", "wrong")
    attempt("field", "wrong")
    assert attempt("field", PASSWORD) == 302
    assert attempt("field", "wrong") == 200
    assert attempt("field", PASSWORD) == 302


@override_settings(AXES_FAILURE_LIMIT=1)
def test_an_admin_unlocks_a_locked_out_user(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    attempt("field", "wrong")
    assert attempt("field", PASSWORD) == 429
    client_as("admin").post(f"/accounts/users/{cast['field'].pk}/unlock/")
    assert attempt("field", PASSWORD) == 302


def test_the_lockout_message_is_translated(cast: dict[str, User]) -> None:
    with override_settings(AXES_FAILURE_LIMIT=1):
        Client().post("/accounts/login/", {"username": "field", "password": "x"})
        response = Client().post(
            "/accounts/login/",
            {"username": "field", "password": "x"},
            headers={"Accept-Language": "ru"},
        )
    assert response.status_code == 429
    assert "Too many failed logins" not in response.content.decode()
