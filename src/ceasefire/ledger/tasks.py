from __future__ import annotations

from django_tasks import task

from ceasefire.ledger import services


@task()
def publish_checkpoint_task() -> int | None:
    """Sign and export a checkpoint of everything committed so far."""
    checkpoint = services.publish_checkpoint()
    return checkpoint.size if checkpoint else None
