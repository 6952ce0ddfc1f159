from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings

from ceasefire.accounts.models import User
from ceasefire.audit.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_write_is_recorded_with_who_what_status_and_where(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    client = client_as("admin")
    target = cast["field"]
    client.post(
        f"/accounts/users/{target.pk}/deactivate/",
        REMOTE_ADDR="192.0.2.7",
        HTTP_USER_AGENT="Mozilla/5.0 test",
    )
    event = AuditEvent.objects.get()
    assert event.user == cast["admin"]
    assert (event.action, event.method, event.route) == (
        "write",
        "POST",
        "accounts:user_deactivate",
    )
    assert event.status == 302
    assert event.object_id == f"user_id={target.pk}"
    assert (event.ip, event.user_agent) == ("192.0.2.7", "Mozilla/5.0 test")


def test_reads_are_not_recorded(client_as: Callable[[str], Client]) -> None:
    client_as("admin").get("/accounts/users/")
    client_as("public").head("/")
    assert not AuditEvent.objects.exists()


def test_a_refused_write_is_recorded_with_its_refusal(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    client_as("analyst").post(f"/accounts/users/{cast['field'].pk}/deactivate/")
    event = AuditEvent.objects.get()
    assert (event.user, event.status) == (cast["analyst"], 403)


def test_an_api_write_with_a_token_is_recorded(cast: dict[str, User]) -> None:
    from ceasefire.accounts.services import token_create

    _token, secret = token_create(user=cast["analyst"], role="analyst", name="script")
    Client().post(
        "/api/tokens",
        {"name": "another", "role": "analyst"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    event = AuditEvent.objects.get()
    assert (event.user, event.route, event.status) == (cast["analyst"], "api:tokens", 201)


def test_a_login_and_a_logout_name_the_user(cast: dict[str, User]) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "field", "password": PASSWORD})
    client.post("/accounts/logout/")
    login, logout = AuditEvent.objects.order_by("id")
    assert (login.route, login.user, login.status) == ("accounts:login", cast["field"], 302)
    assert (logout.route, logout.user) == ("accounts:logout", cast["field"])


def test_secret_route_arguments_are_not_recorded(cast: dict[str, User]) -> None:
    Client().post("/accounts/reset/MQ/very-secret-token/", {})
    event = AuditEvent.objects.get()
    assert "very-secret-token" not in str(AuditEvent.objects.values().get())
    assert event.route == "accounts:password_reset_confirm"


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(cast: dict[str, User]) -> None:
    Client().post(
        "/accounts/logout/",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )
    assert AuditEvent.objects.get().ip == "203.0.113.9"


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(cast: dict[str, User]) -> None:
    Client().post("/accounts/logout/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert AuditEvent.objects.get().ip == "10.0.0.1"


def test_a_write_and_its_record_are_one_transaction(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("admin")
    with CaptureQueriesContext(connection) as queries:
        client.post(f"/accounts/users/{cast['field'].pk}/deactivate/")
    statements = [query["sql"] for query in queries.captured_queries]
    # The test's own transaction turns the request's into a savepoint: the record is written
    # before the request's savepoint is released, so both stand or fall together.
    recorded = next(n for n, sql in enumerate(statements) if "audit_auditevent" in sql)
    released = max(n for n, sql in enumerate(statements) if sql.startswith("RELEASE SAVEPOINT"))
    assert recorded < released
    assert AuditEvent.objects.get().status == 302


def test_a_failed_write_keeps_nothing_but_its_record(
    client_as: Callable[[str], Client], cast: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ceasefire.accounts import services

    deactivate = services.user_deactivate

    def deactivate_then_fail(**kwargs: object) -> User:
        deactivate(**kwargs)  # type: ignore[arg-type]
        raise RuntimeError("the page failed after the write")

    monkeypatch.setattr(services, "user_deactivate", deactivate_then_fail)
    client = client_as("admin")
    client.raise_request_exception = False
    target = cast["field"]
    response = client.post(f"/accounts/users/{target.pk}/deactivate/")
    assert response.status_code == 500
    target.refresh_from_db()
    assert target.is_active
    event = AuditEvent.objects.get()
    assert (event.route, event.status) == ("accounts:user_deactivate", 500)
