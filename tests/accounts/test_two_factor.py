"""Admins and protection officers give a code from an authenticator app after their password,
before any other page; others may enrol and are then asked too."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceasefire.accounts.models import User
from ceasefire.permissions import ROUTE_ROLES
from tests.factories import PASSWORD, totp_device
from tests.routes import url_for

pytestmark = pytest.mark.django_db


def code_for(key: bytes, *, steps_ahead: int = 0) -> str:
    """The code an app holding `key` shows now (or `steps_ahead` periods later: a code
    already used is refused, so a second login in the same test uses the next one)."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def password_login(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_an_admin_without_an_authenticator_must_enrol_before_any_page(
    cast: dict[str, User],
) -> None:
    client = password_login("admin")
    response = client.get("/accounts/users/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/enrol/?next=%2Faccounts%2Fusers%2F"


def test_enrolment_shows_a_qr_code_and_the_key_and_then_opens_the_pages(
    cast: dict[str, User],
) -> None:
    client = password_login("protection")
    page = client.get("/accounts/two-factor/enrol/?next=/accounts/tokens/").content.decode()
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7=]+)<', page)
    assert secret is not None
    key = base64.b32decode(secret.group(1))
    response = client.post(
        "/accounts/two-factor/enrol/", {"code": code_for(key), "next": "/accounts/tokens/"}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/tokens/"
    assert client.get("/accounts/tokens/").status_code == 200
    device = TOTPDevice.objects.get(user=cast["protection"])
    assert device.confirmed and device.bin_key == key


def test_a_wrong_enrolment_code_is_refused_and_enrols_nothing(cast: dict[str, User]) -> None:
    client = password_login("admin")
    client.get("/accounts/two-factor/enrol/")
    response = client.post("/accounts/two-factor/enrol/", {"code": "000000"})
    assert response.status_code == 200
    assert "does not match" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.get("/accounts/users/").status_code == 302


def test_an_enrolled_admin_gives_the_code_after_the_password(cast: dict[str, User]) -> None:
    device = totp_device(cast["admin"])
    client = password_login("admin")
    response = client.get("/accounts/users/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Faccounts%2Fusers%2F"
    wrong = client.post("/accounts/two-factor/", {"code": "123456", "next": "/accounts/users/"})
    assert "not valid" in wrong.content.decode()
    # A wrong code makes the device wait before the next try.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post(
        "/accounts/two-factor/", {"code": code_for(device.bin_key), "next": "/accounts/users/"}
    )
    assert right["Location"] == "/accounts/users/"
    assert client.get("/accounts/users/").status_code == 200


def test_a_code_cannot_be_used_twice(cast: dict[str, User]) -> None:
    device = totp_device(cast["admin"])
    code = code_for(device.bin_key)
    first = password_login("admin")
    assert first.post("/accounts/two-factor/", {"code": code})["Location"] == "/"
    second = password_login("admin")
    assert second.post("/accounts/two-factor/", {"code": code}).status_code == 200


def test_the_next_address_must_be_on_this_site(cast: dict[str, User]) -> None:
    device = totp_device(cast["admin"])
    client = password_login("admin")
    response = client.post(
        "/accounts/two-factor/",
        {"code": code_for(device.bin_key), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_someone_with_only_the_password_cannot_replace_the_authenticator(
    cast: dict[str, User],
) -> None:
    totp_device(cast["admin"])
    client = password_login("admin")
    response = client.get("/accounts/two-factor/enrol/")
    assert response["Location"].startswith("/accounts/two-factor/?")


def test_an_unverified_admin_reaches_no_route_but_the_two_factor_pages(
    cast: dict[str, User],
) -> None:
    totp_device(cast["admin"])
    client = password_login("admin")
    open_before = {"accounts:two_factor", "accounts:two_factor_enrol"}
    for route, rule in ROUTE_ROLES.items():
        if "GET" not in rule or route in open_before:
            continue
        response = client.get(url_for(route))
        if route.startswith("api:"):
            assert response.status_code == 403, route
        else:
            assert response.status_code == 302, route
            assert response["Location"].startswith("/accounts/two-factor/?next="), route


def test_a_field_officer_need_not_enrol_but_may(cast: dict[str, User]) -> None:
    client = password_login("field")
    assert client.get("/accounts/tokens/").status_code == 200
    assert client.get("/accounts/two-factor/enrol/").status_code == 200
    device = totp_device(cast["field"])
    again = password_login("field")
    assert again.get("/accounts/tokens/")["Location"].startswith("/accounts/two-factor/")
    again.post("/accounts/two-factor/", {"code": code_for(device.bin_key)})
    assert again.get("/accounts/tokens/").status_code == 200


def test_an_api_token_is_not_asked_for_a_code(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    from ceasefire.accounts.services import token_create

    totp_device(cast["admin"])
    _token, secret = token_create(user=cast["admin"], role="admin", name="script")
    response = Client().get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


def test_an_admin_removes_a_lost_authenticator(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    totp_device(cast["protection"])
    response = client_as("admin").post(f"/accounts/users/{cast['protection'].pk}/two-factor-reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast["protection"]).exists()
    client = password_login("protection")
    assert client.get("/")["Location"].startswith("/accounts/two-factor/enrol/")
