"""The public API of reports: published daily reports and the public exports, streamed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router, Schema

from ceasefire.reports import selectors
from ceasefire.reports.views import public_export, report_day

router = Router(tags=["reports"])


class ReportOut(Schema):
    day: str
    cutoff: str
    size: int
    entry: int
    published_at: str
    figures: dict[str, Any]


def _out(report: Any) -> ReportOut:
    return ReportOut(
        day=report.day.isoformat(),
        cutoff=report.cutoff.isoformat(),
        size=report.size,
        entry=report.entry_id,
        published_at=report.published_at.isoformat(),
        figures=report.figures,
    )


@router.get("/reports", response=list[ReportOut], url_name="reports")
def reports(request: HttpRequest, limit: int = 30) -> list[ReportOut]:
    """Published daily reports, newest first, with their figures as logged."""
    return [_out(report) for report in selectors.published_reports()[: max(1, min(limit, 400))]]


@router.get("/reports/{day}", response=ReportOut, url_name="report")
def report(request: HttpRequest, day: str) -> ReportOut:
    return _out(selectors.published_report(report_day(day)))


@router.get("/exports/{dataset}", url_name="reports_export")
def export(request: HttpRequest, dataset: str, format: str = "csv") -> StreamingHttpResponse:
    """A public export (public fields only, never personal data), streamed: `format` is csv,
    hxl, geojson or xlsx."""
    return public_export(request, dataset, format)
