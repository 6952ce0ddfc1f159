from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from ceasefire.accounts.models import User
from ceasefire.accounts.selectors import two_factor_required
from ceasefire.ledger.keys import log_signer
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
    """Each test writes uploads, keys and the exported log into its own temporary directories,
    with a fresh log signing key."""
    for name in ("keys", "uploads", "log"):
        (tmp_path / name).mkdir()
    settings.KEY_DIR = tmp_path / "keys"  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = tmp_path / "uploads"  # type: ignore[attr-defined]
    settings.LOG_DIR = tmp_path / "log"  # type: ignore[attr-defined]
    log_signer.cache_clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in English: a request leaves its reader's language active in the thread,
    and services would then answer the next test in Armenian."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


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
            if two_factor_required(cast[name]):
                factories.pass_two_factor(client, cast[name])
        return client

    return make
