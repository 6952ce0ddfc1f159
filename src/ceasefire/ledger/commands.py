"""The `ceasefire log ...` verbs. Each returns the process exit status."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ceasefire.ledger import note, tiles
from ceasefire.ledger.audit import EntryAuditor
from ceasefire.ledger.checkpoint import CheckpointError
from ceasefire.ledger.verify import Fetch, VerifyError, directory_fetch, verify_log


def url_fetch(base: str) -> Fetch:
    base = base.rstrip("/") + "/"

    def fetch(path: str) -> bytes:
        request = urllib.request.Request(base + path, headers={"User-Agent": "ceasefire-verify"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            data: bytes = response.read()
            return data

    return fetch


def source_fetch(source: str) -> Fetch:
    if source.startswith(("http://", "https://")):
        return url_fetch(source)
    return directory_fetch(Path(source))


def key() -> int:
    from ceasefire.ledger import keys

    print(_("The mission's log verifier key (compare it with the one the mission publishes):"))
    print(keys.verifier_key())
    return 0


def export(directory: Path) -> int:
    """Write a full static copy of the published log (tiles, checkpoint, key)."""
    from ceasefire.ledger import keys, selectors
    from ceasefire.ledger.storage import DatabaseHashReader, read_entries

    checkpoint = selectors.latest_checkpoint()
    if checkpoint is None:
        print(_("No checkpoint has been published yet."), file=sys.stderr)
        return 1
    directory.mkdir(parents=True, exist_ok=True)
    tiles.export_log(
        directory,
        0,
        checkpoint.size,
        DatabaseHashReader(),
        read_entries,
        checkpoint.signed_note.encode(),
    )
    (directory / "key").write_text(keys.verifier_key() + "\n", encoding="ascii")
    print(
        ngettext(
            "Exported %(size)s entry to %(dir)s.",
            "Exported %(size)s entries to %(dir)s.",
            checkpoint.size,
        )
        % {"size": checkpoint.size, "dir": directory}
    )
    return 0


def proof(index: int) -> int:
    from ceasefire.ledger import selectors

    tlog_proof = selectors.inclusion_proof(index)
    if tlog_proof is None:
        print(
            _("Entry %(index)s is not in a published checkpoint yet.") % {"index": index},
            file=sys.stderr,
        )
        return 1
    sys.stdout.write(tlog_proof.format().decode())
    return 0


def reveal(index: int, fields: list[str]) -> int:
    from ceasefire.core.errors import CeasefireError
    from ceasefire.ledger import selectors, services

    log_entry = selectors.entry(index)
    if log_entry is None:
        print(_("There is no entry %(index)s in the log.") % {"index": index}, file=sys.stderr)
        return 1
    sealed = list(selectors.entry_json(log_entry).get("sealed", {}))
    for field in fields or sealed:
        try:
            opening = services.opening_for(index, field)
        except CeasefireError as exc:
            print(f"{field}: {exc.message}", file=sys.stderr)
            return 1
        print(json.dumps(opening.as_json(), ensure_ascii=False, sort_keys=True))
    return 0


def check_opening(opening_file: str, source: str | None) -> int:
    """Check openings (one JSON object per line) against the entries they open."""
    from ceasefire.ledger import sealing

    text = sys.stdin.read() if opening_file == "-" else Path(opening_file).read_text("utf-8")
    failures = 0
    for line in filter(None, (line.strip() for line in text.splitlines())):
        try:
            opening = sealing.Opening.from_json(json.loads(line))
            sealing.check_opening(opening, _entry_bytes(opening.index, source))
        except (ValueError, sealing.OpeningError, LookupError) as exc:
            print(_("NOT VERIFIED: %(reason)s") % {"reason": exc})
            failures += 1
            continue
        print(
            _("verified: entry %(index)s field %(field)s = %(value)s")
            % {
                "index": opening.index,
                "field": opening.field,
                "value": json.dumps(opening.value, ensure_ascii=False),
            }
        )
    return 1 if failures else 0


def _entry_bytes(index: int, source: str | None) -> bytes:
    if source is None:
        from ceasefire.ledger import selectors

        log_entry = selectors.entry(index)
        if log_entry is None:
            raise LookupError(f"there is no entry {index} in the log")
        return bytes(log_entry.body)
    return read_entry(source_fetch(source), index)


def read_entry(fetch: Fetch, index: int) -> bytes:
    """One entry, from its bundle in the published log."""
    from ceasefire.ledger.checkpoint import parse_checkpoint

    signed = fetch("checkpoint")
    size = parse_checkpoint(signed.decode().split("\n\n", 1)[0] + "\n").size
    if index >= size:
        raise LookupError(f"entry {index} is beyond the log's checkpoint of size {size}")
    bundle_index = index // tiles.TILE_WIDTH
    width = min(tiles.TILE_WIDTH, size - bundle_index * tiles.TILE_WIDTH)
    bundle = tiles.Tile(tiles.ENTRY_BUNDLE_LEVEL, bundle_index, width)
    return tiles.decode_entry_bundle(fetch(bundle.path))[index % tiles.TILE_WIDTH]


def verify(
    source: str, verifier_key: str | None, since: str | None, witness_keys: list[str]
) -> int:
    """Verify a published log completely; print what was checked or the first problem."""
    fetch = source_fetch(source)
    try:
        if verifier_key is None:
            verifier_key = fetch("key").decode().strip().splitlines()[-1]
            print(
                _(
                    "Using the key the log itself serves: %(key)s. Compare it with the key the "
                    "mission publishes elsewhere, or pass --key."
                )
                % {"key": verifier_key}
            )
        log_verifier = note.Ed25519Verifier.from_key(verifier_key)
        witnesses = [_witness_verifier(k) for k in witness_keys]
        saved = Path(since).read_bytes() if since else None
        auditor = EntryAuditor()
        signed = verify_log(
            fetch, log_verifier, witnesses=witnesses, saved_checkpoint=saved, on_entry=auditor
        )
        auditor.check_openings(lambda index: read_entry(fetch, index))
    except (
        VerifyError,
        note.NoteError,
        CheckpointError,
        ValueError,
        OSError,
        urllib.error.URLError,
    ) as exc:
        where = ""
        if isinstance(exc, VerifyError):
            if exc.path:
                where = f" [{exc.path}]"
            elif exc.index is not None:
                where = f" [entry {exc.index}]"
        print(
            _("LOG DOES NOT VERIFY%(where)s: %(reason)s") % {"where": where, "reason": exc},
            file=sys.stderr,
        )
        return 1
    print(
        ngettext(
            "Log verified: %(size)s entry, root %(root)s, every tile and entry checked, "
            "%(totals)s published totals recomputed and equal, %(openings)s openings checked.",
            "Log verified: %(size)s entries, root %(root)s, every tile and entry checked, "
            "%(totals)s published totals recomputed and equal, %(openings)s openings checked.",
            signed.checkpoint.size,
        )
        % {
            "size": signed.checkpoint.size,
            "root": signed.checkpoint.root_hash.hex(),
            "totals": auditor.published_totals_checked,
            "openings": len(auditor.openings),
        }
    )
    return 0


def _witness_verifier(verifier_key: str) -> Any:
    from ceasefire.ledger import cosignature

    return cosignature.verifier_from_key(verifier_key)
