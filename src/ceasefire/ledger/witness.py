"""A C2SP tlog-witness (https://c2sp.org/tlog-witness): cosigns a log's checkpoint only if it
extends the last one it cosigned for that log, so that two readers shown the same cosignature saw
the same history. Pure Python, no Django: `ceasefire witness serve` wraps it in an HTTP server.

State is one JSON file (per trusted log: the size and root it last cosigned), replaced atomically
and fsynced before any answer goes out: a witness that crashes after answering never forgets."""

from __future__ import annotations

import base64
import json
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ceasefire.ledger import cosignature, merkle, note
from ceasefire.ledger.checkpoint import CheckpointError, parse_checkpoint

MAX_PROOF_LINES = 63
EMPTY_ROOT = merkle.tree_hash(0, merkle.MemoryHashStore())
SIZE_CONTENT_TYPE = "text/x.tlog.size"
COSIGNATURE_CONTENT_TYPE = "text/plain; charset=utf-8"

STATE_FILE = "state.json"
ED25519_KEY_FILE = "witness-ed25519.key"
MLDSA44_KEY_FILE = "witness-mldsa44.key"
LOGS_FILE = "logs.txt"

Cosigner = cosignature.Ed25519Cosigner | cosignature.MLDSA44Cosigner


@dataclass(frozen=True)
class Answer:
    """An HTTP answer of add-checkpoint: status, content type and body."""

    status: int
    body: bytes
    content_type: str = COSIGNATURE_CONTENT_TYPE


def _error(status: int, message: str) -> Answer:
    return Answer(status, (message + "\n").encode())


@dataclass(frozen=True)
class Request:
    """A parsed add-checkpoint body: `old <size>`, proof hashes, then the signed checkpoint."""

    old_size: int
    proof: tuple[bytes, ...]
    signed_note: bytes


class BadRequest(ValueError):
    """The body does not follow the add-checkpoint format (answered with 400)."""


def format_request(old_size: int, proof: Sequence[bytes], signed_note: bytes) -> bytes:
    lines = [f"old {old_size}", *(base64.b64encode(h).decode() for h in proof)]
    return ("\n".join(lines) + "\n\n").encode() + signed_note


def parse_request(body: bytes) -> Request:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8") from None
    head, blank, signed = text.partition("\n\n")
    if not blank:
        raise BadRequest("the body needs a blank line before the checkpoint")
    old_line, *proof_lines = head.split("\n")
    size = old_line.removeprefix("old ")
    if size == old_line or not size.isascii() or not size.isdigit() or size != str(int(size)):
        raise BadRequest("the body must start with `old <size>`")
    if len(proof_lines) > MAX_PROOF_LINES:
        raise BadRequest(f"a consistency proof has at most {MAX_PROOF_LINES} lines")
    try:
        proof = tuple(note.decode_base64(line) for line in proof_lines)
    except ValueError:
        raise BadRequest("a proof line is not base64") from None
    if any(len(h) != merkle.HASH_SIZE for h in proof):
        raise BadRequest("a proof line is not a SHA-256 hash")
    return Request(int(size), proof, signed.encode())


@dataclass(frozen=True)
class TrustedLog:
    """A log the witness follows: its origin and the verifier keys of its signers."""

    origin: str
    verifiers: tuple[note.Verifier, ...]


def parse_logs(text: str) -> dict[str, TrustedLog]:
    """Trusted logs, one per line: `<origin> <verifier key> [<verifier key> ...]`; # comments."""
    logs: dict[str, TrustedLog] = {}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) < 2:
            raise ValueError(f"a trusted log needs an origin and a verifier key: {line!r}")
        origin, *keys = words
        logs[origin] = TrustedLog(origin, tuple(cosignature.verifier_from_key(key) for key in keys))
    return logs


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data`, durably: temporary file, fsync, rename, fsync the directory."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            os.fchmod(file.fileno(), mode)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class Witness:
    """The witness's state and its add-checkpoint logic, one request at a time."""

    def __init__(
        self, state_dir: Path, logs: dict[str, TrustedLog], cosigners: Sequence[Cosigner]
    ) -> None:
        self._state_path = state_dir / STATE_FILE
        self._logs = logs
        self._cosigners = tuple(cosigners)
        self._lock = threading.Lock()
        self._state: dict[str, tuple[int, bytes]] = {}
        if self._state_path.exists():
            stored = json.loads(self._state_path.read_text("utf-8"))
            for origin, (size, root) in stored.items():
                self._state[origin] = (size, base64.b64decode(root))

    @classmethod
    def load(cls, state_dir: Path) -> Witness:
        """A witness from the state directory that `init` made."""
        logs_path = state_dir / LOGS_FILE
        logs = parse_logs(logs_path.read_text("utf-8")) if logs_path.exists() else {}
        cosigners = []
        for name in (ED25519_KEY_FILE, MLDSA44_KEY_FILE):
            signer = cosignature.signer_from_key((state_dir / name).read_text("utf-8").strip())
            if isinstance(signer, note.Ed25519Signer):
                raise ValueError(f"{state_dir / name} holds a log key, not a cosigner key")
            cosigners.append(signer)
        return cls(state_dir, logs, cosigners)

    @property
    def cosigners(self) -> tuple[Cosigner, ...]:
        return self._cosigners

    def cosigned(self, origin: str) -> tuple[int, bytes] | None:
        """The size and root last cosigned for a log."""
        return self._state.get(origin)

    def add_checkpoint(self, body: bytes) -> Answer:
        try:
            request = parse_request(body)
        except BadRequest as exc:
            return _error(400, str(exc))
        try:
            text = request.signed_note.decode("utf-8")
            checkpoint = parse_checkpoint(text[: text.rfind("\n\n") + 1])
        except (UnicodeDecodeError, CheckpointError) as exc:
            return _error(400, f"malformed checkpoint: {exc}")
        log = self._logs.get(checkpoint.origin)
        if log is None:
            return _error(404, f"unknown log {checkpoint.origin}")
        try:
            # note.open raises when any signature naming a trusted key fails, even if another
            # verifies: that is a 403 by the spec.
            opened = note.open(request.signed_note, log.verifiers)
        except note.NoteError as exc:
            return _error(403, f"the checkpoint is not signed by the log: {exc}")
        if request.old_size > checkpoint.size:
            return _error(400, "old size is larger than the checkpoint's size")
        with self._lock:
            size, root = self._state.get(checkpoint.origin, (0, EMPTY_ROOT))
            if request.old_size != size:
                return Answer(409, b"%d\n" % size, SIZE_CONTENT_TYPE)
            refused = _check_consistency(size, root, checkpoint.size, checkpoint.root_hash, request)
            if refused:
                return _error(422, refused)
            self._state[checkpoint.origin] = (checkpoint.size, checkpoint.root_hash)
            self._save()
        lines = [note.make_signature(opened.text, cosigner).line for cosigner in self._cosigners]
        return Answer(200, "".join(lines).encode())

    def _save(self) -> None:
        state = {
            origin: [size, base64.b64encode(root).decode()]
            for origin, (size, root) in sorted(self._state.items())
        }
        write_atomically(self._state_path, json.dumps(state, indent=1).encode())


def _check_consistency(
    old_size: int, old_root: bytes, new_size: int, new_root: bytes, request: Request
) -> str | None:
    """Why the new tree does not extend the old one, or None if it does."""
    if new_size == 0 and new_root != EMPTY_ROOT:
        return "a checkpoint of size 0 must have the empty tree's root"
    if old_size == 0:
        return "a proof from size 0 must be empty" if request.proof else None
    if old_size == new_size:
        if new_root != old_root:
            return "split view: another root at the size this witness cosigned"
        return "a proof between equal sizes must be empty" if request.proof else None
    try:
        merkle.verify_consistency(old_size, new_size, old_root, new_root, list(request.proof))
    except merkle.ProofError as exc:
        return f"the consistency proof does not verify: {exc}"
    return None


def init(state_dir: Path, name: str, trusted_keys: Sequence[str] = ()) -> None:
    """Create a witness's state directory: its two keys and the logs it trusts (each named by
    its verifier key, whose name is the log's origin), and no state yet."""
    state_dir.mkdir(parents=True, exist_ok=True)
    for file_name, signature_type in (
        (ED25519_KEY_FILE, cosignature.COSIGNATURE_ED25519),
        (MLDSA44_KEY_FILE, cosignature.COSIGNATURE_MLDSA44),
    ):
        path = state_dir / file_name
        if path.exists():
            continue
        signer_key, _verifier_key = cosignature.generate_key(name, signature_type)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(signer_key + "\n")
    lines = [f"{note.parse_verifier_key(key).name} {key}\n" for key in trusted_keys]
    logs = state_dir / LOGS_FILE
    if not logs.exists():
        logs.write_text("# One trusted log per line: <origin> <log verifier key>\n", "utf-8")
    with logs.open("a", encoding="utf-8") as file:
        file.writelines(lines)
