from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def write(user: User | None, route: str, **extra: object) -> AuditEvent:
    return AuditEvent.objects.create(
        action=AuditEvent.Action.WRITE, user=user, route=route, method="POST", status=200, **extra
    )


def export(client: Client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/audit/export.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(body)))


def test_admins_see_the_trail_newest_first(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    write(cast["field"], "places:older")
    write(cast["analyst"], "ledger:totals_publish")
    html = client_as("admin").get("/audit/").content.decode()
    assert html.index("ledger:totals_publish") < html.index("places:older")


def test_the_trail_can_be_filtered_by_user_action_route_and_day(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    write(cast["field"], "places:create")
    write(cast["analyst"], "ledger:totals_publish")
    write(cast["analyst"], "places:old", at=timezone.now() - timedelta(days=3))
    client = client_as("admin")
    assert [row["route"] for row in export(client, "?username=analyst")] == [
        "ledger:totals_publish",
        "places:old",
    ]
    assert [row["route"] for row in export(client, "?route=places")] == [
        "places:create",
        "places:old",
    ]
    today = timezone.localdate().isoformat()
    assert len(export(client, f"?since={today}&until={today}")) == 2
    assert export(client, "?action=reveal") == []
    assert "places:old" not in client.get(f"/audit/?since={today}").content.decode()


def test_the_export_has_every_column_and_no_field_values(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    AuditEvent.objects.create(
        action=AuditEvent.Action.REVEAL,
        user=cast["protection"],
        object_type="people.person",
        object_id="12",
        fields=["name", "photo"],
        purpose="Screening",
        ip="10.0.0.5",
        user_agent="Tablet",
    )
    [row] = export(client_as("admin"))
    assert row["user"] == "protection"
    assert (row["action"], row["object_type"], row["object_id"]) == (
        "reveal",
        "people.person",
        "12",
    )
    assert (row["fields"], row["purpose"], row["ip"]) == ("name photo", "Screening", "10.0.0.5")


def test_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    write(cast["field"], "core:home", user_agent='=HYPERLINK("http://evil.example")')
    [row] = export(client_as("admin"))
    assert row["user_agent"] == '\'=HYPERLINK("http://evil.example")'


def test_the_export_streams_many_events(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(action=AuditEvent.Action.WRITE, user=cast["field"], route=f"r:{n}")
        for n in range(2500)
    )
    assert len(export(client_as("admin"))) == 2500
