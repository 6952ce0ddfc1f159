"""Reads on the transparency log."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from ceasefire.ledger import keys, logtypes, merkle, note, tiles
from ceasefire.ledger.models import Checkpoint, LogEntry
from ceasefire.ledger.proof import TlogProof
from ceasefire.ledger.storage import DatabaseHashReader


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
