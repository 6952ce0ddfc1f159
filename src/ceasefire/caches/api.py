"""The arms caches API: field officers report, visit and clear caches."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from ceasefire.accounts.models import Party
from ceasefire.caches import selectors, services
from ceasefire.caches.models import Cache, Visit
from ceasefire.core.access import request_user
from ceasefire.core.pagination import LimitOffset
from ceasefire.positions.api import by_code

router = Router(tags=["caches"])


class CacheOut(Schema):
    id: int
    number: str
    origin: str
    party: str | None
    status: str
    lat_microdeg: int
    lon_microdeg: int
    reported_at: datetime

    @staticmethod
    def resolve_party(obj: Cache) -> str | None:
        return obj.party.code if obj.party else None


class CacheIn(Schema):
    origin: str
    lat_microdeg: int
    lon_microdeg: int
    reported_at: datetime
    party: str | None = None
    description: str = ""


class VisitIn(Schema):
    visited_at: datetime
    findings: str


class VisitOut(Schema):
    visited_at: datetime
    log_index: int

    @staticmethod
    def resolve_log_index(obj: Visit) -> int:
        return obj.entry_id


@router.get("/caches", response=list[CacheOut], url_name="caches")
@paginate(LimitOffset)
def cache_list(request: HttpRequest) -> QuerySet[Cache]:
    return selectors.cache_list(request_user(request))


@router.post("/caches", response={201: CacheOut}, url_name="caches")
def cache_report(request: HttpRequest, payload: CacheIn) -> Status[Cache]:
    """Record a cache; its location stays sealed in the log until the cache is cleared."""
    return Status(
        201,
        services.cache_report(
            user=request_user(request),
            origin=payload.origin,
            lat_microdeg=payload.lat_microdeg,
            lon_microdeg=payload.lon_microdeg,
            reported_at=payload.reported_at,
            party=by_code(Party, payload.party) if payload.party else None,
            description=payload.description,
        ),
    )


@router.post("/caches/{cache_id}/visits", response={201: VisitOut}, url_name="cache_visits")
def cache_visit(request: HttpRequest, cache_id: int, payload: VisitIn) -> Status[Visit]:
    user = request_user(request)
    return Status(
        201,
        services.cache_visit(
            user=user,
            cache=selectors.cache_for_user(user, cache_id),
            visited_at=payload.visited_at,
            findings=payload.findings,
        ),
    )


@router.post("/caches/{cache_id}/clearance", response=CacheOut, url_name="cache_clearance")
def cache_clear(request: HttpRequest, cache_id: int) -> Cache:
    """Declare the cache cleared: its location's openings are published in the log."""
    user = request_user(request)
    return services.cache_clear(user=user, cache=selectors.cache_for_user(user, cache_id))
