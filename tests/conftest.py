from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from ceasefire.accounts.models import User
from tests import factories


def pytest_configure(config: pytest.Config) -> None:
    # Tests hash passwords thousands of times: a fast hasher keeps the suite quick. Static files
    # are served from the source tree, without the manifest that `collectstatic` writes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _private_dirs(settings: object, tmp_path: Path) -> None:
    """Each test writes uploads and keys into its own temporary directories."""
    (tmp_path / "keys").mkdir()
    (tmp_path / "uploads").mkdir()
    settings.KEY_DIR = tmp_path / "keys"  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = tmp_path / "uploads"  # type: ignore[attr-defined]


@pytest.fixture
def cast(db: None) -> dict[str, User]:
    return factories.cast()


@pytest.fixture
def client_as(cast: dict[str, User]) -> Callable[[str], Client]:
    """A logged-in client for one member of the cast; "public" gives an anonymous client."""

    def make(name: str) -> Client:
        client = Client()
        if name != "public":
            client.force_login(cast[name])
        return client

    return make
