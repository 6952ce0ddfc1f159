"""C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature): witness cosignatures on checkpoints.

Two signature types, both note signers and verifiers usable with note.sign and note.open:

- 0x04, Ed25519: the signature is an 8-byte big-endian timestamp, then Ed25519 over
  `cosignature/v1\\ntime <timestamp>\\n` followed by the checkpoint text.
- 0x06, ML-DSA-44: the timestamp, then pure ML-DSA-44 (empty context) over the binary `subtree/v1`
  message, which covers the cosigner's name, the timestamp, the origin, the range [0, size) and the
  root hash, but not extension lines.
"""

import time
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PrivateKey, MLDSA44PublicKey

from ceasefire.ledger import note
from ceasefire.ledger.checkpoint import Checkpoint, CheckpointError, parse_checkpoint

COSIGNATURE_ED25519 = 0x04
COSIGNATURE_MLDSA44 = 0x06

MAX_TIMESTAMP = 2**63 - 1
MLDSA44_PUBLIC_KEY_SIZE = 1312
MLDSA44_SIGNATURE_SIZE = 2420
_ED25519_SIGNATURE_SIZE = 64
_TIMESTAMP_SIZE = 8
_SUBTREE_LABEL = b"subtree/v1\n\x00"

Clock = Callable[[], int]


def _now() -> int:
    return int(time.time())


def ed25519_signed_message(checkpoint_text: bytes, timestamp: int) -> bytes:
    """Return what a type 0x04 cosignature signs."""
    return b"cosignature/v1\ntime %d\n" % timestamp + checkpoint_text


def mldsa44_signed_message(cosigner_name: str, timestamp: int, checkpoint: Checkpoint) -> bytes:
    """Return what a type 0x06 cosignature signs: the `subtree/v1` message for [0, size)."""
    name = cosigner_name.encode()
    origin = checkpoint.origin.encode()
    if not 1 <= len(name) <= 255:
        raise ValueError("an ML-DSA-44 cosigner name is 1 to 255 bytes")
    if not 1 <= len(origin) <= 255:
        raise ValueError("an ML-DSA-44 cosignature covers only origins of 1 to 255 bytes")
    return b"".join(
        (
            _SUBTREE_LABEL,
            bytes([len(name)]),
            name,
            timestamp.to_bytes(8, "big"),
            bytes([len(origin)]),
            origin,
            (0).to_bytes(8, "big"),
            checkpoint.size.to_bytes(8, "big"),
            checkpoint.root_hash,
        )
    )


def cosignature_timestamp(signature: bytes) -> int:
    """Return the timestamp (POSIX seconds) at the start of a type 0x04 or 0x06 signature."""
    if len(signature) < _TIMESTAMP_SIZE:
        raise ValueError("a cosignature starts with an 8-byte timestamp")
    return int.from_bytes(signature[:_TIMESTAMP_SIZE], "big")


def _timestamp(clock: Clock) -> int:
    timestamp = clock()
    if not 0 < timestamp <= MAX_TIMESTAMP:
        raise ValueError(f"cosignature timestamp {timestamp} is out of range")
    return timestamp


def _split_cosignature(signature: bytes, signature_size: int) -> tuple[int, bytes] | None:
    if len(signature) != _TIMESTAMP_SIZE + signature_size:
        return None
    timestamp = cosignature_timestamp(signature)
    if timestamp > MAX_TIMESTAMP:
        return None
    return timestamp, signature[_TIMESTAMP_SIZE:]


class _CosignatureKey:
    """A cosigner's name, key ID and verifier key string, derived once from its public key."""

    def __init__(self, name: str, signature_type: int, public_bytes: bytes) -> None:
        self._name = name
        self._verifier_key = note.format_verifier_key(name, signature_type, public_bytes)
        self._key_id = note.key_id(name, bytes([signature_type]) + public_bytes)

    @property
    def name(self) -> str:
        return self._name

    @property
    def key_id(self) -> int:
        return self._key_id

    @property
    def verifier_key(self) -> str:
        return self._verifier_key


class Ed25519CosignatureVerifier(_CosignatureKey):
    """Verifies type 0x04 (Ed25519) cosignatures."""

    def __init__(self, name: str, public_key: Ed25519PublicKey) -> None:
        super().__init__(name, COSIGNATURE_ED25519, public_key.public_bytes_raw())
        self._public_key = public_key

    def verify(self, message: bytes, signature: bytes) -> bool:
        parts = _split_cosignature(signature, _ED25519_SIGNATURE_SIZE)
        if parts is None:
            return False
        timestamp, ed25519_signature = parts
        try:
            self._public_key.verify(ed25519_signature, ed25519_signed_message(message, timestamp))
        except InvalidSignature:
            return False
        return True


class Ed25519Cosigner:
    """Cosigns checkpoints with type 0x04 (Ed25519) cosignatures, timestamped by `clock`."""

    def __init__(self, name: str, private_key: Ed25519PrivateKey, clock: Clock = _now) -> None:
        self._verifier = Ed25519CosignatureVerifier(name, private_key.public_key())
        self._private_key = private_key
        self._clock = clock

    @property
    def name(self) -> str:
        return self._verifier.name

    @property
    def key_id(self) -> int:
        return self._verifier.key_id

    @property
    def signer_key(self) -> str:
        return note.format_signer_key(
            self.name,
            COSIGNATURE_ED25519,
            self._private_key.public_key().public_bytes_raw(),
            self._private_key.private_bytes_raw(),
        )

    def verifier(self) -> Ed25519CosignatureVerifier:
        return self._verifier

    def sign(self, message: bytes) -> bytes:
        parse_checkpoint(_decode_text(message))  # cosign checkpoints, nothing else
        timestamp = _timestamp(self._clock)
        signature = self._private_key.sign(ed25519_signed_message(message, timestamp))
        return timestamp.to_bytes(_TIMESTAMP_SIZE, "big") + signature


class MLDSA44CosignatureVerifier(_CosignatureKey):
    """Verifies type 0x06 (ML-DSA-44) cosignatures."""

    def __init__(self, name: str, public_key: MLDSA44PublicKey) -> None:
        super().__init__(name, COSIGNATURE_MLDSA44, public_key.public_bytes_raw())
        self._public_key = public_key

    def verify(self, message: bytes, signature: bytes) -> bool:
        parts = _split_cosignature(signature, MLDSA44_SIGNATURE_SIZE)
        if parts is None:
            return False
        timestamp, mldsa_signature = parts
        try:
            checkpoint = parse_checkpoint(_decode_text(message))
            signed = mldsa44_signed_message(self._name, timestamp, checkpoint)
            self._public_key.verify(mldsa_signature, signed)
        except (InvalidSignature, ValueError):
            return False
        return True


class MLDSA44Cosigner:
    """Cosigns checkpoints with type 0x06 (ML-DSA-44) cosignatures, timestamped by `clock`."""

    def __init__(self, name: str, private_key: MLDSA44PrivateKey, clock: Clock = _now) -> None:
        if not 1 <= len(name.encode()) <= 255:
            raise ValueError("an ML-DSA-44 cosigner name is 1 to 255 bytes")
        self._verifier = MLDSA44CosignatureVerifier(name, private_key.public_key())
        self._private_key = private_key
        self._clock = clock

    @property
    def name(self) -> str:
        return self._verifier.name

    @property
    def key_id(self) -> int:
        return self._verifier.key_id

    @property
    def signer_key(self) -> str:
        return note.format_signer_key(
            self.name,
            COSIGNATURE_MLDSA44,
            self._private_key.public_key().public_bytes_raw(),
            self._private_key.private_bytes_raw(),
        )

    def verifier(self) -> MLDSA44CosignatureVerifier:
        return self._verifier

    def sign(self, message: bytes) -> bytes:
        checkpoint = parse_checkpoint(_decode_text(message))
        timestamp = _timestamp(self._clock)
        signature = self._private_key.sign(mldsa44_signed_message(self.name, timestamp, checkpoint))
        return timestamp.to_bytes(_TIMESTAMP_SIZE, "big") + signature


def generate_key(name: str, signature_type: int) -> tuple[str, str]:
    """Return a new (signer key, verifier key) pair of strings of type 0x01, 0x04 or 0x06."""
    signer: note.Ed25519Signer | Ed25519Cosigner | MLDSA44Cosigner
    if signature_type == note.ED25519:
        signer = note.Ed25519Signer(name, Ed25519PrivateKey.generate())
    elif signature_type == COSIGNATURE_ED25519:
        signer = Ed25519Cosigner(name, Ed25519PrivateKey.generate())
    elif signature_type == COSIGNATURE_MLDSA44:
        signer = MLDSA44Cosigner(name, MLDSA44PrivateKey.generate())
    else:
        raise ValueError(f"unsupported signature type {signature_type:#04x}")
    return signer.signer_key, signer.verifier().verifier_key


def signer_from_key(
    signer_key: str, clock: Clock = _now
) -> note.Ed25519Signer | Ed25519Cosigner | MLDSA44Cosigner:
    """Load a signer key string of type 0x01 (log key), 0x04 or 0x06 (cosigner keys).

    Cosigner keys use Go's note signer key format with their own type byte; the ML-DSA-44 private
    key is its 32-byte seed.
    """
    parsed = note.parse_signer_key(signer_key)
    signer: note.Ed25519Signer | Ed25519Cosigner | MLDSA44Cosigner
    if parsed.signature_type == note.ED25519:
        return note.Ed25519Signer.from_key(signer_key)
    if len(parsed.private_key) != 32:
        raise note.NoteError("a cosigner key holds a 32-byte seed")
    if parsed.signature_type == COSIGNATURE_ED25519:
        private_key = Ed25519PrivateKey.from_private_bytes(parsed.private_key)
        signer = Ed25519Cosigner(parsed.name, private_key, clock)
    elif parsed.signature_type == COSIGNATURE_MLDSA44:
        signer = MLDSA44Cosigner(
            parsed.name, MLDSA44PrivateKey.from_seed_bytes(parsed.private_key), clock
        )
    else:
        raise note.NoteError(f"unsupported signature type {parsed.signature_type:#04x}")
    if signer.key_id != parsed.key_id:
        raise note.NoteError("signer key has a key ID that does not match its key")
    return signer


def verifier_from_key(
    verifier_key: str,
) -> note.Ed25519Verifier | Ed25519CosignatureVerifier | MLDSA44CosignatureVerifier:
    """Load a verifier key string of type 0x01 (log key), 0x04 or 0x06 (cosigner keys)."""
    parsed = note.parse_verifier_key(verifier_key)
    if parsed.signature_type == note.ED25519:
        return note.Ed25519Verifier.from_key(verifier_key)
    if parsed.signature_type == COSIGNATURE_ED25519:
        if len(parsed.public_key) != 32:
            raise note.NoteError("an Ed25519 public key is 32 bytes")
        public_key = Ed25519PublicKey.from_public_bytes(parsed.public_key)
        return Ed25519CosignatureVerifier(parsed.name, public_key)
    if parsed.signature_type == COSIGNATURE_MLDSA44:
        if len(parsed.public_key) != MLDSA44_PUBLIC_KEY_SIZE:
            raise note.NoteError(f"an ML-DSA-44 public key is {MLDSA44_PUBLIC_KEY_SIZE} bytes")
        return MLDSA44CosignatureVerifier(
            parsed.name, MLDSA44PublicKey.from_public_bytes(parsed.public_key)
        )
    raise note.NoteError(f"unsupported signature type {parsed.signature_type:#04x}")


def _decode_text(message: bytes) -> str:
    try:
        return message.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CheckpointError("checkpoint text is not UTF-8") from error
