from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.core.errors import Conflict, ValidationFailed
from ceasefire.ledger import services as ledger
from ceasefire.ledger.audit import EntryAuditor
from ceasefire.ledger.models import LogEntry
from ceasefire.reports import selectors, services
from ceasefire.reports.config import report_clock
from ceasefire.reports.models import Report
from tests.reports.factories import closed_day, cutoff, handover

pytestmark = pytest.mark.django_db


def body(entry: LogEntry) -> dict[str, object]:
    parsed: dict[str, object] = json.loads(bytes(entry.body))
    return parsed


def test_publishing_stores_the_report_and_logs_it_at_the_size_it_was_computed_at(
    cast: dict[str, User],
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=2))

    report = services.report_publish(user=cast["analyst"], day=day)

    entry = LogEntry.objects.get(index=report.entry_id)
    fields = body(entry)["fields"]
    assert isinstance(fields, dict)
    assert entry.index == report.size == fields["size"]
    assert fields["kind"] == "daily_report"
    assert fields["cutoff"] == cutoff(day).isoformat()
    assert fields["figures"] == report.figures
    assert report.figures["weapons"]["total"]["surrendered"] == 4
    assert selectors.daily_figures(day, size=report.size) == report.figures


def test_a_published_report_keeps_its_figures_when_later_data_arrives(
    cast: dict[str, User],
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=2))
    report = services.report_publish(user=cast["analyst"], day=day)

    handover(cast["field"], cutoff(day) - timedelta(hours=1), rifles=9)

    stored = selectors.published_report(day)
    assert stored.figures == report.figures
    assert stored.figures["weapons"]["total"]["surrendered"] == 4


def test_a_report_is_published_once(cast: dict[str, User]) -> None:
    day = closed_day()
    services.report_publish(user=cast["analyst"], day=day)
    size = selectors.log_size()

    with pytest.raises(Conflict):
        services.report_publish(user=cast["analyst"], day=day)

    assert selectors.log_size() == size
    assert Report.objects.count() == 1


def test_a_report_cannot_be_published_before_its_cut_off(cast: dict[str, User]) -> None:
    tomorrow = timezone.now().astimezone(report_clock().zone).date() + timedelta(days=1)
    size = selectors.log_size()

    with pytest.raises(ValidationFailed) as raised:
        services.report_publish(user=cast["analyst"], day=tomorrow)

    assert raised.value.fields.keys() == {"day"}
    assert selectors.log_size() == size
    assert not Report.objects.exists()


@override_settings(REPORT_CUTOFF="00:00", REPORT_TIME_ZONE="Asia/Yerevan")
def test_the_cut_off_and_time_zone_come_from_the_settings(cast: dict[str, User]) -> None:
    day = closed_day()

    report = services.report_publish(user=cast["analyst"], day=day)

    assert report.time_zone == "Asia/Yerevan"
    assert (
        report.cutoff.astimezone(report_clock().zone)
        .isoformat()
        .startswith((day + timedelta(days=1)).isoformat() + "T00:00:00+04:00")
    )


def test_the_log_still_verifies_with_daily_reports_and_totals_published(
    cast: dict[str, User],
) -> None:
    day = closed_day()
    handover(cast["field"], cutoff(day) - timedelta(hours=2))
    services.report_publish(user=cast["analyst"], day=day)
    ledger.publish_totals()
    auditor = EntryAuditor()

    for index, raw in LogEntry.objects.values_list("index", "body"):
        auditor(index, bytes(raw))

    assert auditor.published_totals_checked == 1
