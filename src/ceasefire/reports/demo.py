"""The demo's reports: a daily report published for each of the last days, then the public
totals, so the dashboard has a history, a chart and a latest report from the start."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from ceasefire.ledger import services as ledger
from ceasefire.reports import services
from ceasefire.reports.config import report_clock

if TYPE_CHECKING:
    from ceasefire.demo import DemoContext

DEMO_REPORT_DAYS = 8


def demo_reports(context: DemoContext) -> None:
    last = report_clock().last_closed_day(timezone.now())
    for back in range(DEMO_REPORT_DAYS - 1, -1, -1):
        services.report_publish(user=context.users["analyst"], day=last - timedelta(days=back))
    ledger.publish_totals()
