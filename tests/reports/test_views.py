from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from ceasefire.accounts.models import User
from ceasefire.ledger import services as ledger
from ceasefire.reports import services
from ceasefire.reports.models import Report
from tests.positions.factories import position, take_over, vacate
from tests.reports.factories import closed_day, cutoff, handover

pytestmark = pytest.mark.django_db


def test_an_analyst_publishes_the_days_report_from_its_page(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=1))
    analyst = client_as("analyst")

    preview = analyst.get("/reports/daily/", {"day": day.isoformat()})
    published = analyst.post("/reports/daily/", {"day": day.isoformat()})

    assert preview.status_code == 200
    assert b"have been surrendered" in preview.content
    assert published.status_code == 302
    assert Report.objects.get().day == day


def test_a_published_report_is_public_as_a_page_and_a_pdf(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=1))
    services.report_publish(user=cast["analyst"], day=day)
    public = client_as("public")

    page = public.get(f"/public/reports/{day.isoformat()}/")
    pdf = public.get(f"/public/reports/{day.isoformat()}/pdf")

    assert page.status_code == 200
    assert b"2 firearms, 1 grenade and 1 lot of ammunition have been surrendered" in page.content
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_an_unpublished_report_is_not_found_by_the_public(
    client_as: Callable[[str], Client],
) -> None:
    assert (
        client_as("public").get(f"/public/reports/{closed_day().isoformat()}/").status_code == 404
    )
    assert client_as("public").get("/public/reports/not-a-day/").status_code == 404


def test_the_dashboard_shows_totals_chart_checkpoint_and_latest_report_without_login(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=1))
    services.report_publish(user=cast["analyst"], day=day)
    ledger.publish_totals()
    ledger.publish_checkpoint()

    response = client_as("public").get("/public/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "/public/totals.json" in content
    assert '<svg class="chart"' in content
    assert 'data-testid="dashboard-checkpoint"' in content
    assert "have been surrendered" in content


def test_the_public_map_leaves_out_positions_whose_status_is_sealed(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    held = position(code="hill-held")
    sealed = position(code="hill-vacated")
    vacate(sealed)
    handed = position(code="hill-taken")
    vacate(handed, days=3)
    take_over(handed, days=2)

    content = client_as("public").get("/public/").content.decode()

    assert held.code in content
    assert handed.code in content
    assert sealed.code not in content


def test_the_dashboards_chart_shows_a_new_handover_at_once_in_each_language(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=1), rifles=2, grenades=0, lots=0)
    public = client_as("public")
    before = public.get("/public/").content.decode()
    before_ru = public.get("/public/", headers={"accept-language": "ru"}).content.decode()

    handover(cast["field"], cutoff(day) - timedelta(hours=2), rifles=3, grenades=0, lots=0)
    after = public.get("/public/").content.decode()
    after_ru = public.get("/public/", headers={"accept-language": "ru"}).content.decode()

    assert "Assault rifles: 2</title>" in before
    assert "Автоматы: 2</title>" in before_ru
    assert "Assault rifles: 5</title>" in after
    assert "Автоматы: 5</title>" in after_ru


def test_the_list_of_reports_links_each_published_day(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=1))
    services.report_publish(user=cast["analyst"], day=day)

    content = client_as("public").get("/public/reports/").content.decode()

    assert f"/public/reports/{day.isoformat()}/pdf" in content
