from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ceasefire.core.errors import Conflict, ValidationFailed


def test_error_json_shape_is_pinned() -> None:
    error = ValidationFailed("Serial is missing.", field="serial")
    assert error.as_json() == {
        "error": {
            "code": "invalid",
            "message": "Serial is missing.",
            "fields": {"serial": ["Serial is missing."]},
        }
    }
    assert Conflict("x").status == 409


@pytest.mark.django_db
def test_api_refuses_anonymous_with_the_error_shape(client: Client) -> None:
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {
        "error": {"code": "not_authenticated", "message": "Please log in.", "fields": {}}
    }


@pytest.mark.django_db
def test_api_validation_errors_use_the_same_shape(client_as: Callable[[str], Client]) -> None:
    response = client_as("analyst").post(
        "/api/tokens", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert "role" in body["fields"]


@pytest.mark.django_db
def test_api_service_error_maps_to_its_status(client_as: Callable[[str], Client]) -> None:
    response = client_as("analyst").post(
        "/api/tokens", {"name": "x", "role": "admin"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "role": ["A token can only carry a role its user holds."]
    }


@pytest.mark.django_db
def test_web_error_renders_a_page(client_as: Callable[[str], Client]) -> None:
    response = client_as("analyst").post("/accounts/tokens/424242/revoke/")
    assert response.status_code == 404
    assert b'data-error-code="not_found"' in response.content
    assert b"<html" in response.content


@pytest.mark.django_db
def test_htmx_error_renders_a_fragment_into_the_message_area(
    client_as: Callable[[str], Client],
) -> None:
    response = client_as("analyst").post(
        "/accounts/tokens/424242/revoke/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 404
    assert response["HX-Retarget"] == "#messages"
    assert b"<html" not in response.content
    assert b'data-error-code="not_found"' in response.content
