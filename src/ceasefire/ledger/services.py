"""Writes on the transparency log. `append` is called by every other app's services inside their
own transaction: the record and its entry commit together, or neither does."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.core.errors import Conflict, NotFound, ValidationFailed
from ceasefire.ledger import keys, logtypes, merkle, note, policy, sealing, tiles
from ceasefire.ledger.checkpoint import Checkpoint as CheckpointText
from ceasefire.ledger.checkpoint import CheckpointError, open_checkpoint
from ceasefire.ledger.entries import JSONValue, canonical_json
from ceasefire.ledger.models import Checkpoint, LogEntry, LogHead, SealedField
from ceasefire.ledger.storage import DatabaseHashReader, compact_range, read_entries
from ceasefire.ledger.totals import Totals

logger = logging.getLogger(__name__)


class ForkRefused(Exception):
    """Signing would contradict the largest checkpoint ever published. Never sign then."""


@cache
def current_policy() -> tuple[policy.Rules, str]:
    """The disclosure rules configured for this mission (declared defaults plus overrides), and
    their digest, which tells whether the log already holds them."""
    overrides: dict[str, dict[str, str]] = {}
    if settings.DISCLOSURE_POLICY_FILE:
        try:
            overrides = json.loads(Path(settings.DISCLOSURE_POLICY_FILE).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"CEASEFIRE_DISCLOSURE_POLICY: {exc}") from None
    try:
        rules = policy.build_rules(overrides)
    except policy.PolicyError as exc:
        raise ImproperlyConfigured(f"CEASEFIRE_DISCLOSURE_POLICY: {exc}") from None
    return rules, policy.rules_digest(rules)


@dataclass
class _Head:
    """The locked head row, as the append path reads and writes it."""

    size: int
    tree: merkle.CompactRange
    policy_version: int
    policy_digest: str


# The append path is every write's hot path, so it speaks SQL through one cursor instead of the
# ORM, which costs about a millisecond per append in model machinery (bench/ledger.py --durable).
_HEAD_SELECT = (
    "SELECT size, compact_range, policy_version, policy_digest FROM ledger_loghead WHERE id = 1"
)


def _locked_head(cursor: CursorWrapper) -> _Head:
    if not connection.in_atomic_block:
        raise RuntimeError("ledger.append must run inside the writer's transaction")
    # On PostgreSQL this row lock orders all appends; SQLite's IMMEDIATE transactions already
    # hold the database's write lock.
    suffix = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(_HEAD_SELECT + suffix)
    row = cursor.fetchone()
    if row is None:
        # The migration creates the row; a database flushed since (a test's teardown, a restore
        # into empty tables) gets it back here, as the empty log it then is.
        LogHead.objects.get_or_create(pk=1)
        cursor.execute(_HEAD_SELECT + suffix)
        row = cursor.fetchone()
    size, packed, policy_version, policy_digest = row
    packed = bytes(packed)
    hashes = [packed[i : i + merkle.HASH_SIZE] for i in range(0, len(packed), merkle.HASH_SIZE)]
    return _Head(size, merkle.CompactRange(size, hashes), policy_version, policy_digest)


@dataclass
class _Writes:
    """The rows an append writes, flushed together with the head."""

    entries: list[tuple[Any, ...]] = field(default_factory=list)
    hashes: list[tuple[Any, ...]] = field(default_factory=list)
    sealed: list[tuple[Any, ...]] = field(default_factory=list)


def _insert(into: str, rows: list[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    """One multi-row INSERT. The statement holds only placeholders; values go as parameters."""
    row = "(" + ", ".join(["%s"] * len(rows[0])) + ")"
    statement = f"INSERT INTO {into} VALUES " + ", ".join([row] * len(rows))  # noqa: S608
    return statement, [value for values in rows for value in values]


def _flush(cursor: CursorWrapper, head: _Head, writes: _Writes) -> None:
    statements = [
        _insert(into, rows)
        for into, rows in (
            ('ledger_logentry ("index", entry_type, body, leaf_hash, recorded_at)', writes.entries),
            ('ledger_loghash ("index", hash)', writes.hashes),
            ("ledger_sealedfield (entry_id, field, secret, value, release_key)", writes.sealed),
        )
        if rows
    ]
    update: tuple[str, list[Any]] = (
        "UPDATE ledger_loghead SET size = %s, compact_range = %s, policy_version = %s, "
        "policy_digest = %s WHERE id = 1",
        [head.tree.size, b"".join(head.tree.hashes), head.policy_version, head.policy_digest],
    )
    if connection.vendor == "postgresql":
        # One round trip instead of four: data-modifying CTEs run every insert with the update.
        ctes = ", ".join(f"w{number} AS ({sql})" for number, (sql, _p) in enumerate(statements))
        parameters = [value for _sql, values in statements for value in values]
        cursor.execute(f"WITH {ctes} {update[0]}", [*parameters, *update[1]])
        return
    for sql, values in [*statements, update]:
        cursor.execute(sql, values)


def _write(head: _Head, writes: _Writes, body: bytes, entry_type: str) -> LogEntry:
    if len(body) > tiles.MAX_ENTRY_SIZE:
        raise ValidationFailed(_("This record is too large for one log entry."))
    leaf = merkle.leaf_hash(body)
    index = head.tree.size
    stored = head.tree.append(leaf)
    now = timezone.now()
    writes.entries.append(
        (index, entry_type, body, leaf, connection.ops.adapt_datetimefield_value(now))
    )
    first = merkle.stored_hash_index(0, index)
    writes.hashes.extend((first + offset, value) for offset, value in enumerate(stored))
    return LogEntry(index=index, entry_type=entry_type, body=body, leaf_hash=leaf, recorded_at=now)


def _ensure_policy(head: _Head, writes: _Writes) -> None:
    rules, digest = current_policy()
    if head.policy_digest == digest:
        return
    head.policy_version += 1
    head.policy_digest = digest
    body = canonical_json(
        {
            "type": logtypes.POLICY.name,
            "version": head.policy_version,
            "rules": policy.rules_json(rules),
        }
    )
    _write(head, writes, body, logtypes.POLICY.name)


def append(
    entry_type: str, fields: Mapping[str, JSONValue], *, release_key: str | None = None
) -> LogEntry:
    """Append one entry under the disclosure policy and return it (with its index).

    Public fields go in clear, sealed ones as commitments whose secrets are kept privately,
    withheld ones not at all. With `release_key`, fields that would be public are sealed now and
    opened by `release(release_key)` later (delayed disclosure of targeting data).
    """
    spec = policy.ENTRY_TYPES.get(entry_type)
    if spec is None or spec.structural:
        raise ValueError(f"{entry_type!r} is not a declared entry type")
    unknown = set(fields) - set(spec.field_map)
    if unknown:
        raise ValueError(f"{entry_type} has no fields {sorted(unknown)}")
    rules = current_policy()[0][entry_type]
    public: dict[str, JSONValue] = {}
    sealed: dict[str, JSONValue] = {}
    secrets: list[tuple[str, bytes, bytes | None, str]] = []
    for name, value in sorted(fields.items()):
        disclosure = rules[name]
        delayed = release_key is not None and disclosure is policy.Disclosure.PUBLIC
        if disclosure is policy.Disclosure.PUBLIC and not delayed:
            public[name] = value
        elif disclosure is policy.Disclosure.SEALED or delayed:
            secret = sealing.new_secret()
            sealed[name] = sealing.commitment(secret, value)
            # A personal value stays only in its own app's encrypted record.
            kept = None if spec.field_map[name].personal else canonical_json(value)
            secrets.append((name, secret, kept, release_key if delayed and release_key else ""))
    writes = _Writes()
    with connection.cursor() as cursor:
        head = _locked_head(cursor)
        _ensure_policy(head, writes)
        body = canonical_json(
            {"type": entry_type, "policy": head.policy_version, "fields": public, "sealed": sealed}
        )
        entry = _write(head, writes, body, entry_type)
        writes.sealed.extend((entry.index, *row) for row in secrets)
        _flush(cursor, head, writes)
    transaction.on_commit(schedule_checkpoint)
    return entry


def release(release_key: str) -> list[LogEntry]:
    """Publish the openings of every field sealed under `release_key` (the operation closed)."""
    pending = SealedField.objects.filter(release_key=release_key, opened_by__isnull=True)
    written = []
    writes = _Writes()
    with connection.cursor() as cursor:
        head = _locked_head(cursor)
        for sealed_field in pending.order_by("entry_id", "field"):
            if sealed_field.secret is None or sealed_field.value is None:
                continue
            opening = sealing.Opening(
                sealed_field.entry_id,
                sealed_field.field,
                json.loads(bytes(sealed_field.value)),
                bytes(sealed_field.secret),
            )
            body = canonical_json({"type": logtypes.OPENING.name, **_opening_fields(opening)})
            entry = _write(head, writes, body, logtypes.OPENING.name)
            sealed_field.opened_by = entry.index
            sealed_field.save(update_fields=["opened_by"])
            written.append(entry)
        if written:
            _flush(cursor, head, writes)
            transaction.on_commit(schedule_checkpoint)
    return written


def append_verbatim(bodies: Sequence[bytes]) -> list[LogEntry]:
    """Append entries exactly as given, at the next indexes: for a restore that puts published
    entries back from the exported tiles (operations/). They were shaped by `append` when first
    written, so nothing is sealed again; a `ledger.policy/1` entry sets the policy in force, as
    it did then. Runs inside the caller's transaction."""
    written: list[LogEntry] = []
    with connection.cursor() as cursor:
        head = _locked_head(cursor)
        # One flush per tile's worth keeps each multi-row INSERT within the databases' limits
        # on parameters.
        for start in range(0, len(bodies), tiles.TILE_WIDTH):
            writes = _Writes()
            for body in bodies[start : start + tiles.TILE_WIDTH]:
                parsed = json.loads(body)
                entry_type = str(parsed.get("type", ""))
                if entry_type == logtypes.POLICY.name:
                    head.policy_version = int(parsed["version"])
                    head.policy_digest = hashlib.sha256(canonical_json(parsed["rules"])).hexdigest()
                written.append(_write(head, writes, body, entry_type))
            _flush(cursor, head, writes)
    return written


def _opening_fields(opening: sealing.Opening) -> dict[str, Any]:
    data = opening.as_json()
    return {
        "entry": data["index"],
        "field": data["field"],
        "value": data["value"],
        "secret": data["secret"],
    }


def opening_for(index: int, field: str) -> sealing.Opening:
    """The opening of a sealed field, for disclosure to a party, a court or historians."""
    row = SealedField.objects.filter(entry_id=index, field=field).first()
    if row is None:
        raise NotFound(
            _("Entry %(index)s has no sealed field %(field)s.") % {"index": index, "field": field}
        )
    if row.secret is None:
        raise Conflict(_("This field was erased; it can no longer be opened."))
    if row.value is None:
        raise Conflict(_("This field holds personal data; only its own module can disclose it."))
    return sealing.Opening(index, field, json.loads(bytes(row.value)), bytes(row.secret))


def erase(index: int, fields: list[str]) -> int:
    """Destroy the secrets (and kept values) of sealed fields: their commitments stay in the log
    but can never be opened or linked again. Returns how many fields were erased."""
    return SealedField.objects.filter(entry_id=index, field__in=fields).update(
        secret=None, value=None
    )


def publish_totals() -> LogEntry:
    """Compute the public totals from the log's own entries and append them as published.

    The figures are computed at the log's current size with appends held, and the entry goes at
    exactly that index, so `log verify` recomputes them from the entries before it."""
    with transaction.atomic(), connection.cursor() as cursor:
        head = _locked_head(cursor)
        # A policy entry that `append` would log first would shift the entry past `size`.
        writes = _Writes()
        _ensure_policy(head, writes)
        if writes.entries:
            _flush(cursor, head, writes)
        size = head.tree.size
        totals = Totals()
        rows = LogEntry.objects.filter(index__lt=size).order_by("index")
        for index, body in rows.values_list("index", "body").iterator(chunk_size=2000):
            totals.add(index, json.loads(bytes(body)))
        return append(
            logtypes.PUBLISHED.name,
            {
                "kind": "totals",
                "size": size,
                "figures": totals.figures(),
                "published_at": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
        )


# Checkpoints


_next_checkpoint_due = 0.0


def schedule_checkpoint() -> None:
    """Queue a checkpoint soon after a commit, at most one pending per process: a burst of
    writes is signed once. A task queued to run after `due` sees every commit before it."""
    global _next_checkpoint_due
    now = time.monotonic()
    if now < _next_checkpoint_due:
        return
    from ceasefire.ledger.tasks import publish_checkpoint_task

    delay = settings.LOG_CHECKPOINT_DELAY
    _next_checkpoint_due = now + delay
    publish_checkpoint_task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue()


@contextmanager
def _publish_lock() -> Iterator[None]:
    path = settings.LOG_DIR / ".publish.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def published_checkpoint() -> CheckpointText | None:
    """The largest checkpoint ever published, from the export directory (not the database)."""
    path = settings.LOG_DIR / "checkpoint"
    if not path.exists():
        return None
    try:
        return open_checkpoint(path.read_bytes(), keys.log_verifier()).checkpoint
    except (note.NoteError, CheckpointError) as exc:
        raise ForkRefused(f"the published checkpoint in {path} does not verify: {exc}") from None


def publish_checkpoint() -> Checkpoint | None:
    """Sign a checkpoint of the current tree, export the new tiles, publish. Refuses to sign
    anything inconsistent with the largest checkpoint published before (the log never forks)."""
    with _publish_lock():
        key_file = settings.LOG_DIR / "key"
        if not key_file.exists():  # for readers of a static copy, as /log/key serves it
            key_file.write_text(keys.verifier_key() + "\n", encoding="ascii")
        with transaction.atomic():
            head = LogHead.objects.get(pk=1)
            size, root = head.size, compact_range(head).root()
        previous = published_checkpoint()
        old_size = previous.size if previous else 0
        reader = DatabaseHashReader()
        if previous is not None:
            if previous.size > size:
                raise ForkRefused(
                    f"the database holds {size} entries but checkpoint {previous.size} was "
                    "published: restore the missing entries before signing (docs/operations.md)"
                )
            if previous.size == size:
                if previous.root_hash != root:
                    raise ForkRefused(f"the database's tree of size {size} has another root")
                return None
            proof = merkle.consistency_proof(previous.size, size, reader)
            try:
                merkle.verify_consistency(previous.size, size, previous.root_hash, root, proof)
            except merkle.ProofError as exc:
                raise ForkRefused(
                    f"the database's tree does not extend checkpoint: {exc}"
                ) from None
        text = CheckpointText(settings.LOG_ORIGIN, size, root).format()
        signed = note.sign(text, [keys.log_signer()])
        tiles.export_log(settings.LOG_DIR, old_size, size, reader, read_entries, signed)
        checkpoint = Checkpoint.objects.create(
            size=size, root_hash=root, signed_note=signed.decode()
        )
    from ceasefire.ledger.witnessing import schedule_cosigning

    # Outside the publish lock, which the witness round trip takes to add its cosignatures.
    transaction.on_commit(lambda: schedule_cosigning(size))
    return checkpoint
