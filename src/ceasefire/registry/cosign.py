"""Liaison co-signatures: Ed25519 over the exact bytes of a log entry. Pure Python.

The browser signs with Web Crypto (a non-extractable key kept in IndexedDB); `ceasefire cosign`
does the same on the liaison's own machine. Both give a raw 32-byte public key and a 64-byte
signature, which the server checks here before logging it.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PUBLIC_KEY_SIZE = 32
SIGNATURE_SIZE = 64


class CosignError(ValueError):
    """A key or signature that is malformed or does not verify."""


def fingerprint(public_key: bytes) -> str:
    """base64url, unpadded, of the SHA-256 of the raw public key: what the party confirms."""
    digest = hashlib.sha256(public_key).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def decode(text: str, size: int, what: str) -> bytes:
    """Standard or URL-safe base64, padded or not, of exactly `size` bytes."""
    cleaned = "".join(text.split()).replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
    except ValueError:
        raise CosignError(f"the {what} is not base64") from None
    if len(raw) != size:
        raise CosignError(f"the {what} must be {size} bytes, not {len(raw)}")
    return raw


def verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def generate_private_key() -> tuple[bytes, bytes]:
    """A new key pair as (PKCS#8 PEM of the private key, raw public key)."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem, public_bytes(private)


def public_bytes(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError:
        raise CosignError("the key file is not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CosignError("the key file does not hold an Ed25519 key")
    return key


def sign(pem: bytes, message: bytes) -> bytes:
    return load_private_key(pem).sign(message)
