from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ceasefire.accounts import services
from ceasefire.accounts.models import User
from ceasefire.accounts.roles import Role


@pytest.mark.django_db
def test_me_tells_a_liaison_their_party(client_as: Callable[[str], Client]) -> None:
    response = client_as("liaison_north").get("/api/me")
    assert response.json() == {"username": "liaison_north", "roles": ["liaison"], "party": "north"}


@pytest.mark.django_db
def test_bearer_token_authenticates_without_csrf(cast: dict[str, User]) -> None:
    _token, secret = services.token_create(user=cast["admin"], role=Role.ADMIN, name="ci")
    client = Client(enforce_csrf_checks=True)
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/me", headers=auth).json()["roles"] == ["admin"]
    created = client.post(
        "/api/tokens",
        {"name": "second", "role": "admin"},
        content_type="application/json",
        headers=auth,
    )
    assert created.status_code == 201
    assert created.json()["secret"].startswith("cf_")


@pytest.mark.django_db
def test_invalid_bearer_token_is_refused_not_ignored(client: Client) -> None:
    response = client.get("/api/parties", headers={"Authorization": "Bearer cf_nope"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_session_write_without_csrf_token_is_refused(cast: dict[str, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["analyst"])
    response = client.post(
        "/api/tokens", {"name": "x", "role": "analyst"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_token_list_never_shows_secrets(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    services.token_create(user=cast["analyst"], role=Role.ANALYST, name="laptop")
    listed = client_as("analyst").get("/api/tokens").json()
    assert [token["name"] for token in listed] == ["laptop"]
    assert "secret" not in listed[0]


@pytest.mark.django_db
def test_token_revoke_answers_204(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    token, _secret = services.token_create(user=cast["analyst"], role=Role.ANALYST, name="x")
    assert client_as("analyst").delete(f"/api/tokens/{token.pk}").status_code == 204
    assert client_as("analyst").delete(f"/api/tokens/{token.pk}").status_code == 404


@pytest.mark.django_db
def test_openapi_schema_is_public_and_declares_authentication(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"token", "session"}
    assert "/api/me" in schema["paths"]


@pytest.mark.django_db
def test_openapi_schema_is_in_the_readers_language_each_time(client: Client) -> None:
    english = client.get("/api/openapi.json", headers={"Accept-Language": "en"}).json()
    russian = client.get("/api/openapi.json", headers={"Accept-Language": "ru"}).json()
    again = client.get("/api/openapi.json", headers={"Accept-Language": "en"}).json()
    assert english["info"]["description"].startswith("Records of a ceasefire")
    assert russian["info"]["description"] != english["info"]["description"]
    assert again == english
