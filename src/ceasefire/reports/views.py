"""Pages of the reports app: the public dashboard, published daily reports (page and PDF from
the same body template), the analyst's preview and publishing, and streamed exports."""

from __future__ import annotations

from base64 import b64encode
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ceasefire.accounts.models import User
from ceasefire.core.access import may_access
from ceasefire.core.errors import CeasefireError, NotFound, ValidationFailed
from ceasefire.ledger import selectors as ledger_selectors
from ceasefire.operations.selectors import status as log_status
from ceasefire.positions.models import Status
from ceasefire.positions.selectors import position_list
from ceasefire.registry import printing
from ceasefire.registry.models import Category
from ceasefire.reports import charts, exports, selectors, services
from ceasefire.reports.config import report_clock
from ceasefire.reports.models import Report
from ceasefire.reports.presentation import report_view
from ceasefire.reports.selectors import DailyHandovers


def report_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise NotFound(_("There is no report for %(day)s.") % {"day": value}) from None


def _report_context(report: Report) -> dict[str, Any]:
    return {
        "view": report_view(report.figures),
        "report": report,
        "checkpoint": selectors.checkpoint_covering(report.entry_id),
    }


def report_list(request: HttpRequest) -> HttpResponse:
    # Days only: a year of reports' figures would be parsed for nothing.
    reports = selectors.published_reports().only("day")[:400]
    return render(request, "reports/list.html", {"reports": reports})


def report(request: HttpRequest, day: str) -> HttpResponse:
    found = selectors.published_report(report_day(day))
    return render(request, "reports/report.html", _report_context(found))


def report_pdf(request: HttpRequest, day: str) -> HttpResponse:
    found = selectors.published_report(report_day(day))
    html = render_to_string("reports/report_print.html", _report_context(found), request)
    response = HttpResponse(
        printing.pdf(html, request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="report-{found.day.isoformat()}.pdf"'
    return response


def draft(request: HttpRequest) -> HttpResponse:
    """The analyst's page: the report of a day as it would be published now, and publishing."""
    clock = report_clock()
    raw = request.POST.get("day") or request.GET.get("day")
    try:
        day = date.fromisoformat(raw) if raw else clock.last_closed_day(timezone.now())
    except ValueError:
        raise ValidationFailed(_("Give the day as YYYY-MM-DD."), field="day") from None
    if request.method == "POST":
        assert isinstance(request.user, User)
        try:
            published = services.report_publish(user=request.user, day=day)
        except CeasefireError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Report of %(day)s published as log entry %(index)s.")
                % {"day": published.day.isoformat(), "index": published.entry_id},
            )
            return redirect("reports:report", day=published.day.isoformat())
    stored = Report.objects.filter(day=day).first()
    return render(
        request,
        "reports/draft.html",
        {
            "day": day,
            "view": report_view(stored.figures if stored else selectors.daily_figures(day)),
            "published": stored,
            "cutoff_passed": clock.cutoff_of(day) <= timezone.now(),
        },
    )


def _public_positions() -> list[tuple[int, int, str, str]]:
    """Positions whose status the log shows: a vacated position not yet taken over is sealed
    (targeting data), so it is left off the public map altogether."""
    labels = dict(Status.choices)
    shown = []
    for position in position_list(user=None):
        status = getattr(position, "current_status", None)
        if status and status != Status.VACATED:
            title = f"{position.code} · {labels.get(status, status)}"
            shown.append((position.lat_microdeg, position.lon_microdeg, str(status), title))
    return shown


# The chart last drawn in this process, per language, with the handovers it was drawn from.
_drawn: dict[str | None, tuple[DailyHandovers, SafeString]] = {}


def _chart() -> SafeString:
    """The dashboard's chart of the last 30 days. Drawing its few hundred bars takes longer than
    the rest of the page, so it is drawn again only when the handovers differ from those it was
    last drawn from in the reader's language (labels and number formats are the language's)."""
    handovers = selectors.daily_handovers(days=30)
    language = get_language()
    kept = _drawn.get(language)
    if kept is not None and kept[0] == handovers:
        return kept[1]
    chart = charts.stacked_bars(handovers, dict(Category.choices))
    drawn = render_to_string("reports/_chart.html", {"chart": chart})
    _drawn[language] = (handovers, drawn)
    return drawn


def dashboard(request: HttpRequest) -> HttpResponse:
    labels = dict(Category.choices)
    published = ledger_selectors.latest_published_totals()
    totals_rows: list[tuple[str, int, int]] = []
    totals: dict[str, Any] = {}
    totals_entry = None
    if published is not None:
        totals_entry, fields = published
        figures = fields.get("figures") or {}
        totals = figures.get("total", {})
        totals_rows = [
            (str(labels.get(category, category)), counts["surrendered"], counts["destroyed"])
            for category, counts in figures.get("by_category", {}).items()
        ]
    latest = selectors.latest_report()
    checkpoint = ledger_selectors.latest_checkpoint()
    return render(
        request,
        "reports/dashboard.html",
        {
            "totals_rows": totals_rows,
            "totals": totals,
            "totals_entry": totals_entry,
            "totals_size": fields.get("size") if published else None,
            "chart": _chart(),
            "map": charts.point_map(_public_positions()),
            "checkpoint": checkpoint,
            "checkpoint_root": b64encode(bytes(checkpoint.root_hash)).decode()
            if checkpoint
            else "",
            "status": log_status(),
            "latest": latest,
            "latest_view": report_view(latest.figures) if latest else None,
            "datasets": list(exports.DATASETS),
            "formats": list(exports.FORMATS),
            "can_publish": may_access(request.user, "reports:draft", "POST"),
        },
    )


def _streamed(dataset: str, fmt: str, *, public: bool) -> StreamingHttpResponse:
    if dataset not in exports.DATASETS or fmt not in exports.FORMATS:
        raise NotFound(_("There is no such export."))
    chosen, chunks = exports.export(dataset, fmt, public=public)
    response = StreamingHttpResponse(chunks, content_type=chosen.content_type)
    name = exports.filename(dataset, fmt, public=public)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def export(request: HttpRequest, dataset: str, fmt: str) -> StreamingHttpResponse:
    """The mission's export: the records' sealed details too, never a person."""
    return _streamed(dataset, fmt, public=False)


def public_export(request: HttpRequest, dataset: str, fmt: str) -> StreamingHttpResponse:
    return _streamed(dataset, fmt, public=True)
