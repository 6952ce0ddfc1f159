from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from ceasefire.audit import selectors
from ceasefire.audit.forms import EventFilterForm
from ceasefire.audit.models import AuditEvent

PAGE_SIZE = 100
CSV_COLUMNS = [
    "at",
    "user",
    "action",
    "method",
    "route",
    "status",
    "object_type",
    "object_id",
    "fields",
    "purpose",
    "ip",
    "user_agent",
]
# A spreadsheet runs a cell starting with one of these as a formula; user agents and purposes
# are typed by others, so such cells are written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _filtered(request: HttpRequest) -> tuple[EventFilterForm, Any]:
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.event_list(**{k: v for k, v in filters.items() if v})


def event_list(request: HttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/events.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _row(event: AuditEvent) -> list[str]:
    values = [
        event.at.isoformat(),
        event.user.username if event.user else "",
        event.action,
        event.method,
        event.route,
        event.status,
        event.object_type,
        event.object_id,
        " ".join(event.fields),
        event.purpose,
        event.ip,
        event.user_agent,
    ]
    return [_cell(value) for value in values]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def event_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered trail as CSV, streamed row by row so memory stays flat however long it is."""
    _form, events = _filtered(request)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(CSV_COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(_row(event))

    name = f"audit-{timezone.now():%Y%m%d-%H%M%S}.csv"
    return StreamingHttpResponse(
        rows(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
