"""C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys, byte-compatible with Go's
golang.org/x/mod/sumdb/note."""

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = 0x01
MAX_SIGNATURES = 100

_SIGNATURE_PREFIX = "\u2014 "  # em dash, space
_CONTROL_CHARACTER = re.compile("[\x00-\x09\x0b-\x1f]")
_SIGNER_KEY_PREFIX = "PRIVATE+KEY+"


class NoteError(ValueError):
    """A note, key or signature is malformed or does not verify."""


class InvalidSignatureError(NoteError):
    """A signature names a known key but does not verify with it."""

    def __init__(self, name: str, key_id: int) -> None:
        super().__init__(f"invalid signature for key {name}+{key_id:08x}")
        self.name = name
        self.key_id = key_id


class UnverifiedNoteError(NoteError):
    """No signature on the note is from a known key."""


class Signer(Protocol):
    """A key that signs note texts; its name and key ID identify it in signature lines."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def sign(self, message: bytes) -> bytes: ...


class Verifier(Protocol):
    """A public key that checks the signatures of the key with its name and key ID."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def verify(self, message: bytes, signature: bytes) -> bool: ...


@dataclass(frozen=True)
class Signature:
    """One signature line: the key name, the key ID and the signature after the key ID."""

    name: str
    key_id: int
    signature: bytes

    @property
    def line(self) -> str:
        """The signature line, newline included."""
        encoded = base64.b64encode(self.key_id.to_bytes(4, "big") + self.signature).decode()
        return f"{_SIGNATURE_PREFIX}{self.name} {encoded}\n"


@dataclass(frozen=True)
class Note:
    """An opened note: its text, the signatures that verified and those from unknown keys."""

    text: str
    signatures: tuple[Signature, ...]
    unknown_signatures: tuple[Signature, ...]


@dataclass(frozen=True)
class VerifierKey:
    """The parts of a verifier key string `name+hex(key ID)+base64(type || public key)`."""

    name: str
    key_id: int
    signature_type: int
    public_key: bytes


@dataclass(frozen=True)
class SignerKey:
    """The parts of a signer key string `PRIVATE+KEY+name+hex(key ID)+base64(type || key)`."""

    name: str
    key_id: int
    signature_type: int
    private_key: bytes


def decode_base64(text: str) -> bytes:
    """Decode standard base64 (RFC 4648 section 4), rejecting anything but canonical padding."""
    try:
        return binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError(f"not standard base64: {text!r}") from error


def is_valid_key_name(name: str) -> bool:
    """Key names are non-empty, without Unicode spaces, plus signs or control characters."""
    return (
        name != ""
        and "+" not in name
        and not any(char.isspace() or char < " " for char in name)
        and _is_unicode_scalars(name)
    )


def key_id(name: str, typed_public_key: bytes) -> int:
    """Return SHA-256(name || 0x0A || signature type || public key)[:4] as an integer."""
    digest = hashlib.sha256(name.encode() + b"\n" + typed_public_key).digest()
    return int.from_bytes(digest[:4], "big")


def format_verifier_key(name: str, signature_type: int, public_key: bytes) -> str:
    """Return the verifier key string of a public key."""
    _check_key_name(name)
    typed_key = bytes([signature_type]) + public_key
    return f"{name}+{key_id(name, typed_key):08x}+{base64.b64encode(typed_key).decode()}"


def format_signer_key(name: str, signature_type: int, public_key: bytes, private_key: bytes) -> str:
    """Return the signer key string (Go's note format) of a private key."""
    _check_key_name(name)
    typed_id = key_id(name, bytes([signature_type]) + public_key)
    encoded = base64.b64encode(bytes([signature_type]) + private_key).decode()
    return f"{_SIGNER_KEY_PREFIX}{name}+{typed_id:08x}+{encoded}"


def parse_verifier_key(verifier_key: str) -> VerifierKey:
    """Split and check a verifier key string (its key ID must match its name and key)."""
    name, key_id_hex, typed_key = _split_key(verifier_key, "verifier key")
    parsed_id = _parse_key_id(key_id_hex, "verifier key")
    if parsed_id != key_id(name, typed_key):
        raise NoteError(f"verifier key {verifier_key!r} has a key ID that does not match its key")
    return VerifierKey(name, parsed_id, typed_key[0], typed_key[1:])


def parse_signer_key(signer_key: str) -> SignerKey:
    """Split a signer key string; the caller derives the public key to check the key ID."""
    if not signer_key.startswith(_SIGNER_KEY_PREFIX):
        raise NoteError(f"signer key does not start with {_SIGNER_KEY_PREFIX!r}")
    name, key_id_hex, typed_key = _split_key(
        signer_key.removeprefix(_SIGNER_KEY_PREFIX), "signer key"
    )
    return SignerKey(name, _parse_key_id(key_id_hex, "signer key"), typed_key[0], typed_key[1:])


def key_fingerprint(verifier_key: str) -> str:
    """Return the base64url (unpadded) SHA-256 of a verifier key string: a collision-proof ID."""
    digest = hashlib.sha256(verifier_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class Ed25519Verifier:
    """Verifies Ed25519 note signatures (signature type 0x01)."""

    def __init__(self, name: str, public_key: Ed25519PublicKey) -> None:
        _check_key_name(name)
        self._name = name
        self._public_key = public_key
        self._key_id = key_id(name, bytes([ED25519]) + public_key.public_bytes_raw())

    @classmethod
    def from_key(cls, verifier_key: str) -> "Ed25519Verifier":
        parsed = parse_verifier_key(verifier_key)
        if parsed.signature_type != ED25519:
            raise NoteError(
                f"verifier key has signature type {parsed.signature_type:#04x}, not Ed25519 (0x01)"
            )
        return cls(parsed.name, _ed25519_public_key(parsed.public_key))

    @property
    def name(self) -> str:
        return self._name

    @property
    def key_id(self) -> int:
        return self._key_id

    @property
    def verifier_key(self) -> str:
        return format_verifier_key(self._name, ED25519, self._public_key.public_bytes_raw())

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self._public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


class Ed25519Signer:
    """Signs notes with Ed25519 (signature type 0x01)."""

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        _check_key_name(name)
        self._name = name
        self._private_key = private_key
        self._key_id = key_id(name, bytes([ED25519]) + self._public_bytes())

    @classmethod
    def from_key(cls, signer_key: str) -> "Ed25519Signer":
        parsed = parse_signer_key(signer_key)
        if parsed.signature_type != ED25519:
            raise NoteError(
                f"signer key has signature type {parsed.signature_type:#04x}, not Ed25519 (0x01)"
            )
        if len(parsed.private_key) != 32:
            raise NoteError("an Ed25519 signer key holds a 32-byte seed")
        signer = cls(parsed.name, Ed25519PrivateKey.from_private_bytes(parsed.private_key))
        if signer.key_id != parsed.key_id:
            raise NoteError("signer key has a key ID that does not match its key")
        return signer

    @property
    def name(self) -> str:
        return self._name

    @property
    def key_id(self) -> int:
        return self._key_id

    @property
    def signer_key(self) -> str:
        return format_signer_key(
            self._name, ED25519, self._public_bytes(), self._private_key.private_bytes_raw()
        )

    def verifier(self) -> Ed25519Verifier:
        return Ed25519Verifier(self._name, self._private_key.public_key())

    def sign(self, message: bytes) -> bytes:
        return self._private_key.sign(message)

    def _public_bytes(self) -> bytes:
        return self._private_key.public_key().public_bytes_raw()


def generate_key(name: str) -> tuple[str, str]:
    """Return a new Ed25519 (signer key, verifier key) pair of strings for `name`."""
    signer = Ed25519Signer(name, Ed25519PrivateKey.generate())
    return signer.signer_key, signer.verifier().verifier_key


def make_signature(text: str, signer: Signer) -> Signature:
    """Sign a note text; its line can be appended to the signature lines of the note."""
    _check_text(text)
    if not is_valid_key_name(signer.name):
        raise NoteError(f"invalid key name {signer.name!r}")
    return Signature(signer.name, signer.key_id, signer.sign(text.encode()))


def format_note(text: str, signatures: Sequence[Signature]) -> bytes:
    """Return the signed note: the text, a blank line and one line per signature."""
    _check_text(text)
    if not signatures:
        raise NoteError("a signed note needs at least one signature")
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError(f"a note carries at most {MAX_SIGNATURES} signatures")
    for signature in signatures:
        if not is_valid_key_name(signature.name):
            raise NoteError(f"invalid key name {signature.name!r}")
    return (text + "\n" + "".join(signature.line for signature in signatures)).encode()


def sign(text: str, signers: Sequence[Signer]) -> bytes:
    """Sign a note text (ending in a newline) with each signer; return the signed note."""
    return format_note(text, [make_signature(text, signer) for signer in signers])


def parse_signature_line(line: str) -> Signature:
    """Parse one `— name base64(key ID || signature)` line, with or without its newline."""
    content = line.removesuffix("\n")
    if not content.startswith(_SIGNATURE_PREFIX):
        raise NoteError(f"signature line does not start with an em dash and a space: {line!r}")
    name, space, encoded = content.removeprefix(_SIGNATURE_PREFIX).partition(" ")
    if not space or not is_valid_key_name(name):
        raise NoteError(f"signature line has an invalid key name: {line!r}")
    try:
        raw = decode_base64(encoded)
    except ValueError as error:
        raise NoteError(f"signature line has malformed base64: {line!r}") from error
    if len(raw) < 5:
        raise NoteError(f"signature line is too short to hold a key ID and a signature: {line!r}")
    return Signature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def open(signed_note: bytes, verifiers: Sequence[Verifier]) -> Note:
    """Parse a signed note and verify the signatures from the given keys.

    Signatures from keys not in `verifiers` are returned unverified; one from a known key that
    fails raises InvalidSignatureError, and a note with no verified signature raises
    UnverifiedNoteError.
    """
    try:
        decoded = signed_note.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NoteError("note is not valid UTF-8") from error
    if _CONTROL_CHARACTER.search(decoded):
        raise NoteError("note contains a control character other than newline")
    split = decoded.rfind("\n\n")
    if split < 0:
        raise NoteError("note has no blank line before its signatures")
    text, signature_block = decoded[: split + 1], decoded[split + 2 :]
    if not signature_block.endswith("\n"):
        raise NoteError("note signatures do not end with a newline")
    lines = signature_block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"note has more than {MAX_SIGNATURES} signatures")

    parsed = [(line, parse_signature_line(line)) for line in lines]

    known: dict[tuple[str, int], list[Verifier]] = {}
    for verifier in verifiers:
        known.setdefault((verifier.name, verifier.key_id), []).append(verifier)

    verified: dict[tuple[str, int], Signature] = {}
    unknown: dict[str, Signature] = {}
    message = text.encode()
    for line, signature in parsed:
        key = (signature.name, signature.key_id)
        candidates = known.get(key)
        if candidates is None:
            unknown.setdefault(line, signature)
            continue
        if len(candidates) > 1:
            raise NoteError(f"ambiguous key {signature.name}+{signature.key_id:08x}")
        if key in verified:
            continue
        if not candidates[0].verify(message, signature.signature):
            raise InvalidSignatureError(signature.name, signature.key_id)
        verified[key] = signature
    if not verified:
        raise UnverifiedNoteError("note has no signature from a known key")
    return Note(text, tuple(verified.values()), tuple(unknown.values()))


def _split_key(key: str, kind: str) -> tuple[str, str, bytes]:
    name, plus, rest = key.partition("+")
    key_id_hex, plus_again, encoded = rest.partition("+")
    if not plus or not plus_again or not is_valid_key_name(name):
        raise NoteError(f"malformed {kind}: expected name+keyid+key")
    try:
        typed_key = decode_base64(encoded)
    except ValueError as error:
        raise NoteError(f"malformed {kind}: the key is not standard base64") from error
    if len(typed_key) < 2:
        raise NoteError(f"malformed {kind}: the key is empty")
    return name, key_id_hex, typed_key


def _parse_key_id(key_id_hex: str, kind: str) -> int:
    if len(key_id_hex) != 8 or any(char not in "0123456789abcdef" for char in key_id_hex):
        raise NoteError(f"malformed {kind}: the key ID is not 8 lowercase hex digits")
    return int(key_id_hex, 16)


def _ed25519_public_key(raw: bytes) -> Ed25519PublicKey:
    if len(raw) != 32:
        raise NoteError(f"an Ed25519 public key is 32 bytes, not {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def _check_key_name(name: str) -> None:
    if not is_valid_key_name(name):
        raise NoteError(
            f"invalid key name {name!r}: it must be non-empty, without spaces or plus signs"
        )


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    if _CONTROL_CHARACTER.search(text):
        raise NoteError("note text contains a control character other than newline")
    if not _is_unicode_scalars(text):
        raise NoteError("note text is not valid Unicode (it has a lone surrogate)")


def _is_unicode_scalars(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
