"""What `ceasefire status` reports: the state of the log, its witnesses, the task queue and the
backups, read without writing anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ceasefire.core.selectors import last_heartbeat
from ceasefire.ledger import cosignature, keys, note, services
from ceasefire.ledger.models import LogHead
from ceasefire.operations.models import Backup, RestoredEntry


@dataclass(frozen=True)
class Cosignature:
    """A witness's signature on the published checkpoint, and when the witness made it."""

    name: str
    signed_at: datetime | None  # None for a signature type that carries no time


@dataclass
class Status:
    log_size: int  # entries in the database
    checkpoint_size: int | None  # the published checkpoint, None before the first one
    checkpoint_at: datetime | None  # when it was written to the export directory
    cosignatures: list[Cosignature] = field(default_factory=list)
    tasks_waiting: int = 0
    oldest_task_at: datetime | None = None
    worker_seen_at: datetime | None = None
    last_backup: Backup | None = None
    restored_entries: list[RestoredEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _cosignatures(signed: bytes) -> list[Cosignature]:
    """The signatures on the published checkpoint other than the log's own: the witnesses'.
    Their keys are not configured here, so they are listed, not verified (`log verify
    --witness` verifies them)."""
    opened = note.open(signed, [keys.log_verifier()])
    found = []
    for signature in opened.unknown_signatures:
        try:
            stamp: datetime | None = datetime.fromtimestamp(
                cosignature.cosignature_timestamp(signature.signature), UTC
            )
        except (ValueError, OverflowError, OSError):
            stamp = None
        found.append(Cosignature(signature.name, stamp))
    return found


def status() -> Status:
    head = LogHead.objects.filter(pk=1).first()
    result = Status(log_size=head.size if head else 0, checkpoint_size=None, checkpoint_at=None)
    path = settings.LOG_DIR / "checkpoint"
    if path.exists():
        try:
            published = services.published_checkpoint()  # only one the log key signed
        except services.ForkRefused as exc:
            result.problems.append(str(exc))
        else:
            result.checkpoint_size = published.size if published else None
            result.cosignatures = _cosignatures(path.read_bytes())
        result.checkpoint_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    result.tasks_waiting = waiting.count()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    result.oldest_task_at = oldest
    beat = last_heartbeat()
    result.worker_seen_at = beat.beat_at if beat else None
    result.last_backup = Backup.objects.order_by("-taken_at").first()
    result.restored_entries = list(RestoredEntry.objects.order_by("index"))
    return result


def age(moment: datetime | None) -> int | None:
    """Seconds since `moment`."""
    return None if moment is None else int((timezone.now() - moment).total_seconds())
