from __future__ import annotations

from django.db import connection

from ceasefire.core.models import WorkerHeartbeat


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
    except Exception:  # any database failure means "not healthy", which is what we report
        return False
    return bool(row == (1,))


def last_heartbeat() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-beat_at").first()
