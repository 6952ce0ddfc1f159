"""All of people/'s cryptography, in one module: envelope encryption of personal fields and files,
the key-encryption keys (KEKs) and the blind index.

Each record has its own 256-bit data key; its personal fields and files are encrypted with
AES-GCM under that key, with associated data naming the record and the field, so a ciphertext
copied to another row or column does not decrypt. The data key is stored only wrapped (AES-GCM
again) under a KEK that lives apart from the database, with the KEK's id beside it so keys can be
rotated. Destroying a record's wrapped data key makes all its ciphertexts unreadable for good,
whatever keys remain (crypto-shredding).

KEKs come from `CEASEFIRE_PEOPLE_KEK` (or `CEASEFIRE_PEOPLE_KEK_FILE`): one or more base64 keys
separated by commas or white space, the first one current. Without it, from the key file
`people-kek` in the key dir, created (mode 0600) on first use, with the same format, one key a
line. The blind index key is derived from the current KEK (HKDF, its own label), never the KEK
itself.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ceasefire.core.config import env_secret, write_private_file

KEY_SIZE = 32
NONCE_SIZE = 12
VERSION = b"\x01"  # first byte of every ciphertext, so the format can change later
KEK_FILE = "people-kek"
KEK_ENV = "CEASEFIRE_PEOPLE_KEK"


class CryptoError(Exception):
    """A ciphertext does not decrypt: wrong key, record or field, or it was tampered with."""


class KeyMissing(CryptoError):
    """A data key is wrapped under a KEK that this installation no longer holds."""


@dataclass(frozen=True)
class Keyring:
    """The KEKs this installation holds, the current one first."""

    keys: tuple[tuple[str, bytes], ...]  # (kek id, key)

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    @property
    def current(self) -> bytes:
        return self.keys[0][1]

    def get(self, kek_id: str) -> bytes:
        for candidate, key in self.keys:
            if candidate == kek_id:
                return key
        raise KeyMissing(
            f"personal data is wrapped under key-encryption key {kek_id}, which is neither in "
            f"{KEK_ENV} nor in {settings.KEY_DIR / KEK_FILE}: restore that key"
        )


def kek_id(key: bytes) -> str:
    return hashlib.sha256(b"ceasefire people kek\n" + key).hexdigest()[:16]


def _parse(text: str, source: str) -> Keyring:
    keys = []
    for token in re.split(r"[\s,]+", text.strip()):
        if not token:
            continue
        try:
            key = base64.b64decode(token, validate=True)
        except ValueError:
            key = b""
        if len(key) != KEY_SIZE:
            raise ImproperlyConfigured(
                f"{source}: each key must be {KEY_SIZE} random bytes in base64 "
                "(for example, the output of: openssl rand -base64 32)."
            )
        keys.append((kek_id(key), key))
    if not keys:
        raise ImproperlyConfigured(f"{source} holds no key.")
    return Keyring(tuple(keys))


def _format(keys: list[bytes]) -> bytes:
    return "".join(base64.b64encode(key).decode() + "\n" for key in keys).encode()


def key_file() -> Path:
    return Path(settings.KEY_DIR) / KEK_FILE


@cache
def _load(path: str, given: str | None, mtime: float) -> Keyring:
    if given:
        return _parse(given, KEK_ENV)
    return _parse(Path(path).read_text(encoding="ascii"), path)


def _given() -> str | None:
    return env_secret("CEASEFIRE_PEOPLE_KEK")


def keyring() -> Keyring:
    """The KEKs, from the environment or the key file (created with one new key when missing)."""
    given = _given()
    path = key_file()
    if not given and not path.exists():
        # Another process may create it first; then we read theirs.
        with contextlib.suppress(FileExistsError):
            write_private_file(path, _format([AESGCM.generate_key(256)]))
    return _load(str(path), given, 0.0 if given else path.stat().st_mtime)


def kek_from_environment() -> bool:
    return bool(_given())


def _replace_key_file(keys: list[bytes]) -> None:
    path = key_file()
    temporary = path.with_name(path.name + ".new")
    temporary.unlink(missing_ok=True)
    write_private_file(temporary, _format(keys))
    os.replace(temporary, path)


def keyring_prepend_new() -> Keyring:
    """Put a new current KEK in front of the key file's keys (the old ones still unwrap)."""
    old = [key for _id, key in keyring().keys]
    _replace_key_file([AESGCM.generate_key(256), *old])
    return keyring()


def keyring_keep_only(kek_ids: set[str]) -> Keyring:
    """Drop the key file's KEKs that no data key uses any more: they are destroyed."""
    ring = keyring()
    _replace_key_file([key for candidate, key in ring.keys if candidate in kek_ids])
    return keyring()


# Data keys and ciphertexts


def new_data_key() -> bytes:
    return AESGCM.generate_key(256)


def _seal(key: bytes, plaintext: bytes, associated: str) -> bytes:
    nonce = secrets.token_bytes(NONCE_SIZE)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, associated.encode())


def _open(key: bytes, blob: bytes, associated: str) -> bytes:
    blob = bytes(blob)
    if blob[:1] != VERSION or len(blob) < 1 + NONCE_SIZE + 16:
        raise CryptoError(f"not a ciphertext of this format ({associated})")
    nonce, body = blob[1 : 1 + NONCE_SIZE], blob[1 + NONCE_SIZE :]
    try:
        return AESGCM(key).decrypt(nonce, body, associated.encode())
    except InvalidTag:
        raise CryptoError(f"does not decrypt ({associated})") from None


def wrap(data_key: bytes, *, record: str) -> tuple[bytes, str]:
    """The data key wrapped under the current KEK, and that KEK's id."""
    ring = keyring()
    return _seal(ring.current, data_key, f"key|{record}|{ring.current_id}"), ring.current_id


def unwrap(wrapped: bytes, kek: str, *, record: str) -> bytes:
    return _open(keyring().get(kek), wrapped, f"key|{record}|{kek}")


def encrypt(data_key: bytes, plaintext: bytes, *, record: str, field: str) -> bytes:
    return _seal(data_key, plaintext, f"field|{record}|{field}")


def decrypt(data_key: bytes, blob: bytes, *, record: str, field: str) -> bytes:
    return _open(data_key, blob, f"field|{record}|{field}")


# The blind index


def normalise_name(name: str) -> str:
    """Case, accents, punctuation, spacing and word order do not matter: `Ivanov, Ivan` and
    `ivan  IVANOV` are the same name. Scripts are not transliterated."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.findall(r"\w+", letters)
    return " ".join(sorted(words))


def _index_key(kek: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"ceasefire people blind index v1"
    ).derive(kek)


def blind_index(name: str, birth_date: date) -> str:
    """HMAC-SHA-256 of the normalised name and the date of birth under the index key: equal
    for the same person, meaningless without the key."""
    message = f"{normalise_name(name)}\n{birth_date.isoformat()}".encode()
    return hmac.new(_index_key(keyring().current), message, hashlib.sha256).hexdigest()
