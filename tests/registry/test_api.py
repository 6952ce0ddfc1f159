from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client
from django.utils import timezone

from ceasefire.accounts.models import Party, User
from ceasefire.ledger.models import LogEntry
from ceasefire.registry import cosign
from ceasefire.registry.models import Receipt
from tests.registry import factories
from tests.scoping import assert_party_scoped

pytestmark = pytest.mark.django_db

ClientAs = Callable[[str], Client]


def payload(**overrides: Any) -> dict[str, Any]:
    factories.collection_point()
    values: dict[str, Any] = {
        "collection_point": "tarsel-ford",
        "received_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "party": "north",
        "unit": "2nd Mortar Platoon",
        "witnesses": ["Orla Pettersen"],
        "lines": [
            {
                "make": "State arsenal",
                "model": "2B14 Podnos 82 mm",
                "serial": "M-0042",
                "markings": "present",
                "condition": "serviceable",
            },
            {
                "kind": "lot",
                "category": "ammunition",
                "calibre": "82 mm mortar bomb",
                "quantity": 24,
                "condition": "serviceable",
            },
        ],
    }
    return values | overrides


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def receipt(cast: dict[str, User]) -> Receipt:
    return factories.receipt(Party.objects.get(code="north"), cast["field"])


class TestReceipts:
    def test_a_field_officer_records_a_receipt(self, client_as: ClientAs) -> None:
        response = post(client_as("field"), "/api/registry/receipts", payload())
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["number"].startswith("R-")
        assert [i["category"] for i in data["items"]] == ["mortar", "ammunition"]
        assert data["witnesses"] == ["Orla Pettersen"]
        assert data["received_by"] == "field"
        entry = LogEntry.objects.get(index=data["log_index"])
        assert entry.entry_type == "registry.handover/1"

    def test_bad_lines_answer_400_by_field_and_write_nothing(self, client_as: ClientAs) -> None:
        lines = payload()["lines"]
        lines[1]["quantity"] = None
        lines[0]["condition"] = "shiny"
        response = post(client_as("field"), "/api/registry/receipts", payload(lines=lines))
        assert response.status_code == 400
        fields = response.json()["error"]["fields"]
        assert set(fields) == {"lines.0.condition", "lines.1.quantity"}
        assert not LogEntry.objects.exists() and not Receipt.objects.exists()

    def test_unknown_codes_are_named(self, client_as: ClientAs) -> None:
        response = post(
            client_as("field"),
            "/api/registry/receipts",
            payload(collection_point="nowhere", party="east"),
        )
        assert response.status_code == 400
        assert set(response.json()["error"]["fields"]) == {"collection_point", "party"}

    def test_a_duplicate_serial_answers_409_naming_the_receipt(self, client_as: ClientAs) -> None:
        first = post(client_as("field"), "/api/registry/receipts", payload()).json()
        response = post(client_as("field"), "/api/registry/receipts", payload())
        assert response.status_code == 409
        assert first["number"] in response.json()["error"]["message"]

    def test_an_analyst_sees_no_names_of_people(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        data = client_as("analyst").get(f"/api/registry/receipts/{receipt.pk}").json()
        assert data["witnesses"] is None and data["received_by"] is None
        assert len(data["items"]) == 3

    def test_a_receipt_is_visible_to_its_partys_liaison_only(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        assert_party_scoped(
            client_as,
            f"/api/registry/receipts/{receipt.pk}",
            missing_url="/api/registry/receipts/999999",
        )
        listed = client_as("liaison_south").get("/api/registry/receipts").json()
        assert listed["count"] == 0


class TestItems:
    def test_items_and_lots_are_listed_apart_and_filtered(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        client = client_as("analyst")
        weapons = client.get("/api/registry/items").json()
        assert weapons["count"] == 2
        lots = client.get("/api/registry/lots").json()
        assert [lot["quantity"] for lot in lots["items"]] == [440]
        rifles = client.get("/api/registry/items?category=light_machine_gun").json()
        assert [i["model"] for i in rifles["items"]] == ["PKM"]
        serial = receipt.items.get(model="AKM").serial
        found = client.get(f"/api/registry/items?q={serial.lower()}").json()
        assert [i["serial"] for i in found["items"]] == [serial]

    def test_an_item_is_scoped_to_its_party(self, client_as: ClientAs, receipt: Receipt) -> None:
        item = receipt.items.first()
        assert item is not None
        assert_party_scoped(
            client_as,
            f"/api/registry/items/{item.pk}",
            missing_url="/api/registry/items/999999",
        )

    def test_custody_and_corrections_are_recorded_and_listed(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        item = receipt.items.get(model="AKM")
        client = client_as("storage")
        response = post(
            client,
            f"/api/registry/items/{item.pk}/custody",
            {
                "kind": "stored",
                "occurred_at": timezone.now().isoformat(),
                "place": "tarsel-ford",
                "location": "Container 3",
            },
        )
        assert response.status_code == 201, response.content
        assert client.get(f"/api/registry/items/{item.pk}").json()["state"] == "stored"
        response = post(
            client,
            f"/api/registry/items/{item.pk}/corrections",
            {"changes": {"condition": "unsafe"}, "reason": "Cracked bolt."},
        )
        assert response.status_code == 201
        detail = client.get(f"/api/registry/items/{item.pk}").json()
        assert detail["now"]["condition"] == "unsafe"
        assert detail["as_recorded"]["condition"] == "serviceable"
        response = post(
            client, f"/api/registry/items/{item.pk}/corrections", {"action": "void", "reason": "x"}
        )
        assert response.status_code == 201
        assert client.get("/api/registry/items").json()["count"] == 1

    def test_an_event_out_of_order_answers_400(self, client_as: ClientAs, receipt: Receipt) -> None:
        item = receipt.items.get(model="AKM")
        response = post(
            client_as("field"),
            f"/api/registry/items/{item.pk}/custody",
            {"kind": "inspected", "occurred_at": "2001-01-01T00:00:00Z"},
        )
        assert response.status_code == 400
        assert "before the item was handed over" in response.json()["error"]["message"]

    def test_the_reference_table_is_public(self, client_as: ClientAs) -> None:
        models = {row["model"] for row in client_as("public").get("/api/registry/reference").json()}
        assert {
            "AK-74",
            "AKM",
            "PKM",
            "SVD",
            "RPG-7",
            "F-1",
            "9M113 Konkurs",
            "9K38 Igla",
        } <= models


class TestCosigning:
    def test_a_liaison_enrols_checks_and_cosigns_through_the_api(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        client = client_as("liaison_north")
        private = Ed25519PrivateKey.generate()
        public = cosign.public_bytes(private)
        response = post(
            client, "/api/registry/keys", {"public_key": base64.b64encode(public).decode()}
        )
        assert response.status_code == 201
        fingerprint = response.json()["fingerprint"]
        assert fingerprint == cosign.fingerprint(public)
        signing = client.get(f"/api/registry/entries/{receipt.entry_id}/signing").json()
        assert len(signing["items"]) == 3
        assert {"witnesses", "serial"} <= {o["field"] for o in signing["openings"]}
        signature = private.sign(base64.b64decode(signing["entry"]))
        response = post(
            client,
            f"/api/registry/entries/{receipt.entry_id}/cosignatures",
            {"fingerprint": fingerprint, "signature": base64.b64encode(signature).decode()},
        )
        assert response.status_code == 201, response.content
        assert response.json()["verifies"] is True
        shown = client_as("analyst").get(f"/api/registry/receipts/{receipt.pk}").json()
        assert shown["cosignatures"][0]["liaison"] == "liaison_north"

    def test_a_malformed_signature_is_refused(self, client_as: ClientAs, receipt: Receipt) -> None:
        response = post(
            client_as("liaison_north"),
            f"/api/registry/entries/{receipt.entry_id}/cosignatures",
            {"fingerprint": "x", "signature": "not base64!"},
        )
        assert response.status_code == 400
        assert response.json()["error"]["fields"].keys() == {"signature"}

    def test_the_other_partys_liaison_gets_404_for_the_signing_data(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        assert_party_scoped(
            client_as,
            f"/api/registry/entries/{receipt.entry_id}/signing",
            missing_url="/api/registry/entries/999999/signing",
        )
