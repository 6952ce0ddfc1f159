from __future__ import annotations

import pytest
from django.core.management import call_command

from ceasefire.core.models import WorkerHeartbeat
from ceasefire.core.tasks import heartbeat


@pytest.mark.django_db(transaction=True)
def test_worker_runs_an_enqueued_task() -> None:
    result = heartbeat.enqueue()
    assert WorkerHeartbeat.objects.count() == 0
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.01, verbosity=0)
    assert WorkerHeartbeat.objects.count() == 1
    result.refresh()
    assert result.return_value == WorkerHeartbeat.objects.get().pk
