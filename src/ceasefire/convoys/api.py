from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from ceasefire.convoys import selectors, services
from ceasefire.convoys.models import Convoy, CrossingCount, MovementEvent, Notification
from ceasefire.core.access import request_user
from ceasefire.core.pagination import LimitOffset
from ceasefire.places.models import Place
from ceasefire.positions.api import by_code

router = Router(tags=["convoys"])


class LineSchema(Schema):
    item: str
    unit: str
    quantity: int


class LineOut(LineSchema):
    id: int
    received_good: int | None
    received_damaged: int | None
    lost: int


class ConvoyOut(Schema):
    id: int
    reference: str
    organisation: str
    origin: str
    destination: str
    route: list[str]
    vehicles: int
    planned_departure: datetime
    status: str
    departed_at: datetime | None
    closed_at: datetime | None
    unreconciled: bool
    lines: list[LineOut]

    @staticmethod
    def resolve_origin(obj: Convoy) -> str:
        return obj.origin.code

    @staticmethod
    def resolve_destination(obj: Convoy) -> str:
        return obj.destination.code

    @staticmethod
    def resolve_route(obj: Convoy) -> list[str]:
        return [place.code for place in selectors.route(obj)]

    @staticmethod
    def resolve_lines(obj: Convoy) -> list[object]:
        return list(selectors.lines(obj))


class ConvoyIn(Schema):
    reference: str
    organisation: str
    origin: str
    destination: str
    route: list[str]
    vehicles: int
    planned_departure: datetime
    lines: list[LineSchema]


class NotificationOut(Schema):
    party: str
    sent_at: datetime
    short_notice: bool
    acknowledged_at: datetime | None
    late_acknowledgement: bool

    @staticmethod
    def resolve_party(obj: Notification) -> str:
        return obj.party.code


class MovementIn(Schema):
    checkpoint: str
    kind: str
    occurred_at: datetime
    reason: str = ""
    held_minutes: int | None = None
    notes: str = ""


class MovementOut(Schema):
    kind: str
    checkpoint: str | None
    occurred_at: datetime
    reason: str
    held_minutes: int | None

    @staticmethod
    def resolve_checkpoint(obj: MovementEvent) -> str | None:
        return obj.checkpoint.code if obj.checkpoint else None


class DepartIn(Schema):
    departed_at: datetime


class ArrivalLine(Schema):
    line: int
    good: int
    damaged: int


class ArrivalIn(Schema):
    arrived_at: datetime
    lines: list[ArrivalLine]


class LossIn(Schema):
    line: int
    quantity: int
    reason: str


class CrossingIn(Schema):
    checkpoint: str
    day: date
    direction: str
    men: int
    women: int
    children: int
    elderly: int
    disabled: int
    vehicles: int


class CrossingOut(CrossingIn):
    # Only on the way out: a resolver on the input schema would hide the given value.
    @staticmethod
    def resolve_checkpoint(obj: CrossingCount) -> str:
        return obj.checkpoint.code


def _convoy(request: HttpRequest, reference: str) -> Convoy:
    return selectors.convoy_by_reference(request_user(request), reference)


@router.get("/convoys", response=list[ConvoyOut], url_name="convoys")
@paginate(LimitOffset)
def convoy_list(request: HttpRequest, status: str = "", flagged: bool = False) -> QuerySet[Convoy]:
    """Convoys; `flagged=true` lists those whose quantities do not add up."""
    return selectors.convoy_list(user=request_user(request), status=status, flagged=flagged)


@router.post("/convoys", response={201: ConvoyOut}, url_name="convoys")
def convoy_create(request: HttpRequest, payload: ConvoyIn) -> Status[Convoy]:
    """Record a planned convoy: route as checkpoint codes in order, lines in whole units."""
    user = request_user(request)
    convoy = services.convoy_create(
        reference=payload.reference,
        organisation=payload.organisation,
        origin=by_code(Place, payload.origin),
        destination=by_code(Place, payload.destination),
        route=[by_code(Place, code) for code in payload.route],
        vehicles=payload.vehicles,
        planned_departure=payload.planned_departure,
        lines=[services.LineIn(**line.model_dump()) for line in payload.lines],
        by=user,
    )
    return Status(201, selectors.convoy_for_user(user, convoy.pk))


@router.get("/convoys/{reference}", response=ConvoyOut, url_name="convoy")
def convoy_detail(request: HttpRequest, reference: str) -> Convoy:
    return _convoy(request, reference)


@router.get(
    "/convoys/{reference}/notifications",
    response=list[NotificationOut],
    url_name="convoy_notifications",
)
def notification_list(request: HttpRequest, reference: str) -> QuerySet[Notification]:
    return selectors.notifications(_convoy(request, reference))


@router.post(
    "/convoys/{reference}/notifications",
    response={201: list[NotificationOut]},
    url_name="convoy_notifications",
)
def convoy_notify(request: HttpRequest, reference: str) -> Status[list[Notification]]:
    """Notify every party not yet notified (in the app, and by email)."""
    return Status(
        201, services.convoy_notify(convoy=_convoy(request, reference), by=request_user(request))
    )


@router.post(
    "/convoys/{reference}/acknowledgement",
    response=NotificationOut,
    url_name="convoy_acknowledgement",
)
def convoy_acknowledge(request: HttpRequest, reference: str) -> Notification:
    """A liaison acknowledges the notification for their party."""
    return services.convoy_acknowledge(convoy=_convoy(request, reference), by=request_user(request))


@router.get(
    "/convoys/{reference}/movements", response=list[MovementOut], url_name="convoy_movements"
)
def movement_list(request: HttpRequest, reference: str) -> QuerySet[MovementEvent]:
    """Movements; shown to liaisons once the convoy has arrived or turned back."""
    user = request_user(request)
    return selectors.movements_for_user(user, selectors.convoy_by_reference(user, reference))


@router.post(
    "/convoys/{reference}/departure", response={201: MovementOut}, url_name="convoy_departure"
)
def convoy_depart(request: HttpRequest, reference: str, payload: DepartIn) -> Status[MovementEvent]:
    return Status(
        201,
        services.convoy_depart(
            convoy=_convoy(request, reference),
            departed_at=payload.departed_at,
            by=request_user(request),
        ),
    )


@router.post(
    "/convoys/{reference}/movements", response={201: MovementOut}, url_name="convoy_movements"
)
def movement_create(
    request: HttpRequest, reference: str, payload: MovementIn
) -> Status[MovementEvent]:
    """passed, inspected, held (reason, held_minutes) or turned_back (reason) at a checkpoint."""
    data = payload.model_dump()
    data["checkpoint"] = by_code(Place, payload.checkpoint)
    return Status(
        201,
        services.convoy_event_record(
            convoy=_convoy(request, reference), by=request_user(request), **data
        ),
    )


@router.post("/convoys/{reference}/arrival", response=ConvoyOut, url_name="convoy_arrival")
def convoy_arrive(request: HttpRequest, reference: str, payload: ArrivalIn) -> Convoy:
    """Quantities received good and damaged, for every manifest line (by id)."""
    user = request_user(request)
    convoy = services.convoy_arrive(
        convoy=_convoy(request, reference),
        arrived_at=payload.arrived_at,
        received={line.line: (line.good, line.damaged) for line in payload.lines},
        by=user,
    )
    return selectors.convoy_for_user(user, convoy.pk)


@router.post("/convoys/{reference}/losses", response={201: ConvoyOut}, url_name="convoy_losses")
def loss_create(request: HttpRequest, reference: str, payload: LossIn) -> Status[Convoy]:
    user = request_user(request)
    convoy = _convoy(request, reference)
    services.loss_report(
        line=selectors.line_of(convoy, payload.line),
        quantity=payload.quantity,
        reason=payload.reason,
        by=user,
    )
    return Status(201, selectors.convoy_for_user(user, convoy.pk))


@router.get("/crossings", response=list[CrossingOut], url_name="crossings")
@paginate(LimitOffset)
def crossing_list(
    request: HttpRequest,
    checkpoint: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[CrossingCount]:
    """Daily crossing counts (aggregates, never a person)."""
    return selectors.crossing_list(checkpoint=checkpoint, since=since, until=until)


@router.post("/crossings", response={201: CrossingOut}, url_name="crossings")
def crossing_create(request: HttpRequest, payload: CrossingIn) -> Status[CrossingCount]:
    data = payload.model_dump()
    data["checkpoint"] = by_code(Place, payload.checkpoint)
    return Status(201, services.crossing_record(by=request_user(request), **data))
