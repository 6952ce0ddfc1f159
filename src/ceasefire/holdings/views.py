"""The reconciliation page and its CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ceasefire.core.access import request_user
from ceasefire.holdings import selectors

# A mission with many units has a row per party, unit and category: a thousand at a million
# items. The page shows them a hundred at a time; the CSV has them all.
PAGE_SIZE = 100


def reconciliation(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    rows = selectors.reconciliation_for_user(user)
    return render(
        request,
        "holdings/reconciliation.html",
        {
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "with_estimates": selectors.sees_estimates(user),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def reconciliation_export(request: HttpRequest) -> StreamingHttpResponse:
    user = request_user(request)
    with_estimates = selectors.sees_estimates(user)
    rows = selectors.reconciliation_for_user(user)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        header = [_("party"), _("unit"), _("category"), _("declared")]
        header += [_("estimated")] if with_estimates else []
        header += [
            _("surrendered"),
            _("outstanding"),
            _("surrendered, never declared"),
            _("surrendered, never declared: mission IDs"),
            _("declared, never surrendered"),
        ]
        yield writer.writerow(header)
        for row in rows:
            values: list[object] = [row.party, row.unit, row.category, row.declared]
            values += [row.estimated if row.estimated is not None else ""] if with_estimates else []
            values += [
                row.surrendered,
                row.outstanding,
                row.undeclared,
                " ".join(row.undeclared_items),
                " ".join(row.not_surrendered),
            ]
            yield writer.writerow(values)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reconciliation.csv"'
    return response
