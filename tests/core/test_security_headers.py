from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings

from ceasefire.accounts.roles import PUBLIC
from ceasefire.permissions import ROUTE_ROLES
from tests.factories import CAST
from tests.routes import url_for

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_secure_headers(response: object) -> None:
    for header, value in EXPECTED.items():
        assert response[header] == value, header  # type: ignore[index]
    policy = response["Content-Security-Policy"]  # type: ignore[index]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/parties", "/api/me", "/health"])
def test_public_answers_carry_security_headers(path: str, client: Client) -> None:
    assert_secure_headers(client.get(path))


@pytest.mark.django_db
def test_logged_in_pages_carry_security_headers(client_as: Callable[[str], Client]) -> None:
    assert_secure_headers(client_as("admin").get("/accounts/users/"))


@pytest.mark.django_db
def test_pages_have_no_inline_script(client_as: Callable[[str], Client]) -> None:
    html = client_as("admin").get("/accounts/users/").content.decode()
    assert "<script>" not in html
    assert " on" + "click=" not in html
    assert "hx-on" not in html


@pytest.mark.django_db
@override_settings(
    SECURE_HSTS_SECONDS=31536000, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_hsts_is_sent_over_https_only(client: Client) -> None:
    assert "Strict-Transport-Security" not in client.get("/")
    secure = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def first_allowed_member(roles: frozenset[str]) -> str:
    if PUBLIC in roles:
        return "public"
    return next(member for member, held in CAST.items() if roles & set(held))


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(ROUTE_ROLES))
def test_every_route_answers_an_allowed_member_with_every_header(
    route: str, client_as: Callable[[str], Client]
) -> None:
    """No page, API answer, download or redirect escapes the Content-Security-Policy."""
    for method, roles in ROUTE_ROLES[route].items():
        if roles:
            response = client_as(first_allowed_member(roles)).generic(method, url_for(route))
            assert_secure_headers(response)
