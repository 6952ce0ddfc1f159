from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_health_reports_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_home_page_offers_login_to_the_public(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/accounts/login/"' in response.content


@pytest.mark.django_db
def test_language_choice_is_remembered(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert client.get("/")["Content-Language"] == "ru"
