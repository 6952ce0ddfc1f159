"""The access matrix: every route of the URL conf and of the OpenAPI schema x every member of the
cast (the public, one user per role, each party's liaison, an outsider with no role) x every
method. The server must answer each exactly as the hand-written expectations say
(tests/access_expectations.py), and the access table (ceasefire/permissions.py) must agree with
them, so a new route cannot escape review and a slip in either file is caught."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ceasefire.accounts.roles import PUBLIC
from ceasefire.permissions import NAVIGATION, ROUTE_ROLES
from tests.access_expectations import EXPECTATIONS
from tests.factories import CAST
from tests.routes import (
    all_route_names,
    expectation_key,
    expected_rule,
    openapi_operations,
    route_of_openapi_path,
    unnamed_patterns,
    url_for,
)

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
MEMBERS = ["public", *CAST]
DENIED = {401, 403, 405}


def test_every_route_has_an_access_rule() -> None:
    assert all_route_names() - set(ROUTE_ROLES) == set()


def test_every_access_rule_names_a_route() -> None:
    assert set(ROUTE_ROLES) - all_route_names() == set()


def test_every_route_is_named_so_the_table_can_reach_it() -> None:
    assert unnamed_patterns() == []


def test_every_route_has_a_hand_written_expectation() -> None:
    missing = {route for route in all_route_names() if expectation_key(route) is None}
    assert missing == set(), "add a line for each to tests/access_expectations.py"


def test_every_expectation_speaks_for_a_route() -> None:
    routes = all_route_names()
    used = {expectation_key(route) for route in routes}
    assert set(EXPECTATIONS) - used == set()


@pytest.mark.parametrize("route", sorted(ROUTE_ROLES))
def test_the_access_table_grants_what_the_expectations_say(route: str) -> None:
    table = {method: roles for method, roles in ROUTE_ROLES[route].items() if roles}
    assert table == expected_rule(route)


@pytest.mark.parametrize(("path", "method"), openapi_operations())
def test_every_api_operation_is_a_route_of_the_table(path: str, method: str) -> None:
    route = route_of_openapi_path(path)
    assert method in ROUTE_ROLES.get(route, {}), f"{method} {path} ({route}) is not in the table"


def test_every_api_route_of_the_table_is_in_the_schema() -> None:
    documented = {route_of_openapi_path(path) for path, _method in openapi_operations()}
    schema_routes = {"api:api-root", "api:openapi-json", "api:openapi-view"}
    api_routes = {route for route in ROUTE_ROLES if route.startswith("api:")}
    assert api_routes - schema_routes - documented == set()


def test_navigation_entries_are_routes_in_the_table() -> None:
    assert {route for route, _label in NAVIGATION} <= set(ROUTE_ROLES)


def refused(response: object) -> bool:
    status = response.status_code  # type: ignore[attr-defined]
    to_login = status == 302 and "/accounts/login/" in response["Location"]  # type: ignore[index]
    return status in DENIED or to_login


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(all_route_names()))
def test_route_answers_each_member_as_expected(
    route: str, client_as: Callable[[str], Client]
) -> None:
    url = url_for(route)
    rule = expected_rule(route)
    for member in MEMBERS:
        client = client_as(member)
        held = set(CAST.get(member, ()))
        for method in METHODS:
            allowed = rule.get("GET" if method == "HEAD" else method, frozenset())
            expected = PUBLIC in allowed or bool(allowed & held)
            response = client.generic(method, url)
            if method == "HEAD" and expected and response.status_code == 405:
                continue  # the access check let it through; django-ninja serves no HEAD
            if expected and route.startswith("fieldsync:") and "X-OpenRosa-Version" in response:
                continue  # the access check let it through; OpenRosa views authenticate phones
            assert refused(response) != expected, (
                f"{member} {method} {url} ({route}) answered {response.status_code}"
            )
            if not allowed:
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
def test_a_slip_in_the_access_table_is_caught_by_the_expectations(
    client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = dict(ROUTE_ROLES)
    rules["accounts:users"] = {"GET": frozenset({PUBLIC})}
    monkeypatch.setattr("ceasefire.core.access.ROUTE_ROLES", rules)
    with pytest.raises(AssertionError, match=r"public GET /accounts/users/ .* answered 200"):
        test_route_answers_each_member_as_expected("accounts:users", client_as)


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
