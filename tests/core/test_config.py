from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ceasefire.core import config


def test_bool_refuses_a_value_it_does_not_know(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEASEFIRE_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CEASEFIRE_DEBUG must be true or false"):
        config.env_bool("CEASEFIRE_DEBUG", False)


def test_int_refuses_words_and_values_below_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEASEFIRE_EMAIL_PORT", "twenty")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        config.env_int("CEASEFIRE_EMAIL_PORT", 25)
    monkeypatch.setenv("CEASEFIRE_EMAIL_PORT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        config.env_int("CEASEFIRE_EMAIL_PORT", 25, minimum=1)


def test_secret_is_read_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("s3cret\n")
    monkeypatch.setenv("CEASEFIRE_EMAIL_PASSWORD_FILE", str(tmp_path / "pw"))
    assert config.env_secret("CEASEFIRE_EMAIL_PASSWORD") == "s3cret"


def test_secret_and_secret_file_together_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CEASEFIRE_EMAIL_PASSWORD", "a")
    monkeypatch.setenv("CEASEFIRE_EMAIL_PASSWORD_FILE", str(tmp_path / "pw"))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        config.env_secret("CEASEFIRE_EMAIL_PASSWORD")


def test_secret_key_is_generated_once_with_private_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CEASEFIRE_SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path)
    assert len(first) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert config.secret_key(tmp_path) == first


def test_short_secret_key_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CEASEFIRE_SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="at least 50"):
        config.secret_key(tmp_path)


def _run_cli(env_overrides: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CEASEFIRE_DATA_DIR": str(tmp_path), **env_overrides}
    return subprocess.run(
        [sys.executable, "-m", "ceasefire.cli", "manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://db/x", "Ceasefire runs on SQLite or PostgreSQL"),
        ("DATABASE_URL", "nonsense", "DATABASE_URL"),
        ("CEASEFIRE_DEBUG", "perhaps", "CEASEFIRE_DEBUG must be true or false"),
        ("CEASEFIRE_SESSION_HOURS", "-1", "CEASEFIRE_SESSION_HOURS must be at least 1"),
    ],
)
def test_bad_configuration_gets_one_clear_line(
    variable: str, value: str, message: str, tmp_path: Path
) -> None:
    result = _run_cli({variable: value}, tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
