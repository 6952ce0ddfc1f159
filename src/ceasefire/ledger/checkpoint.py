"""C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed tree head of a log."""

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ceasefire.ledger import note
from ceasefire.ledger.merkle import HASH_SIZE

# Go's tlog and most tools hold tree sizes in an int64.
MAX_TREE_SIZE = 2**63 - 1

_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class CheckpointError(ValueError):
    """A checkpoint is malformed or not acceptable to the caller."""


@dataclass(frozen=True)
class Checkpoint:
    """The note text of a checkpoint: origin, tree size, root hash and extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise CheckpointError("checkpoint origin must be a non-empty single line")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise CheckpointError(f"checkpoint size {self.size} is out of range")
        if len(self.root_hash) != HASH_SIZE:
            raise CheckpointError(f"checkpoint root hash must be {HASH_SIZE} bytes")
        for line in self.extensions:
            if not line or "\n" in line:
                raise CheckpointError("checkpoint extension lines must be non-empty single lines")

    def format(self) -> str:
        """Return the note text, each line ending in a newline."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode()]
        return "".join(line + "\n" for line in (*lines, *self.extensions))


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse the note text of a checkpoint strictly."""
    if not text.endswith("\n"):
        raise CheckpointError("checkpoint text must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError("checkpoint text needs an origin, a size and a root hash line")
    origin, size_line, root_line, *extensions = lines
    if not origin:
        raise CheckpointError("checkpoint origin line is empty")
    if not _DECIMAL.fullmatch(size_line) or len(size_line) > len(str(MAX_TREE_SIZE)):
        raise CheckpointError(
            f"checkpoint size {size_line[:40]!r} is not a decimal number "
            "(no leading zeroes, at most 19 digits)"
        )
    try:
        root_hash = note.decode_base64(root_line)
    except ValueError as error:
        raise CheckpointError(f"checkpoint root hash {root_line!r} is not base64") from error
    if len(root_hash) != HASH_SIZE:
        raise CheckpointError(f"checkpoint root hash is {len(root_hash)} bytes, not {HASH_SIZE}")
    if any(not line for line in extensions):
        raise CheckpointError("checkpoint has an empty extension line")
    return Checkpoint(origin, int(size_line), root_hash, tuple(extensions))


@dataclass(frozen=True)
class SignedCheckpoint:
    """A checkpoint whose log signature (and required cosignatures) verified."""

    checkpoint: Checkpoint
    note: note.Note
    signed_note: bytes


def open_checkpoint(
    signed_note: bytes,
    log_verifier: note.Verifier,
    *,
    witnesses: Sequence[note.Verifier] = (),
    origin: str | None = None,
) -> SignedCheckpoint:
    """Verify a signed checkpoint: signed by the log, cosigned by every witness in `witnesses`.

    The origin must equal `origin`, by default the log key's name (the usual convention, and what
    stops a key that signs several logs from having one log's checkpoint passed off as another's).
    Raises note.NoteError for a signature problem and CheckpointError for the rest.
    """
    opened = note.open(signed_note, [log_verifier, *witnesses])
    verified = {(signature.name, signature.key_id) for signature in opened.signatures}
    if (log_verifier.name, log_verifier.key_id) not in verified:
        raise note.UnverifiedNoteError(
            f"checkpoint is not signed by the log key {log_verifier.name}"
        )
    for witness in witnesses:
        if (witness.name, witness.key_id) not in verified:
            raise CheckpointError(f"checkpoint lacks a cosignature from witness {witness.name}")
    checkpoint = parse_checkpoint(opened.text)
    expected_origin = log_verifier.name if origin is None else origin
    if checkpoint.origin != expected_origin:
        raise CheckpointError(
            f"checkpoint origin {checkpoint.origin!r} is not the expected {expected_origin!r}"
        )
    return SignedCheckpoint(checkpoint, opened, signed_note)
