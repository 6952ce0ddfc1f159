"""Each shipped form wired to the service of the domain app that records it: the same services
as the web forms, so validation, the record and its log entry are exactly theirs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ceasefire.accounts.models import Party
from ceasefire.caches import services as caches
from ceasefire.caches.models import Cache
from ceasefire.convoys import services as convoys
from ceasefire.convoys.models import Convoy
from ceasefire.core import rows
from ceasefire.core.errors import ValidationFailed
from ceasefire.fieldsync.instance import Node
from ceasefire.fieldsync.registry import Incoming, Recorded, handles
from ceasefire.incidents import services as incidents
from ceasefire.people import services as people
from ceasefire.people.models import Screening
from ceasefire.places.models import Place
from ceasefire.positions import services as positions
from ceasefire.positions.models import Position
from ceasefire.registry import selectors as registry_selectors
from ceasefire.registry import services as registry
from ceasefire.registry.models import Item, Receipt, ReferenceWeapon
from ceasefire.stores import services as stores
from ceasefire.stores.models import Container

MICRODEGREES = Decimal(1_000_000)


def moment(node: Node, name: str) -> datetime:
    try:
        value = parse_datetime(node.text(name))
    except ValueError:  # well formed but impossible, e.g. 31 February
        value = None
    if value is None:
        raise ValidationFailed(_("%(field)s is not a date and time.") % {"field": name}, field=name)
    return value


def day(node: Node, name: str) -> date:
    try:
        value = parse_date(node.text(name))
    except ValueError:
        value = None
    if value is None:
        raise ValidationFailed(_("%(field)s is not a date.") % {"field": name}, field=name)
    return value


def number(node: Node, name: str) -> int | None:
    text = node.text(name)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationFailed(
            _("%(field)s is not a whole number.") % {"field": name}, field=name
        ) from None


def lines(node: Node, name: str) -> list[str]:
    return [line.strip() for line in node.text(name).splitlines() if line.strip()]


def geopoint(node: Node, name: str) -> tuple[int | None, int | None]:
    """ODK's `lat lon altitude accuracy`, as integer microdegrees."""
    parts = node.text(name).split()
    if len(parts) < 2:
        return None, None
    try:
        lat, lon = (int((Decimal(p) * MICRODEGREES).to_integral_value()) for p in parts[:2])
    except InvalidOperation:
        raise ValidationFailed(_("The location is not valid."), field=name) from None
    return lat, lon


def place(node: Node, name: str) -> Place | None:
    code = node.text(name)
    if not code:
        return None
    found = rows.columns(Place).get_by("code", code)
    if found is None:
        raise ValidationFailed(_("There is no place %(code)s.") % {"code": code}, field=name)
    return found


def party(node: Node, name: str) -> Party | None:
    code = node.text(name)
    if not code:
        return None
    found = rows.columns(Party).get_by("code", code)
    if found is None:
        raise ValidationFailed(_("There is no party %(code)s.") % {"code": code}, field=name)
    return found


def required(value: Place | None, name: str) -> Place:
    if value is None:
        raise ValidationFailed(_("%(field)s is missing.") % {"field": name}, field=name)
    return value


@handles("weapon_handover")
def weapon_handover(incoming: Incoming) -> Recorded:
    data = incoming.instance
    header, problems = registry.Resolver().header(
        collection_point=data.text("collection_point"),
        received_at=parse_datetime(data.text("received_at")),
        party=data.text("party"),
        unit=data.text("unit"),
        received_by=incoming.user.username,
        witnesses=lines(data, "witnesses"),
        handed_over_by=data.text("handed_over_by"),
        notes=data.text("notes"),
    )
    if header is None:
        raise ValidationFailed(registry.first_problem(problems), fields=problems)
    items = []
    for item in data.all("item"):
        make, model, calibre = item.text("make"), item.text("model"), item.text("calibre")
        chosen = item.text("weapon")
        reference = (
            ReferenceWeapon.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        )
        if reference is not None:
            make, model, calibre = reference.make, reference.model, calibre or reference.calibre
        photo = incoming.file(item.text("markings_photo"))
        items.append(
            registry.LineIn(
                kind=item.text("kind") or Item.Kind.WEAPON,
                category=item.text("category"),
                make=make,
                model=model,
                calibre=calibre,
                serial=item.text("serial"),
                country=item.text("country"),
                year=number(item, "year"),
                markings=item.text("markings"),
                markings_location=item.text("markings_location"),
                condition=item.text("condition"),
                lot_number=item.text("lot_number"),
                headstamp=item.text("headstamp"),
                quantity=number(item, "quantity"),
                unlisted=item.text("kind") != Item.Kind.LOT and reference is None,
                photos=(photo,) if photo else (),
            )
        )
    photo = incoming.file(data.text("photo"))
    receipt = registry.receipt_create(
        user=incoming.user, header=header, lines=items, photos=[photo] if photo else []
    )
    return Recorded(
        f"registry.receipt:{receipt.pk}",
        _("Handover recorded: receipt %(number)s.") % {"number": receipt.number},
    )


@handles("custody_event")
def custody_event(incoming: Incoming) -> Recorded:
    data = incoming.instance
    item = registry_selectors.item_by_mission_id(incoming.user, data.text("mission_id"))
    event = registry.custody_record(
        user=incoming.user,
        item=item,
        kind=data.text("kind"),
        occurred_at=moment(data, "occurred_at"),
        place=place(data, "place"),
        location=data.text("location"),
        method=data.text("method"),
        certificate=data.text("certificate"),
        witnesses=lines(data, "witnesses"),
        notes=data.text("notes"),
    )
    return Recorded(
        f"registry.custody:{event.pk}",
        _("Custody event recorded for %(item)s.") % {"item": item.mission_id},
    )


@handles("position_visit")
def position_visit(incoming: Incoming) -> Recorded:
    data = incoming.instance
    code = data.text("position")
    position = Position.objects.filter(code=code).first()
    if position is None:
        raise ValidationFailed(
            _("There is no position %(code)s.") % {"code": code}, field="position"
        )
    event = positions.position_event_record(
        position=position,
        kind=data.text("kind"),
        occurred_at=moment(data, "occurred_at"),
        by=incoming.user,
        verified_by=data.text("verified_by"),
        unit=data.text("unit"),
        finding=data.text("finding"),
        notes=data.text("notes"),
    )
    return Recorded(
        f"positions.event:{event.pk}",
        _("Recorded for position %(code)s.") % {"code": position.code},
    )


@handles("convoy_checkpoint")
def convoy_checkpoint(incoming: Incoming) -> Recorded:
    data = incoming.instance
    reference = data.text("convoy")
    convoy = Convoy.objects.filter(reference=reference).first()
    if convoy is None:
        raise ValidationFailed(
            _("There is no convoy %(reference)s.") % {"reference": reference}, field="convoy"
        )
    event = convoys.convoy_event_record(
        convoy=convoy,
        checkpoint=required(place(data, "checkpoint"), "checkpoint"),
        kind=data.text("kind"),
        occurred_at=moment(data, "occurred_at"),
        by=incoming.user,
        reason=data.text("reason"),
        held_minutes=number(data, "held_minutes"),
        notes=data.text("notes"),
    )
    return Recorded(
        f"convoys.event:{event.pk}",
        _("Recorded for convoy %(reference)s.") % {"reference": convoy.reference},
    )


@handles("corridor_crossings")
def corridor_crossings(incoming: Incoming) -> Recorded:
    data = incoming.instance
    counts = {name: number(data, name) or 0 for name in ("men", "women", "children", "elderly")}
    count = convoys.crossing_record(
        checkpoint=required(place(data, "checkpoint"), "checkpoint"),
        day=day(data, "day"),
        direction=data.text("direction"),
        disabled=number(data, "disabled") or 0,
        vehicles=number(data, "vehicles") or 0,
        by=incoming.user,
        **counts,
    )
    return Recorded(f"convoys.crossing:{count.pk}", _("Crossing counts recorded."))


@handles("incident_report")
def incident_report(incoming: Incoming) -> Recorded:
    data = incoming.instance
    lat, lon = geopoint(data, "location")
    incident = incidents.incident_report(
        occurred_at=moment(data, "occurred_at"),
        kind=data.text("kind"),
        description=data.text("description"),
        source=data.text("source"),
        by=incoming.user,
        place=place(data, "place"),
        lat_microdeg=lat,
        lon_microdeg=lon,
        location=data.text("location_text"),
        alleged_party=party(data, "alleged_party"),
    )
    for name in ("photo1", "photo2"):
        photo = incoming.file(data.text(name))
        if photo is not None:
            incidents.evidence_add(
                incident=incident, upload=photo, original_name=photo.name or "", by=incoming.user
            )
    return Recorded(
        f"incidents.incident:{incident.pk}",
        _("Incident report recorded (number %(number)s).") % {"number": incident.pk},
    )


@handles("demobilization_registration")
def demobilization_registration(incoming: Incoming) -> Recorded:
    data = incoming.instance
    number = data.text("receipt")
    receipt = Receipt.objects.filter(number=number).first() if number else None
    if number and receipt is None:
        raise ValidationFailed(
            _("There is no receipt %(number)s.") % {"number": number}, field="receipt"
        )
    person = people.person_register(
        user=incoming.user,
        person=people.PersonIn(
            name=data.text("full_name"),
            # Missing: the service says what to enter.
            birth_date=day(data, "birth_date") if data.text("birth_date") else None,
            party=party(data, "party"),
            other_names=data.text("other_names"),
            origin=data.text("origin"),
            unit=data.text("unit"),
            rank=data.text("rank"),
            contact=data.text("contact"),
            screening=data.text("screening") or Screening.PENDING,
            screening_notes=data.text("screening_notes"),
        ),
        receipts=[receipt] if receipt else [],
        photo=incoming.file(data.text("photo")),
    )
    # The reference only: what Collect shows must name no one.
    return Recorded(
        f"people.person:{person.pk}",
        _("Registration recorded: %(reference)s.") % {"reference": person.reference},
    )


def _container_check(incoming: Incoming, counted: int | None) -> Recorded:
    data = incoming.instance
    number = data.text("container")
    container = Container.objects.filter(number=number).first()
    if container is None:
        raise ValidationFailed(
            _("There is no container %(number)s.") % {"number": number}, field="container"
        )
    check = stores.container_count(
        user=incoming.user,
        container=container,
        counted=counted,
        seal_found=data.text("seal_found"),
        seal_intact=data.text("seal_intact") == "yes",
        at=moment(data, "occurred_at"),
    )
    if check.incident is not None:
        message = _("Recorded for container %(number)s; incident %(incident)s raised.") % {
            "number": number,
            "incident": check.incident,
        }
    else:
        message = _("Recorded for container %(number)s.") % {"number": number}
    return Recorded(f"stores.count:{check.pk}", message)


@handles("seal_check")
def seal_check(incoming: Incoming) -> Recorded:
    return _container_check(incoming, None)


@handles("container_count")
def container_count(incoming: Incoming) -> Recorded:
    counted = number(incoming.instance, "counted")
    if counted is None:
        raise ValidationFailed(_("Give the number of items counted."), field="counted")
    return _container_check(incoming, counted)


@handles("cache_visit")
def cache_visit(incoming: Incoming) -> Recorded:
    data = incoming.instance
    code = data.text("cache")
    cache = Cache.objects.filter(number=code).first()
    if cache is None:
        raise ValidationFailed(
            _("There is no arms cache %(number)s.") % {"number": code}, field="cache"
        )
    visit = caches.cache_visit(
        user=incoming.user,
        cache=cache,
        visited_at=moment(data, "visited_at"),
        findings=data.text("findings"),
    )
    return Recorded(
        f"caches.visit:{visit.pk}", _("Visit recorded for cache %(number)s.") % {"number": code}
    )
