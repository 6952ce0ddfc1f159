"""Sealed fields: commitments now, openings later. Pure Python.

A sealed field enters the log as HMAC-SHA-256(secret, canonical JSON of the value), with a fresh
32-byte secret for each entry and field. The opening (value and secret) proves later, to anyone,
exactly what was recorded; without it the commitment reveals nothing, not even to someone who
guesses the value (unlike a bare hash).
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

from ceasefire.ledger.entries import JSONValue, canonical_json

SECRET_SIZE = 32


class OpeningError(ValueError):
    """An opening does not match the entry it claims to open."""


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_SIZE)


def commitment(secret: bytes, value: JSONValue) -> str:
    digest = hmac.new(secret, canonical_json(value), sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class Opening:
    index: int
    field: str
    value: JSONValue
    secret: bytes

    def as_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "field": self.field,
            "value": self.value,
            "secret": base64.b64encode(self.secret).decode(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Opening:
        try:
            secret = base64.b64decode(data["secret"], validate=True)
            return cls(int(data["index"]), str(data["field"]), data["value"], secret)
        except (KeyError, TypeError, ValueError) as exc:
            raise OpeningError(f"not an opening: {exc}") from None


def check_opening(opening: Opening, entry: bytes) -> None:
    """Raise OpeningError unless `opening` opens a sealed field of `entry`."""
    try:
        body = json.loads(entry)
    except ValueError:
        raise OpeningError(f"entry {opening.index} is not JSON") from None
    sealed = body.get("sealed", {}) if isinstance(body, dict) else {}
    expected = sealed.get(opening.field)
    if expected is None:
        raise OpeningError(f"entry {opening.index} has no sealed field {opening.field!r}")
    if len(opening.secret) != SECRET_SIZE:
        raise OpeningError(f"the secret must be {SECRET_SIZE} bytes")
    if not hmac.compare_digest(commitment(opening.secret, opening.value), expected):
        raise OpeningError(
            f"the opening does not match field {opening.field!r} of entry {opening.index}: "
            "this is not what was recorded"
        )
