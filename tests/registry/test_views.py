from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ceasefire.accounts.models import Party, User
from ceasefire.ledger.models import LogEntry
from ceasefire.registry import cosign
from ceasefire.registry.models import Correction, CustodyEvent, Receipt
from tests.registry import factories
from tests.scoping import assert_party_scoped

pytestmark = pytest.mark.django_db

ClientAs = Callable[[str], Client]


@pytest.fixture
def receipt(cast: dict[str, User]) -> Receipt:
    return factories.receipt(Party.objects.get(code="north"), cast["field"])


def form_data(cast: dict[str, User], **lines: dict[str, str]) -> dict[str, str]:
    point = factories.collection_point()
    data = {
        "collection_point": str(point.pk),
        "received_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "party": str(Party.objects.get(code="south").pk),
        "unit": "Valley Guard, 1st Company",
        "received_by": str(cast["field"].pk),
        "witnesses": "Orla Pettersen\nDmitri Havel",
    }
    for prefix, values in lines.items():
        data |= {f"{prefix}-{name}": value for name, value in values.items()}
    return data


AKM = {"kind": "weapon", "reference": "", "serial": "SV-1", "markings": "present"}


def akm_line(serial: str) -> dict[str, str]:
    from ceasefire.registry.models import ReferenceWeapon

    reference = ReferenceWeapon.objects.get(model="AKM")
    return AKM | {"reference": str(reference.pk), "serial": serial, "condition": "serviceable"}


class TestReceiptForm:
    def test_the_form_records_a_receipt_with_its_lines(
        self, client_as: ClientAs, cast: dict[str, User]
    ) -> None:
        data = form_data(
            cast,
            **{
                "line-aa": akm_line("SV-1"),
                "line-bb": {
                    "kind": "lot",
                    "category": "ammunition",
                    "calibre": "7.62×39 mm",
                    "quantity": "900",
                    "condition": "serviceable",
                },
            },
        )
        response = client_as("field").post("/registry/receipts/new", data)
        assert response.status_code == 302, response.content.decode()[:3000]
        receipt = Receipt.objects.get()
        assert [i.kind for i in receipt.items.order_by("line")] == ["weapon", "lot"]
        assert receipt.witnesses == ["Orla Pettersen", "Dmitri Havel"]

    def test_bad_lines_are_shown_on_their_line_and_nothing_is_written(
        self, client_as: ClientAs, cast: dict[str, User]
    ) -> None:
        data = form_data(
            cast, **{"line-aa": AKM | {"make": "Acme", "model": "Zap", "condition": "serviceable"}}
        )
        response = client_as("field").post("/registry/receipts/new", data)
        assert response.status_code == 400
        assert "not in the reference table" in response.content.decode()
        assert not LogEntry.objects.exists()

    def test_a_new_line_comes_as_a_fragment_with_its_own_prefix(self, client_as: ClientAs) -> None:
        client = client_as("field")
        first = client.get("/registry/receipts/new/line", HTTP_HX_REQUEST="true").content
        second = client.get("/registry/receipts/new/line", HTTP_HX_REQUEST="true").content
        assert b'name="line-' in first and b"<html" not in first
        assert first != second


class TestPages:
    def test_the_item_list_searches_and_filters_in_few_queries(
        self, client_as: ClientAs, receipt: Receipt, cast: dict[str, User]
    ) -> None:
        factories.receipt(Party.objects.get(code="north"), cast["field"])
        client = client_as("analyst")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/registry/items/?category=light_machine_gun")
        assert response.status_code == 200
        assert response.content.decode().count("data-mission-id") == 2
        assert len(queries) <= 8
        serial = receipt.items.get(model="AKM").serial
        found = client.get(f"/registry/items/?q={serial}", HTTP_HX_REQUEST="true")
        assert found.content.decode().count("data-mission-id") == 1

    def test_the_receipt_page_shows_lines_cosignatures_and_qr(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        html = client_as("field").get(f"/registry/receipts/{receipt.pk}/").content.decode()
        assert receipt.number in html and "Orla Pettersen" in html
        assert 'data-testid="not-cosigned"' in html
        assert "data:image/svg+xml" in html
        assert f"/verify/{receipt.entry_id}#" in html

    def test_an_analyst_does_not_see_the_witnesses(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        html = client_as("analyst").get(f"/registry/receipts/{receipt.pk}/").content.decode()
        assert "Orla Pettersen" not in html

    def test_pages_of_one_party_are_404_for_the_other_liaison(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        item = receipt.items.first()
        assert item is not None
        assert_party_scoped(client_as, f"/registry/receipts/{receipt.pk}/")
        assert_party_scoped(client_as, f"/registry/items/{item.pk}/")
        assert_party_scoped(client_as, f"/registry/receipts/{receipt.pk}/pdf")

    def test_the_printable_receipt_is_a_pdf(self, client_as: ClientAs, receipt: Receipt) -> None:
        response = client_as("field").get(f"/registry/receipts/{receipt.pk}/pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")

    def test_the_item_page_shows_its_timeline_and_corrections(
        self, client_as: ClientAs, receipt: Receipt, cast: dict[str, User]
    ) -> None:
        item = receipt.items.get(model="AKM")
        client = client_as("field")
        response = client.post(
            f"/registry/items/{item.pk}/custody",
            {
                "kind": "stored",
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "location": "Container 3, shelf 2",
            },
        )
        assert response.status_code == 302
        response = client.post(
            f"/registry/items/{item.pk}/correct", {"condition": "unsafe", "reason": "Cracked."}
        )
        assert response.status_code == 302
        assert CustodyEvent.objects.count() == 1 and Correction.objects.count() == 1
        html = client.get(f"/registry/items/{item.pk}/").content.decode()
        assert "Container 3, shelf 2" in html and "Cracked." in html
        assert f'data-testid="item-log-index">{item.entry_id}<' in html

    def test_a_refused_custody_event_is_explained_on_the_form(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        item = receipt.items.get(model="AKM")
        response = client_as("field").post(
            f"/registry/items/{item.pk}/custody",
            {"kind": "destroyed", "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        )
        assert response.status_code == 200
        assert "Give the method" in response.content.decode()
        assert not CustodyEvent.objects.exists()

    def test_the_home_page_shows_totals_by_category(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        html = client_as("public").get("/").content.decode()
        assert 'data-testid="registry-totals"' in html
        assert "Assault rifles" in html
        assert 'data-testid="total-surrendered">3<' in html

    def test_the_cosign_page_is_for_the_partys_liaison(
        self, client_as: ClientAs, receipt: Receipt
    ) -> None:
        assert (
            client_as("liaison_north").get(f"/registry/cosign/{receipt.entry_id}").status_code
            == 200
        )
        assert (
            client_as("liaison_south").get(f"/registry/cosign/{receipt.entry_id}").status_code
            == 404
        )

    def test_a_liaison_enrols_a_key_made_with_the_cli(
        self, client_as: ClientAs, cast: dict[str, User]
    ) -> None:
        public = cosign.public_bytes(Ed25519PrivateKey.generate())
        response = client_as("liaison_north").post(
            "/registry/keys/", {"public_key": base64.b64encode(public).decode(), "label": "laptop"}
        )
        assert response.status_code == 302
        assert cast["liaison_north"].liaison_keys.get().fingerprint == cosign.fingerprint(public)
        refused = client_as("liaison_north").post("/registry/keys/", {"public_key": "abc"})
        assert "32 bytes" in refused.content.decode()


class TestImportPage:
    def test_the_template_downloads_and_imports_back(
        self, client_as: ClientAs, cast: dict[str, User]
    ) -> None:
        factories.collection_point()
        client = client_as("field")
        template = client.get("/registry/import/template.csv")
        assert template["Content-Type"].startswith("text/csv")
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("h.csv", template.content, content_type="text/csv")
        response = client.post("/registry/import/", {"file": upload})
        assert response.status_code == 302, response.content.decode()[-2000:]
        assert Receipt.objects.count() == 1

    def test_problems_are_listed_by_row_and_column(self, client_as: ClientAs) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from ceasefire.registry.imports import template_csv

        bad = template_csv().replace("serviceable", "shiny").encode()
        response = client_as("field").post(
            "/registry/import/", {"file": SimpleUploadedFile("h.csv", bad)}
        )
        html = response.content.decode()
        assert 'data-testid="problems"' in html and "shiny" in html
        assert not Receipt.objects.exists()
