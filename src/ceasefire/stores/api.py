"""The stores API: seals, moves, counts and destructions of containers."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from ceasefire.core.access import request_user
from ceasefire.core.pagination import LimitOffset
from ceasefire.places.models import Place
from ceasefire.positions.api import by_code
from ceasefire.registry import selectors as registry
from ceasefire.stores import selectors, services
from ceasefire.stores.models import Container, ContainerCount, ContainerMove, Destruction, Seal

router = Router(tags=["stores"])


class ContainerOut(Schema):
    id: int
    number: str
    place: str
    seal: str | None

    @staticmethod
    def resolve_place(obj: Container) -> str:
        return obj.place.code

    @staticmethod
    def resolve_seal(obj: Container) -> str | None:
        intact = [seal.number for seal in obj.seals.all() if seal.broken_at is None]
        return intact[0] if intact else None


class WitnessIn(Schema):
    party: str
    name: str


class SealIn(Schema):
    number: str
    witnesses: list[WitnessIn]


class SealBreakIn(Schema):
    witnesses: list[WitnessIn]
    reason: str


class SealOut(Schema):
    number: str
    applied_at: datetime
    broken_at: datetime | None


class MoveIn(Schema):
    destination: str


class MoveOut(Schema):
    items: int
    moved_at: datetime
    log_index: int

    @staticmethod
    def resolve_log_index(obj: ContainerMove) -> int:
        return obj.entry_id


class CountIn(Schema):
    counted: int | None = None
    seal_found: str = ""
    seal_intact: bool


class CountOut(Schema):
    expected: int
    counted: int | None
    incident: int | None
    log_index: int

    @staticmethod
    def resolve_incident(obj: ContainerCount) -> int | None:
        return obj.incident_id

    @staticmethod
    def resolve_log_index(obj: ContainerCount) -> int:
        return obj.entry_id


class DestructionIn(Schema):
    place: str
    method: str
    witnesses: list[WitnessIn]
    container: int | None = None
    items: list[str] = []  # mission IDs
    media_hashes: list[str] = []


class DestructionOut(Schema):
    id: int
    certificate: str
    occurred_at: datetime
    log_index: int

    @staticmethod
    def resolve_log_index(obj: Destruction) -> int:
        return obj.entry_id


def _witnesses(given: list[WitnessIn]) -> list[services.Witness]:
    return [services.Witness(w.party, w.name) for w in given]


@router.get("/stores/containers", response=list[ContainerOut], url_name="stores_containers")
@paginate(LimitOffset)
def container_list(request: HttpRequest) -> QuerySet[Container]:
    return selectors.container_list(request_user(request))


@router.post(
    "/stores/containers/{container_id}/seal", response={201: SealOut}, url_name="stores_seal"
)
def seal_apply(request: HttpRequest, container_id: int, payload: SealIn) -> Status[Seal]:
    user = request_user(request)
    return Status(
        201,
        services.seal_apply(
            user=user,
            container=selectors.container_for_user(user, container_id),
            number=payload.number,
            witnesses=_witnesses(payload.witnesses),
        ),
    )


@router.post(
    "/stores/containers/{container_id}/seal/break",
    response=SealOut,
    url_name="stores_seal_break",
)
def seal_break(request: HttpRequest, container_id: int, payload: SealBreakIn) -> Seal:
    """Break the container's seal: storage officers only."""
    user = request_user(request)
    return services.seal_break(
        user=user,
        container=selectors.container_for_user(user, container_id),
        witnesses=_witnesses(payload.witnesses),
        reason=payload.reason,
    )


@router.post(
    "/stores/containers/{container_id}/moves", response={201: MoveOut}, url_name="stores_moves"
)
def container_move(
    request: HttpRequest, container_id: int, payload: MoveIn
) -> Status[ContainerMove]:
    """Move the container and every item in it."""
    user = request_user(request)
    return Status(
        201,
        services.container_move(
            user=user,
            container=selectors.container_for_user(user, container_id),
            destination=by_code(Place, payload.destination),
        ),
    )


@router.post(
    "/stores/containers/{container_id}/counts", response={201: CountOut}, url_name="stores_counts"
)
def container_count(
    request: HttpRequest, container_id: int, payload: CountIn
) -> Status[ContainerCount]:
    """Check the seal and, with `counted`, count the contents; a difference raises an incident."""
    user = request_user(request)
    return Status(
        201,
        services.container_count(
            user=user,
            container=selectors.container_for_user(user, container_id),
            counted=payload.counted,
            seal_found=payload.seal_found,
            seal_intact=payload.seal_intact,
        ),
    )


@router.post("/stores/destructions", response={201: DestructionOut}, url_name="stores_destructions")
def destruction_record(request: HttpRequest, payload: DestructionIn) -> Status[Destruction]:
    """Destroy a container's contents (`container`) or a list of items (`items`, mission IDs)."""
    user = request_user(request)
    return Status(
        201,
        services.destruction_record(
            user=user,
            place=by_code(Place, payload.place),
            method=payload.method,
            witnesses=_witnesses(payload.witnesses),
            container=(
                selectors.container_for_user(user, payload.container)
                if payload.container is not None
                else None
            ),
            items=[registry.item_by_mission_id(user, mission_id) for mission_id in payload.items],
            media_hashes=payload.media_hashes,
        ),
    )
