from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ceasefire.accounts.models import User
from tests.factories import PASSWORD


@pytest.mark.django_db
def test_login_and_logout(cast: dict[str, User]) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302
    assert b"analyst" in client.get("/").content
    client.post("/accounts/logout/")
    assert client.get("/api/me").status_code == 401


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(cast: dict[str, User]) -> None:
    response = Client().post("/accounts/login/", {"username": "analyst", "password": "wrong"})
    assert response.status_code == 200
    assert b"errorlist" in response.content


@pytest.mark.django_db
def test_admin_creates_a_liaison(client_as: Callable[[str], Client], cast: dict[str, User]) -> None:
    north = cast["liaison_north"].grants.get().party
    assert north is not None
    response = client_as("admin").post(
        "/accounts/users/new/",
        {
            "username": "newliaison",
            "password": "a long enough pass phrase",
            "roles": ["liaison"],
            "party": north.pk,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="newliaison").liaison_party_id() == north.pk


@pytest.mark.django_db
def test_user_form_shows_service_errors_and_writes_nothing(
    client_as: Callable[[str], Client],
) -> None:
    response = client_as("admin").post(
        "/accounts/users/new/",
        {"username": "lonely", "password": "a long enough pass phrase", "roles": ["liaison"]},
    )
    assert response.status_code == 200
    assert "must be bound to a party" in response.content.decode()
    assert not User.objects.filter(username="lonely").exists()


@pytest.mark.django_db
def test_admin_reset_link_lets_the_user_set_a_password(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    response = client_as("admin").post(f"/accounts/users/{cast['field'].pk}/reset-link/")
    link = response.context["link"]
    client = Client()
    form_page = client.get(link, follow=True)
    new = "a brand new pass phrase"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert Client().login(username="field", password=new)


@pytest.mark.django_db
def test_token_page_shows_the_secret_once(client_as: Callable[[str], Client]) -> None:
    client = client_as("analyst")
    created = client.post("/accounts/tokens/", {"name": "laptop", "role": "analyst"})
    secret = created.context["new_secret"]
    assert secret in created.content.decode()
    assert secret not in client.get("/accounts/tokens/").content.decode()
