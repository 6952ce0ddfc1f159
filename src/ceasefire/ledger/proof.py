"""C2SP tlog-proof (https://c2sp.org/tlog-proof): an offline-verifiable proof that an entry is in
the log, carrying its inclusion proof and the signed checkpoint it leads to."""

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ceasefire.ledger import merkle, note
from ceasefire.ledger.checkpoint import SignedCheckpoint, open_checkpoint

HEADER = "c2sp.org/tlog-proof@v1"

_DECIMAL = re.compile(r"0|[1-9][0-9]{0,18}")


class TlogProofError(ValueError):
    """A tlog-proof is malformed."""


@dataclass(frozen=True)
class TlogProof:
    """The index of an entry, its inclusion proof and the signed checkpoint, verbatim."""

    index: int
    hashes: tuple[bytes, ...]
    checkpoint_note: bytes
    extra: bytes | None = None

    def format(self) -> bytes:
        lines = [HEADER]
        if self.extra is not None:
            lines.append(f"extra {base64.b64encode(self.extra).decode()}")
        lines.append(f"index {self.index}")
        lines.extend(base64.b64encode(proof_hash).decode() for proof_hash in self.hashes)
        return ("\n".join(lines) + "\n\n").encode() + self.checkpoint_note


def parse_proof(data: bytes) -> TlogProof:
    """Parse a tlog-proof strictly; the checkpoint is kept verbatim and checked by verify_proof."""
    head, blank, checkpoint_note = data.partition(b"\n\n")
    if not blank:
        raise TlogProofError("tlog-proof has no blank line before its checkpoint")
    try:
        lines = head.decode("ascii").split("\n")
    except UnicodeDecodeError as error:
        raise TlogProofError("tlog-proof header lines are not ASCII") from error
    if lines[0] != HEADER:
        raise TlogProofError(f"tlog-proof does not start with {HEADER!r}")
    position = 1
    extra = None
    if position < len(lines) and lines[position].startswith("extra "):
        extra = _decode(lines[position].removeprefix("extra "), "extra data")
        position += 1
    if position == len(lines) or not lines[position].startswith("index "):
        raise TlogProofError("tlog-proof has no index line")
    index_text = lines[position].removeprefix("index ")
    if not _DECIMAL.fullmatch(index_text):
        raise TlogProofError(f"tlog-proof index {index_text!r} is not a decimal number")
    hashes = tuple(_decode(line, "proof hash") for line in lines[position + 1 :])
    if any(len(proof_hash) != merkle.HASH_SIZE for proof_hash in hashes):
        raise TlogProofError(f"tlog-proof hashes must be {merkle.HASH_SIZE} bytes")
    return TlogProof(int(index_text), hashes, checkpoint_note, extra)


def verify_proof(
    proof: TlogProof,
    log_verifier: note.Verifier,
    *,
    entry: bytes | None = None,
    leaf_hash: bytes | None = None,
    witnesses: Sequence[note.Verifier] = (),
    origin: str | None = None,
) -> SignedCheckpoint:
    """Check that the entry (or its leaf hash) is at proof.index in the signed checkpoint.

    The checkpoint must be signed by the log and cosigned by every witness, with the origin that
    checkpoint.open_checkpoint expects. Returns the verified checkpoint; raises note.NoteError,
    checkpoint.CheckpointError or merkle.ProofError.
    """
    if entry is not None and leaf_hash is None:
        expected_leaf = merkle.leaf_hash(entry)
    elif entry is None and leaf_hash is not None:
        expected_leaf = leaf_hash
    else:
        raise ValueError("give either the entry or its leaf hash")
    signed = open_checkpoint(
        proof.checkpoint_note, log_verifier, witnesses=witnesses, origin=origin
    )
    checkpoint = signed.checkpoint
    merkle.verify_inclusion(
        expected_leaf, proof.index, checkpoint.size, proof.hashes, checkpoint.root_hash
    )
    return signed


def _decode(text: str, what: str) -> bytes:
    try:
        return note.decode_base64(text)
    except ValueError as error:
        raise TlogProofError(f"tlog-proof {what} {text!r} is not base64") from error
