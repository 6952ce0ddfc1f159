"""What the operator's commands leave behind: the backups taken and the entries that a restore
found in the published log but not in the restored database."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Backup(models.Model):
    """A backup taken by `ceasefire backup`, for `ceasefire status`. A restore records the
    backup it came from again, since the restored database predates its own record."""

    directory = models.CharField(max_length=1000)
    taken_at = models.DateTimeField(default=timezone.now)
    log_size = models.PositiveBigIntegerField()
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-taken_at"]
        get_latest_by = "taken_at"

    def __str__(self) -> str:
        return f"backup of {self.taken_at:%Y-%m-%d %H:%M} ({self.log_size} entries)"


class RestoredEntry(models.Model):
    """An entry that was published but was not in the backup a restore came from: it is back
    in the log, exactly, but the record behind it is lost and must be entered again."""

    index = models.PositiveBigIntegerField(primary_key=True)
    entry_type = models.CharField(max_length=64)
    restored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["index"]

    def __str__(self) -> str:
        return f"#{self.index} {self.entry_type} (details lost in restore)"
