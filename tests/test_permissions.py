"""The access table is complete and enforced: every route is named in it, and every request is
answered as the table says for every member of the cast and every method."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ceasefire.accounts.roles import PUBLIC
from ceasefire.permissions import NAVIGATION, ROUTE_ROLES
from tests.factories import CAST
from tests.routes import all_route_names, unnamed_patterns, url_for

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
DENIED = {401, 403, 405}


def test_every_route_has_an_access_rule() -> None:
    assert all_route_names() - set(ROUTE_ROLES) == set()


def test_every_access_rule_names_a_route() -> None:
    assert set(ROUTE_ROLES) - all_route_names() == set()


def test_every_route_is_named_so_the_table_can_reach_it() -> None:
    assert unnamed_patterns() == []


def test_navigation_entries_are_routes_in_the_table() -> None:
    assert {route for route, _label in NAVIGATION} <= set(ROUTE_ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(ROUTE_ROLES))
def test_route_answers_each_member_as_the_table_says(
    route: str, client_as: Callable[[str], Client]
) -> None:
    url = url_for(route)
    for member in ["public", *CAST]:
        roles = set(CAST.get(member, ()))
        for method in METHODS:
            allowed = ROUTE_ROLES[route].get(method, frozenset())
            expected = PUBLIC in allowed or bool(allowed & roles)
            response = client_as(member).generic(method, url)
            to_login = response.status_code == 302 and "/accounts/login/" in response["Location"]
            refused = response.status_code in DENIED or to_login
            assert refused != expected, (
                f"{member} {method} {url} ({route}) answered {response.status_code}"
            )
            if not allowed and method in METHODS:
                assert response.status_code == 405, (member, method, url)


@pytest.mark.django_db
def test_unknown_route_rule_refuses_everyone(
    client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = dict(ROUTE_ROLES)
    del rules["core:home"]
    monkeypatch.setattr("ceasefire.core.access.ROUTE_ROLES", rules)
    assert client_as("admin").get("/").status_code == 403
    assert client_as("public").get("/").status_code == 403


@pytest.mark.django_db
def test_users_page_is_for_admins_only(client_as: Callable[[str], Client]) -> None:
    assert client_as("admin").get("/accounts/users/").status_code == 200
    assert client_as("analyst").get("/accounts/users/").status_code == 403
    assert client_as("outsider").get("/accounts/users/").status_code == 403
    response = client_as("public").get("/accounts/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/users/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("member", "sees_users"), [("admin", True), ("analyst", False), ("public", False)]
)
def test_navigation_follows_the_access_table(
    member: str, sees_users: bool, client_as: Callable[[str], Client]
) -> None:
    html = client_as(member).get("/").content.decode()
    assert ('data-route="accounts:users"' in html) is sees_users
    assert 'data-route="core:home"' in html
