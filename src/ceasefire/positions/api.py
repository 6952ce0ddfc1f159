from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from ceasefire.accounts.models import Party
from ceasefire.core.access import request_user
from ceasefire.core.errors import NotFound
from ceasefire.core.pagination import LimitOffset
from ceasefire.places.models import Place
from ceasefire.positions import selectors, services
from ceasefire.positions.models import Position, PositionEvent

router = Router(tags=["positions"])


def by_code(model: type[Party] | type[Place], code: str) -> Any:
    found = model.objects.filter(code=code).first()
    if found is None:
        raise NotFound(
            _("No %(what)s with code %(code)s.") % {"what": model._meta.verbose_name, "code": code}
        )
    return found


class PositionOut(Schema):
    id: int
    code: str
    name: str
    lat_microdeg: int
    lon_microdeg: int
    party: str
    sector: str | None
    status: str

    @staticmethod
    def resolve_party(obj: Position) -> str:
        return obj.party.code

    @staticmethod
    def resolve_sector(obj: Position) -> str | None:
        return obj.sector.code if obj.sector else None

    @staticmethod
    def resolve_status(obj: Position) -> str:
        return str(obj.current_status)  # type: ignore[attr-defined]


class PositionIn(Schema):
    code: str
    name: str
    lat_microdeg: int
    lon_microdeg: int
    party: str
    sector: str | None = None
    held_since: datetime


class EventOut(Schema):
    id: int
    kind: str
    status: str
    occurred_at: datetime
    unit: str
    finding: str
    confirmed_at: datetime | None
    log_index: int | None


class EventIn(Schema):
    kind: str
    occurred_at: datetime
    verified_by: str = ""
    unit: str = ""
    finding: str = ""
    notes: str = ""


@router.get("/positions", response=list[PositionOut], url_name="positions")
@paginate(LimitOffset)
def position_list(
    request: HttpRequest, status: str = "", party: str = "", sector: str = "", q: str = ""
) -> QuerySet[Position]:
    """Positions with their current status; a liaison sees their own party's only."""
    return selectors.position_list(
        user=request_user(request), status=status, party=party, sector=sector, q=q
    )


@router.post("/positions", response={201: PositionOut}, url_name="positions")
def position_create(request: HttpRequest, payload: PositionIn) -> Status[Position]:
    """Record a position, held by `party` since `held_since`. Coordinates in microdegrees."""
    user = request_user(request)
    position = services.position_create(
        code=payload.code,
        name=payload.name,
        lat_microdeg=payload.lat_microdeg,
        lon_microdeg=payload.lon_microdeg,
        party=by_code(Party, payload.party),
        sector=by_code(Place, payload.sector) if payload.sector else None,
        held_since=payload.held_since,
        by=user,
    )
    return Status(201, selectors.position_for_user(user, position.pk))


@router.get("/positions/{code}", response=PositionOut, url_name="position")
def position_detail(request: HttpRequest, code: str) -> Position:
    return selectors.position_by_code(request_user(request), code)


@router.get("/positions/{code}/events", response=list[EventOut], url_name="position_events")
def event_list(request: HttpRequest, code: str) -> list[PositionEvent]:
    """The status timeline, oldest first; the current status is the last event's."""
    return list(selectors.timeline(selectors.position_by_code(request_user(request), code)))


@router.post("/positions/{code}/events", response={201: EventOut}, url_name="position_events")
def event_create(request: HttpRequest, code: str, payload: EventIn) -> Status[PositionEvent]:
    """Record vacated, taken_over or visit (with a finding). Refused (409) when the current
    status does not allow it."""
    user = request_user(request)
    position = selectors.position_by_code(user, code)
    return Status(
        201, services.position_event_record(position=position, by=user, **payload.model_dump())
    )


@router.post(
    "/positions/{code}/events/{event_id}/confirm",
    response=EventOut,
    url_name="position_event_confirm",
)
def event_confirm(request: HttpRequest, code: str, event_id: int) -> PositionEvent:
    """A liaison of the holding party confirms a withdrawal."""
    user = request_user(request)
    position = selectors.position_by_code(user, code)
    return services.position_withdrawal_confirm(
        event=selectors.event_for_position(position, event_id), by=user
    )


class LayerOut(Schema):
    code: str
    name: str
    kind: str
    geojson: dict[str, Any]


@router.get("/map/layers", response=list[LayerOut], url_name="map_layers")
def layer_list(request: HttpRequest) -> QuerySet[Any]:
    """The layers the mission draws itself, as GeoJSON FeatureCollections."""
    return selectors.mission_layers()
