"""Configuration read from the environment.

Every helper fails loudly with ImproperlyConfigured naming the variable and what was wrong, so a
bad deployment stops at start with one clear line instead of a stack trace later. A secret may be
given directly (`NAME`) or as a path to a file holding it (`NAME_FILE`), as container secrets are.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_dir(name: str, default: Path) -> Path:
    """A directory, created (mode 0700) when missing; refused when it cannot be."""
    path = Path(os.environ.get(name) or default).expanduser().resolve()
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{name}: cannot create directory {path}: {exc.strerror}."
        ) from None
    if not os.access(path, os.W_OK):
        raise ImproperlyConfigured(f"{name}: directory {path} is not writable.")
    return path


def env_secret(name: str) -> str | None:
    """`NAME` or the contents of the file named by `NAME_FILE`; None when neither is set."""
    direct = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if direct and file_name:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE: cannot read {file_name}: {exc.strerror}."
            ) from None
    return direct or None


def write_private_file(path: Path, data: bytes) -> None:
    """Create `path` with mode 0600, refusing to overwrite: keys are never replaced silently."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def secret_key(key_dir: Path) -> str:
    """CEASEFIRE_SECRET_KEY(_FILE), else a key generated once into the key dir."""
    given = env_secret("CEASEFIRE_SECRET_KEY")
    if given:
        if len(given) < 50:
            # Django's deployment check (check --deploy) asks for 50.
            raise ImproperlyConfigured("CEASEFIRE_SECRET_KEY must be at least 50 characters long.")
        return given
    path = key_dir / "secret_key"
    if not path.exists():
        # Another process may create it first; then we read theirs.
        with contextlib.suppress(FileExistsError):
            write_private_file(path, secrets.token_urlsafe(50).encode())
    return path.read_text(encoding="utf-8").strip()
