"""Reads on the transparency log."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from django.conf import settings
from django.urls import reverse

from ceasefire.ledger import keys, logtypes, merkle, note, tiles
from ceasefire.ledger.models import Checkpoint, LogEntry, LogHead
from ceasefire.ledger.proof import TlogProof
from ceasefire.ledger.storage import DatabaseHashReader

T = TypeVar("T")


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def entry(index: int) -> LogEntry | None:
    return LogEntry.objects.filter(index=index).first()


def entry_json(log_entry: LogEntry) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(bytes(log_entry.body))
    return body


def inclusion_proof(index: int) -> TlogProof | None:
    """A portable proof (c2sp.org/tlog-proof@v1) that entry `index` is in the latest checkpoint;
    None until a checkpoint covers it."""
    checkpoint = latest_checkpoint()
    if checkpoint is None or index >= checkpoint.size:
        return None
    hashes = merkle.inclusion_proof(index, checkpoint.size, DatabaseHashReader())
    return TlogProof(index, tuple(hashes), checkpoint.signed_note.encode())


def verify_url(entry: int | LogEntry, *, site_url: str | None = None) -> str:
    """The public page that checks an entry, with the leaf hash and the mission's key
    fingerprint in its fragment (`#<leaf hash>.<fingerprint>`, base64url), for the QR codes of
    receipts and certificates: the page compares them with what it computes, so a reader trusts
    what was printed. `site_url` defaults to CEASEFIRE_SITE_URL."""
    log_entry = entry if isinstance(entry, LogEntry) else LogEntry.objects.get(index=entry)
    leaf = base64.urlsafe_b64encode(bytes(log_entry.leaf_hash)).rstrip(b"=").decode()
    fingerprint = note.key_fingerprint(keys.verifier_key())
    path = reverse("ledger:entry", args=[log_entry.index])
    return f"{site_url or settings.SITE_URL}{path}#{leaf}.{fingerprint}"


def exported_file(path: str) -> tuple[Path, tiles.Tile]:
    """The exported tile file for a request path (`tile/0/x001/234`); ValueError if malformed."""
    tile = tiles.parse_tile_path(path)
    return settings.LOG_DIR / tile.path, tile


def latest_published_totals() -> tuple[LogEntry, dict[str, Any]] | None:
    """The newest published totals entry and its public fields."""
    published = LogEntry.objects.filter(entry_type=logtypes.PUBLISHED.name).order_by("-index")
    for candidate in published.iterator(chunk_size=20):
        fields = entry_json(candidate).get("fields", {})
        if fields.get("kind") == "totals":
            return candidate, fields
    return None


# Figures kept until the log moves (see `kept_while_log_unchanged`), per process.
_kept: dict[tuple[object, ...], tuple[tuple[int, bytes], Any]] = {}
KEPT_MAX = 256


def log_head() -> tuple[int, bytes]:
    """The log's size and compact range: together they fix its content (its root hash), so every
    recorded write changes them, and so does a restore that rewinds the log."""
    head = LogHead.objects.filter(pk=1).values_list("size", "compact_range").first()
    return (int(head[0]), bytes(head[1])) if head else (0, b"")


def kept_while_log_unchanged(key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave before under the same `key` while the log has not moved.

    For figures computed only from records whose every change is logged in the same transaction
    (items, corrections, custody events, declarations): they cannot change while the log's head
    stays, and a new record shows at once. Pages read far more often than the mission writes,
    and at a million items such a figure takes tens of ms. The head is read before computing, so
    a write racing the computation only costs a recount. The value is shared: callers must not
    change it."""
    head = log_head()
    kept = _kept.get(key)
    if kept is not None and kept[0] == head:
        return cast(T, kept[1])
    value = compute()
    if len(_kept) >= KEPT_MAX:
        _kept.clear()
    _kept[key] = (head, value)
    return value
