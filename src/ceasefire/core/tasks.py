from __future__ import annotations

import os
import socket

from django.utils import timezone
from django_tasks import task

from ceasefire.core.models import WorkerHeartbeat


@task()
def heartbeat() -> int:
    """Record that a worker ran a task. `ceasefire status` and the health page read it."""
    beat = WorkerHeartbeat.objects.create(
        worker=f"{socket.gethostname()}:{os.getpid()}", beat_at=timezone.now()
    )
    return beat.pk
