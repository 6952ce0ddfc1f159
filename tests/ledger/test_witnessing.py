"""The mission asks its witnesses to cosign each checkpoint and publishes their cosignatures."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult
from tests.ledger.test_witness import serve

from ceasefire.ledger import (
    commands,
    cosignature,
    keys,
    note,
    selectors,
    services,
    witness,
    witnessing,
)
from ceasefire.ledger.models import Checkpoint, LogEntry

pytestmark = pytest.mark.django_db


def grow(count: int) -> int:
    for number in range(count):
        with transaction.atomic():
            services.append("ledger.test/1", {"category": "rifle", "quantity": number})
    checkpoint = services.publish_checkpoint()
    assert checkpoint is not None
    return checkpoint.size


@pytest.fixture
def witness_keys(tmp_path: Path, settings: Any) -> Iterator[list[str]]:
    state_dir = tmp_path / "witness"
    witness.init(state_dir, "north.example/witness", [keys.verifier_key()])
    verifier_keys = [c.verifier().verifier_key for c in witness.Witness.load(state_dir).cosigners]
    for port in serve(state_dir):
        url = f"http://127.0.0.1:{port}"
        settings.LOG_WITNESSES = ",".join(f"{url}={key}" for key in verifier_keys)
        yield verifier_keys


def test_published_checkpoints_carry_the_witness_cosignatures(witness_keys: list[str]) -> None:
    size = grow(3)
    assert len(witnessing.cosign(size)) == 2
    size = grow(2)
    assert len(witnessing.cosign(size)) == 2

    published = Client().get("/log/checkpoint").content.decode()
    assert published == Checkpoint.objects.get(size=size).signed_note
    assert published.count("\n— north.example/witness ") == 2
    verified = commands.verify(str(settings.LOG_DIR), keys.verifier_key(), None, witness_keys)
    assert verified == 0


def test_a_mission_that_forgot_what_the_witness_saw_learns_it_from_the_409(
    witness_keys: list[str],
) -> None:
    witnessing.cosign(grow(3))
    (settings.LOG_DIR / witnessing.SIZES_FILE).unlink()

    assert len(witnessing.cosign(grow(1))) == 2


def test_an_unreachable_witness_leaves_the_checkpoint_as_signed(
    settings: Any,
) -> None:
    settings.LOG_WITNESSES = "http://127.0.0.1:9=" + witness_keys_of_a_stranger()
    size = grow(1)
    before = (settings.LOG_DIR / "checkpoint").read_bytes()

    assert witnessing.cosign(size) == []
    assert (settings.LOG_DIR / "checkpoint").read_bytes() == before


def witness_keys_of_a_stranger() -> str:
    return cosignature.generate_key("stranger.example/w", cosignature.COSIGNATURE_ED25519)[1]


def test_without_witnesses_publishing_queues_nothing(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LOG_WITNESSES = ""
    with django_capture_on_commit_callbacks(execute=True):
        grow(1)
    assert not DBTaskResult.objects.filter(task_path__contains="cosign").exists()


def test_with_witnesses_publishing_queues_the_round_trip(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.LOG_WITNESSES = "http://127.0.0.1:9=" + witness_keys_of_a_stranger()
    with django_capture_on_commit_callbacks(execute=True):
        grow(1)
    assert DBTaskResult.objects.filter(task_path__contains="cosign").exists()


def test_the_verify_url_carries_the_leaf_hash_and_the_key_fingerprint() -> None:
    grow(2)
    url = selectors.verify_url(1)
    leaf = base64.urlsafe_b64encode(bytes(LogEntry.objects.get(index=1).leaf_hash)).rstrip(b"=")
    fingerprint = note.key_fingerprint(keys.verifier_key())
    assert url == f"{settings.SITE_URL}/verify/1#{leaf.decode()}.{fingerprint}"


def test_the_verify_page_lists_the_witness_key_fingerprints(witness_keys: list[str]) -> None:
    witnessing.cosign(grow(2))
    page = Client().get("/verify/0").content.decode()
    for key in witness_keys:
        assert note.key_fingerprint(key) in page
    assert 'type="module"' in page and "ledger/verify.js" in page
