"""The API's one pagination convention: `?limit=&offset=`, answering `{"items", "count"}`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class LimitOffset(PaginationBase):
    class Input(Schema):
        limit: int = Field(settings.API_PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)
        # Bounded: past a 64-bit integer the database refuses the query, a server error.
        offset: int = Field(0, ge=0, le=2**31 - 1)

    items_attribute = "items"

    class Output(Schema):
        items: list[Any]
        count: int

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        start = pagination.offset
        return {
            "items": list(queryset[start : start + pagination.limit]),
            "count": queryset.count(),
        }


class Rows:
    """Rows computed in Python (not a queryset), paginated by `LimitOffset` all the same."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def __getitem__(self, page: slice) -> list[Any]:
        return self.rows[page]

    def count(self) -> int:
        return len(self.rows)
