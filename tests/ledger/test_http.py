from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client

from ceasefire.ledger import keys, services
from ceasefire.ledger.proof import parse_proof, verify_proof
from ceasefire.ledger.tiles import decode_entry_bundle

pytestmark = pytest.mark.django_db


def grow(count: int) -> None:
    for number in range(count):
        with transaction.atomic():
            services.append("ledger.test/1", {"category": "rifle", "quantity": number})


def test_checkpoint_is_missing_until_one_is_published(client: Client) -> None:
    assert client.get("/log/checkpoint").status_code == 404
    grow(1)
    services.publish_checkpoint()
    response = client.get("/log/checkpoint")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert response.content.decode().splitlines()[1] == "2"


def test_full_tiles_are_immutable_and_partial_ones_are_not(client: Client) -> None:
    grow(300)
    services.publish_checkpoint()
    full = client.get("/log/tile/0/000")
    assert full.status_code == 200
    assert "immutable" in full["Cache-Control"]
    assert len(b"".join(full.streaming_content)) == 256 * 32  # type: ignore[attr-defined]
    partial = client.get("/log/tile/entries/001.p/45")
    assert partial["Cache-Control"] == "no-cache"
    assert len(decode_entry_bundle(b"".join(partial.streaming_content))) == 45  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/log/tile/0/1", 400),
        ("/log/tile/0/x001", 400),
        ("/log/tile/9/../../checkpoint", 400),
        ("/log/tile/0/999", 404),
        ("/log/tile/entries/000.p/0", 400),
        ("/log/proof/123456", 404),
    ],
)
def test_malformed_or_missing_resources_get_4xx_never_5xx(
    path: str, status: int, client: Client
) -> None:
    grow(3)
    services.publish_checkpoint()
    assert client.get(path).status_code == status


def test_proof_verifies_against_the_signed_checkpoint(client: Client) -> None:
    grow(40)
    services.publish_checkpoint()
    tlog_proof = parse_proof(client.get("/log/proof/17").content)
    from ceasefire.ledger.models import LogEntry

    entry = bytes(LogEntry.objects.get(index=17).body)
    signed = verify_proof(tlog_proof, keys.log_verifier(), entry=entry)
    assert signed.checkpoint.size == 41


def test_key_is_served_as_its_last_line(client: Client) -> None:
    assert client.get("/log/key").content.decode().strip() == keys.verifier_key()


def test_entry_page_shows_public_fields_and_names_sealed_ones(client: Client) -> None:
    with transaction.atomic():
        entry = services.append("ledger.test/1", {"category": "mortar", "note": "secret note"})
    services.publish_checkpoint()
    html = client.get(f"/verify/{entry.index}").content.decode()
    assert "mortar" in html
    assert "<code>note</code>" in html
    assert "secret note" not in html
    assert "c2sp.org/tlog-proof@v1" in html


def test_totals_json_serves_the_latest_published_totals(
    client: Client, client_as: Callable[[str], Client]
) -> None:
    assert client.get("/public/totals.json").status_code == 404
    grow(2)
    response = client_as("analyst").post("/public/totals/publish")
    assert response.status_code == 302
    services.publish_checkpoint()
    totals = client.get("/public/totals.json").json()
    assert totals["figures"]["by_category"] == {"rifle": {"surrendered": 2, "destroyed": 0}}
    assert totals["computed_at_size"] == totals["entry_index"] == 3
    assert totals["checkpoint"].splitlines()[1] == "4"


def test_only_analysts_publish_totals(client_as: Callable[[str], Client]) -> None:
    assert client_as("field").post("/public/totals/publish").status_code == 403
    assert client_as("public").post("/public/totals/publish").status_code == 401
