"""The mission's log signing key. It signs checkpoints only. Created on first use in the key dir
(mode 0600) unless given as CEASEFIRE_LOG_KEY(_FILE)."""

from __future__ import annotations

import contextlib
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ceasefire.core.config import env_secret, write_private_file
from ceasefire.ledger import note

KEY_FILE = "log-signer.key"


@cache
def log_signer() -> note.Ed25519Signer:
    signer_key = env_secret("CEASEFIRE_LOG_KEY")
    if not signer_key:
        path = settings.KEY_DIR / KEY_FILE
        if not path.exists():
            new_key, _verifier = note.generate_key(settings.LOG_ORIGIN)
            with contextlib.suppress(FileExistsError):  # another process made it first
                write_private_file(path, new_key.encode() + b"\n")
        signer_key = path.read_text(encoding="ascii").strip()
    try:
        signer = note.Ed25519Signer.from_key(signer_key)
    except note.NoteError as exc:
        raise ImproperlyConfigured(f"The log signing key is not valid: {exc}") from None
    if signer.name != settings.LOG_ORIGIN:
        raise ImproperlyConfigured(
            f"The log signing key is for {signer.name!r}, but CEASEFIRE_LOG_ORIGIN is "
            f"{settings.LOG_ORIGIN!r}. A new origin needs a new key (docs/operations.md)."
        )
    return signer


def log_verifier() -> note.Ed25519Verifier:
    return log_signer().verifier()


def verifier_key() -> str:
    """The verifier key string that readers use to check checkpoints."""
    return log_verifier().verifier_key
