"""Backups and restores.

A backup directory holds the database, the uploads, the exported log and the mission's settings,
never a key: keys are copied to a second directory that the operator keeps elsewhere, so a data
backup alone cannot open personal data or sign for the mission. A restore puts the database back,
then makes it agree with the log the mission has published (kept outside the database, in
CEASEFIRE_LOG_DIR): published entries the backup lacks are appended again, byte for byte, from
the exported tiles, and every erasure logged since the backup is applied again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.core.config import env_secret
from ceasefire.core.errors import Conflict, ValidationFailed
from ceasefire.ledger import keys, services, tiles
from ceasefire.ledger.models import Checkpoint, LogEntry, LogHead
from ceasefire.ledger.storage import compact_range
from ceasefire.ledger.verify import directory_fetch
from ceasefire.operations import database, erasure
from ceasefire.operations.models import Backup, RestoredEntry

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
LOG = "log"
MISSION = "mission.json"


def _inside(path: Path, other: Path) -> bool:
    path, other = path.resolve(), other.resolve()
    return path == other or path.is_relative_to(other)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file())


def mission_settings() -> dict[str, Any]:
    """The settings that make this mission what it is, none of them secret. A restore compares
    them with the running configuration, since a restored log needs the same origin."""
    policy_file = settings.DISCLOSURE_POLICY_FILE
    return {
        "log_origin": settings.LOG_ORIGIN,
        "site_url": settings.SITE_URL,
        "mission_name": str(settings.MISSION_NAME),
        "time_zone": settings.TIME_ZONE,
        "disclosure_policy": (
            json.loads(Path(policy_file).read_text("utf-8")) if policy_file else None
        ),
    }


def _copy_log(source: Path, target: Path) -> None:
    """Copy an exported log: the checkpoint first, then the tiles. Tiles are written before the
    checkpoint that needs them and never removed, so the copy has every tile its checkpoint
    names even while a checkpoint is being published."""
    target.mkdir(parents=True, exist_ok=True)
    checkpoint = source / "checkpoint"
    if checkpoint.exists():
        shutil.copy2(checkpoint, target / "checkpoint")
    if (source / "tile").exists():
        shutil.copytree(
            source / "tile",
            target / "tile",
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(".*"),  # temporary files of a write in progress
        )


def _copy_keys(target: Path) -> None:
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    for path in _files(settings.KEY_DIR):
        destination = target / path.relative_to(settings.KEY_DIR)
        destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        destination.chmod(0o600)


def backup_create(*, directory: Path, keys_to: Path | None = None) -> Backup:
    """Back up the database, uploads, exported log and mission settings into `directory`, and
    the keys into `keys_to` when given. The server may keep running: each part is a consistent
    copy, and the database is copied first, so the log copy holds at least what it published."""
    if directory.exists() and any(directory.iterdir()):
        raise ValidationFailed(
            _("%(dir)s is not empty: back up into a new directory.") % {"dir": directory}
        )
    if keys_to is not None and (_inside(keys_to, directory) or _inside(directory, keys_to)):
        raise ValidationFailed(
            _("Keep the keys apart from the data: --keys-to must be outside %(dir)s.")
            % {"dir": directory}
        )
    for name, place in (
        ("CEASEFIRE_MEDIA_DIR", settings.MEDIA_ROOT),
        ("CEASEFIRE_LOG_DIR", settings.LOG_DIR),
    ):
        if _inside(settings.KEY_DIR, place):
            raise Conflict(
                _("The key directory is inside %(name)s: a backup of it would hold the keys.")
                % {"name": name}
            )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    with transaction.atomic():
        head = LogHead.objects.get(pk=1)
        log_size, log_root = head.size, compact_range(head).root()
    database.dump(directory / database.file_name())
    if Path(settings.MEDIA_ROOT).exists():
        shutil.copytree(settings.MEDIA_ROOT, directory / UPLOADS)
    _copy_log(settings.LOG_DIR, directory / LOG)
    (directory / MISSION).write_text(
        json.dumps(mission_settings(), ensure_ascii=False, indent=2, sort_keys=True), "utf-8"
    )
    if keys_to is not None:
        _copy_keys(keys_to)
    taken_at = timezone.now()
    manifest = {
        "format": FORMAT,
        "taken_at": taken_at.isoformat(),
        "database": connection.vendor,
        # The log as it stood when the copy began; the database copy holds at least this much.
        "log_size": log_size,
        "log_root": base64.b64encode(log_root).decode(),
        "log_origin": settings.LOG_ORIGIN,
        "files": {str(path.relative_to(directory)): _sha256(path) for path in _files(directory)},
    }
    # Written last: a directory without a manifest is an unfinished backup.
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), "utf-8")
    return Backup.objects.create(
        directory=str(directory.resolve()), taken_at=taken_at, log_size=log_size
    )


@dataclass
class Restored:
    """What a restore did."""

    log_size: int  # entries in the restored database, before the log was made whole
    reappended: list[int] = field(default_factory=list)  # indexes put back from the tiles
    erasures: list[int] = field(default_factory=list)  # erasure entries applied again
    settings_changed: list[str] = field(default_factory=list)  # settings unlike the backup's


def _read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.exists():
        raise ValidationFailed(
            _("%(dir)s holds no finished backup (no %(file)s).")
            % {"dir": directory, "file": MANIFEST}
        )
    manifest: dict[str, Any] = json.loads(path.read_text("utf-8"))
    if manifest.get("format") != FORMAT:
        raise ValidationFailed(_("This backup was written in a format this version cannot read."))
    for name, digest in manifest["files"].items():
        file_path = directory / name
        if not file_path.is_file() or _sha256(file_path) != digest:
            raise ValidationFailed(
                _("The backup is damaged: %(file)s is missing or changed.") % {"file": name}
            )
    if manifest["database"] != connection.vendor:
        raise ValidationFailed(
            _("This is a backup of a %(backup)s database; DATABASE_URL names %(current)s.")
            % {"backup": manifest["database"], "current": connection.vendor}
        )
    if manifest["log_origin"] != settings.LOG_ORIGIN:
        raise ValidationFailed(
            _(
                "This backup is of the log %(backup)s, but CEASEFIRE_LOG_ORIGIN is %(current)s: "
                "set the same origin to restore it."
            )
            % {"backup": manifest["log_origin"], "current": settings.LOG_ORIGIN}
        )
    return manifest


def _restore_keys(keys_from: Path) -> None:
    """Put keys back into the key directory, never replacing a different key already there."""
    incoming = {path.relative_to(keys_from): path for path in _files(keys_from)}
    for relative, path in incoming.items():
        present = settings.KEY_DIR / relative
        if present.exists() and present.read_bytes() != path.read_bytes():
            raise Conflict(
                _(
                    "%(file)s in the key directory differs from the one in %(dir)s; refusing to "
                    "replace a key."
                )
                % {"file": relative, "dir": keys_from}
            )
    for relative, path in incoming.items():
        present = settings.KEY_DIR / relative
        if not present.exists():
            present.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copyfile(path, present)
            present.chmod(0o600)
    keys.log_signer.cache_clear()


def _check_log_key() -> None:
    """The published checkpoint must verify with the key in use: a restore on a machine whose
    key directory was lost would otherwise make a new key and sign nothing ever again."""
    if not (settings.LOG_DIR / "checkpoint").exists():
        return  # never published: any key may sign its first checkpoint
    if not env_secret("CEASEFIRE_LOG_KEY") and not (settings.KEY_DIR / keys.KEY_FILE).exists():
        raise Conflict(
            _("The log signing key is missing from the key directory: give --keys-from.")
        )
    try:
        services.published_checkpoint()
    except services.ForkRefused as exc:
        raise Conflict(
            _("The published checkpoint does not verify with this log key: %(reason)s")
            % {"reason": exc}
        ) from None


def _published_entries(start: int, end: int) -> list[bytes]:
    """Entries start to end - 1 of the exported log, from its entry bundles."""
    fetch = directory_fetch(settings.LOG_DIR)
    entries: list[bytes] = []
    for index in range(start // tiles.TILE_WIDTH, (end - 1) // tiles.TILE_WIDTH + 1):
        width = min(tiles.TILE_WIDTH, end - index * tiles.TILE_WIDTH)
        bundle = tiles.decode_entry_bundle(
            fetch(tiles.Tile(tiles.ENTRY_BUNDLE_LEVEL, index, width).path)
        )
        first = index * tiles.TILE_WIDTH
        entries.extend(bundle[max(start - first, 0) :])
    return entries


def _make_log_whole(restored: Restored) -> None:
    """Append again, exactly, the published entries the restored database lacks, and check
    that the result is the published tree. Inside the restore's transaction."""
    published = services.published_checkpoint()
    if published is None or published.size <= restored.log_size:
        return
    bodies = _published_entries(restored.log_size, published.size)
    if len(bodies) != published.size - restored.log_size:
        raise Conflict(_("The exported log lacks entries its checkpoint covers."))
    services.append_verbatim(bodies)
    head = LogHead.objects.get(pk=1)
    if compact_range(head).root() != published.root_hash:
        raise Conflict(
            _(
                "The restored database and the published log disagree before entry %(index)s: "
                "this backup is not of this log."
            )
            % {"index": restored.log_size}
        )
    Checkpoint.objects.get_or_create(
        size=published.size,
        defaults={
            "root_hash": published.root_hash,
            "signed_note": (settings.LOG_DIR / "checkpoint").read_text("utf-8"),
        },
    )
    RestoredEntry.objects.bulk_create(
        RestoredEntry(index=entry.index, entry_type=entry.entry_type)
        for entry in LogEntry.objects.filter(index__gte=restored.log_size).only(
            "index", "entry_type"
        )
    )
    restored.reappended = list(range(restored.log_size, published.size))


def _reapply_erasures(restored: Restored) -> None:
    entries = LogEntry.objects.filter(
        index__gte=restored.log_size, entry_type__in=list(erasure.HOOKS)
    ).order_by("index")
    for entry in entries:
        erasure.HOOKS[entry.entry_type](entry.index, json.loads(bytes(entry.body)))
        restored.erasures.append(entry.index)


def backup_restore(*, directory: Path, keys_from: Path | None = None) -> Restored:
    """Replace the database, uploads and (when this machine has none) the exported log with the
    backup in `directory`, then make the database agree with the published log. The server and
    workers must be stopped."""
    manifest = _read_manifest(directory)
    if keys_from is not None:
        if _inside(keys_from, directory):
            raise ValidationFailed(_("Keys are never kept inside a data backup."))
        _restore_keys(keys_from)
    if not (settings.LOG_DIR / "checkpoint").exists():
        # This machine lost its log too: the backup's copy is the newest one it knows of.
        _copy_log(directory / LOG, settings.LOG_DIR)
    _check_log_key()

    database.load(directory / database.file_name())
    call_command("migrate", interactive=False, verbosity=0)
    backed_up = json.loads((directory / MISSION).read_text("utf-8"))
    current = mission_settings()
    restored = Restored(
        log_size=LogHead.objects.get(pk=1).size,
        settings_changed=sorted(key for key in current if current[key] != backed_up.get(key)),
    )
    with transaction.atomic():
        _make_log_whole(restored)
        _reapply_erasures(restored)
        Backup.objects.create(
            directory=str(directory.resolve()),
            taken_at=datetime.fromisoformat(manifest["taken_at"]).astimezone(UTC),
            log_size=manifest["log_size"],
            restored_at=timezone.now(),
        )
    if (directory / UPLOADS).exists():
        # Files uploaded since the backup stay: their records are gone, so nothing links them.
        shutil.copytree(directory / UPLOADS, settings.MEDIA_ROOT, dirs_exist_ok=True)
    # Signs what the backup holds beyond the published log; refuses (ForkRefused) if the two
    # were not one log.
    services.publish_checkpoint()
    return restored
