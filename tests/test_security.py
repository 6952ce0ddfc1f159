"""Security settings as Django's deployment checks want them, and the password hashing."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

BIN = Path(sys.executable).parent


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CEASEFIRE_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        CEASEFIRE_DATA_DIR=str(tmp_path / "data"),
        CEASEFIRE_HTTPS="true",
        CEASEFIRE_SECRET_KEY=secrets.token_urlsafe(64),
        CEASEFIRE_ALLOWED_HOSTS="mission.example",
        CEASEFIRE_SITE_URL="https://mission.example",
    )
    return env


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "ceasefire"), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_checks_pass_with_production_settings(tmp_path: Path) -> None:
    result = deploy_check(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_hsts_preload_is_sent_when_the_operator_asks_for_it(tmp_path: Path) -> None:
    env = production_env(tmp_path) | {"CEASEFIRE_HSTS_PRELOAD": "true"}
    result = deploy_check(env)
    assert result.returncode == 0, result.stdout + result.stderr
    # Nothing is silenced then: the reminder about preload is silenced only while it is off.
    assert "no issues (0 silenced)" in result.stdout


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    # The test settings swap in a fast hasher; the module's own list is what production runs.
    from ceasefire import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    hashed = Argon2PasswordHasher().encode("a pass phrase", "somesaltvalue")
    assert hashed.startswith("argon2$argon2id$")


def test_cookies_are_out_of_reach_of_scripts_and_other_sites() -> None:
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.X_FRAME_OPTIONS == "DENY"


@pytest.mark.parametrize(
    "middleware",
    [
        "ceasefire.accounts.middleware.TwoFactorMiddleware",
        "ceasefire.audit.middleware.AuditMiddleware",
    ],
)
def test_access_guards_run_before_the_route_table(middleware: str) -> None:
    order = settings.MIDDLEWARE
    assert order.index(middleware) < order.index("ceasefire.core.access.AccessMiddleware")


def test_login_throttling_is_on() -> None:
    assert settings.AUTHENTICATION_BACKENDS[0] == "ceasefire.accounts.backends.ThrottledBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
