from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from ceasefire.accounts.models import User
from ceasefire.cli import main
from ceasefire.reports.models import Report
from tests.reports.factories import closed_day, cutoff, handover

pytestmark = pytest.mark.django_db


def test_published_reports_are_listed_and_read_through_the_api(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=1))
    assert main(["report", "publish", "--date", day.isoformat()]) == 0
    public = client_as("public")

    listed = public.get("/api/reports").json()
    one = public.get(f"/api/reports/{day.isoformat()}").json()

    assert [report["day"] for report in listed] == [day.isoformat()]
    assert one["entry"] == one["size"] == Report.objects.get().entry_id
    assert one["figures"]["weapons"]["total"]["surrendered"] == 4
    assert public.get("/api/reports/2001-01-01").status_code == 404


def test_the_publish_command_refuses_a_bad_day_and_a_second_publication(
    cast: dict[str, User], capsys: pytest.CaptureFixture[str]
) -> None:
    day = closed_day()

    assert main(["report", "publish", "--date", "yesterday"]) == 2
    assert main(["report", "publish", "--date", day.isoformat()]) == 0
    assert main(["report", "publish", "--date", day.isoformat()]) == 2

    assert "already published" in capsys.readouterr().err
    assert Report.objects.count() == 1
