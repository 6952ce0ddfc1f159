from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the heartbeat task: proof that a worker is taking tasks off the queue."""

    worker = models.CharField(max_length=200)
    beat_at = models.DateTimeField()

    class Meta:
        ordering = ["-beat_at"]
        get_latest_by = "beat_at"

    def __str__(self) -> str:
        return f"{self.worker} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
