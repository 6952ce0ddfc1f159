"""Writes on containers, seals and destruction. Every item movement is a custody event of the
registry (`registry.services.custody_record`) naming the container or certificate; a batch (a
placement, a move, a destruction) writes one custody entry per item, then its header entry
listing their leaf hashes, all in one transaction. A count that differs from the records, or a
seal found broken or with another number, raises an incident."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.models import User
from ceasefire.accounts.roles import Role
from ceasefire.core.errors import Conflict, PermissionDenied, ValidationFailed
from ceasefire.core.services import iso_utc, not_in_future, save_valid
from ceasefire.incidents import services as incidents
from ceasefire.incidents.models import Incident
from ceasefire.ledger import services as ledger
from ceasefire.ledger.entries import JSONValue
from ceasefire.ledger.models import LogEntry
from ceasefire.places.models import Place
from ceasefire.registry import services as registry
from ceasefire.registry.models import CustodyEvent, Item
from ceasefire.stores import logtypes
from ceasefire.stores.models import (
    Container,
    ContainerCount,
    ContainerMove,
    Destruction,
    Placement,
    Seal,
)

STORE_KINDS = (Place.Kind.COLLECTION_POINT, Place.Kind.STORAGE_CENTRE)
# Custodians place items (a field officer at a cache too); only storage officers seal, break
# seals, move containers and destroy.
PLACERS = (Role.FIELD_OFFICER, Role.STORAGE_OFFICER)
STORAGE = (Role.STORAGE_OFFICER,)
# A header lists each item's leaf hash (47 bytes in JSON): this keeps it under 65,535 bytes.
MAX_BATCH = 1000
SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Witness:
    """A witness and the party they stand for (a party's code, or `mission`)."""

    party: str
    name: str

    def as_json(self) -> dict[str, JSONValue]:
        return {"party": self.party, "name": self.name}

    def __str__(self) -> str:
        return f"{self.name} ({self.party})"


def _require(user: User, roles: Sequence[str], message: str) -> None:
    if not user.has_role(*roles):
        raise PermissionDenied(message)


def _leaf(entry: LogEntry) -> str:
    return base64.b64encode(bytes(entry.leaf_hash)).decode()


def _moment(at: datetime | None, field: str) -> datetime:
    moment = at or timezone.now()
    if timezone.is_naive(moment):
        raise ValidationFailed(_("Give the time with its time zone."), field=field)
    not_in_future(moment, field=field)
    return moment


def container_label(container: Container) -> str:
    """How custody events name the container: records, so in no reader's language."""
    return f"container {container.number}"


def contents(container: Container) -> list[Item]:
    """The items in a container now."""
    placements = container.placements.filter(removed_at__isnull=True).select_related(
        "item__receipt__party"
    )
    return [placement.item for placement in placements.order_by("item_id")]


def intact_seal(container: Container) -> Seal | None:
    return container.seals.filter(broken_at__isnull=True).first()


def _clean_witnesses(witnesses: Sequence[Witness], items: Sequence[Item]) -> list[Witness]:
    """At least one witness, and one for each party whose items are concerned."""
    cleaned = [
        Witness(w.party.strip(), " ".join(w.name.split())) for w in witnesses if w.name.strip()
    ]
    if not cleaned:
        raise ValidationFailed(_("Name at least one witness."), field="witnesses")
    missing = sorted({i.receipt.party.code for i in items} - {w.party for w in cleaned})
    if missing:
        raise ValidationFailed(
            _("A witness from each party concerned is needed; none from %(parties)s.")
            % {"parties": ", ".join(missing)},
            field="witnesses",
        )
    return cleaned


@transaction.atomic
def container_create(*, user: User, place: Place, number: str = "") -> Container:
    """Take a container into use at a collection point or storage centre."""
    _require(user, STORAGE, _("Only storage officers take containers into use."))
    if place.kind not in STORE_KINDS:
        raise ValidationFailed(
            _("A container stands at a collection point or a storage centre."), field="place"
        )
    if place.lat_microdeg is None or place.lon_microdeg is None:
        raise ValidationFailed(
            _(
                "Record the coordinates of %(place)s first: incidents at a container are placed "
                "there."
            )
            % {"place": place.code},
            field="place",
        )
    number = number.strip() or f"CT-{Container.objects.count() + 1:04d}"
    if Container.objects.filter(number=number).exists():
        raise Conflict(_("Container %(number)s exists already.") % {"number": number})
    now = timezone.now()
    return save_valid(
        Container(
            number=number,
            place=place,
            created_at=now,
            created_by=user,
            entry=ledger.append(
                logtypes.CONTAINER.name,
                {
                    "container": number,
                    "place": place.code,
                    "created_at": iso_utc(now),
                    "recorded_by": user.get_username(),
                },
            ),
        )
    )


@transaction.atomic
def container_items_add(
    *, user: User, container: Container, items: Sequence[Item], at: datetime | None = None
) -> list[Placement]:
    """Place items into an unsealed container: a `stored` custody event for each."""
    _require(user, PLACERS, _("Only field and storage officers place items into containers."))
    at = _moment(at, "at")
    if not items:
        raise ValidationFailed(_("Choose at least one item."), field="items")
    if len(items) > MAX_BATCH:
        raise ValidationFailed(
            _("Too many items at once (the limit is %(count)s).") % {"count": MAX_BATCH},
            field="items",
        )
    Container.objects.select_for_update().filter(pk=container.pk).first()
    if intact_seal(container) is not None:
        raise Conflict(
            _("Container %(number)s is sealed; break the seal before adding items.")
            % {"number": container.number}
        )
    placed = Placement.objects.filter(item__in=items, removed_at__isnull=True).select_related(
        "item", "container"
    )
    for placement in placed:
        raise Conflict(
            _("Item %(item)s is already in container %(container)s.")
            % {"item": placement.item.mission_id, "container": placement.container.number},
            field="items",
        )
    leaves = []
    placements = []
    for item in items:
        event = registry.custody_record(
            user=user,
            item=item,
            kind=CustodyEvent.Kind.STORED,
            occurred_at=at,
            place=container.place,
            location=container_label(container),
        )
        leaves.append(_leaf(event.entry))
        placements.append(save_valid(Placement(container=container, item=item, placed_at=at)))
    ledger.append(
        logtypes.PLACEMENT.name,
        {
            "container": container.number,
            "items": list[JSONValue](leaves),
            "placed_at": iso_utc(at),
            "recorded_by": user.get_username(),
        },
    )
    return placements


def _seal_entry(
    *, user: User, container: Container, seal: str, action: str, at: datetime, **more: JSONValue
) -> LogEntry:
    fields: dict[str, JSONValue] = {
        "container": container.number,
        "seal": seal,
        "action": action,
        "at": iso_utc(at),
        "items": [item.entry_id for item in contents(container)],
        "recorded_by": user.get_username(),
    }
    return ledger.append(logtypes.SEAL.name, fields | more)


@transaction.atomic
def seal_apply(
    *,
    user: User,
    container: Container,
    number: str,
    witnesses: Sequence[Witness],
    at: datetime | None = None,
) -> Seal:
    """Seal a container with a numbered seal, before a witness of each party concerned."""
    _require(user, STORAGE, _("Only storage officers apply seals."))
    at = _moment(at, "at")
    number = " ".join(number.split())
    if not number:
        raise ValidationFailed(_("Give the seal number."), field="number")
    Container.objects.select_for_update().filter(pk=container.pk).first()
    if intact_seal(container) is not None:
        raise Conflict(_("Container %(number)s is already sealed.") % {"number": container.number})
    if Seal.objects.filter(number=number).exists():
        raise Conflict(_("Seal %(number)s was used before.") % {"number": number}, field="number")
    cleaned = _clean_witnesses(witnesses, contents(container))
    return save_valid(
        Seal(
            container=container,
            number=number,
            applied_at=at,
            applied_by=user,
            applied_witnesses=[w.as_json() for w in cleaned],
            applied_entry=_seal_entry(
                user=user,
                container=container,
                seal=number,
                action="applied",
                at=at,
                witnesses=[w.as_json() for w in cleaned],
            ),
        )
    )


@transaction.atomic
def seal_break(
    *,
    user: User,
    container: Container,
    witnesses: Sequence[Witness],
    reason: str,
    at: datetime | None = None,
) -> Seal:
    """Break a container's seal, before a witness of each party concerned. Storage officers
    only: anyone else is refused."""
    _require(user, STORAGE, _("Only storage officers break seals."))
    at = _moment(at, "at")
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Say why the seal is broken."), field="reason")
    Container.objects.select_for_update().filter(pk=container.pk).first()
    seal = intact_seal(container)
    if seal is None:
        raise Conflict(_("Container %(number)s is not sealed.") % {"number": container.number})
    if at < seal.applied_at:
        raise ValidationFailed(_("This is before the seal was applied."), field="at")
    cleaned = _clean_witnesses(witnesses, contents(container))
    seal.broken_at, seal.broken_by, seal.broken_reason = at, user, reason
    seal.broken_witnesses = [w.as_json() for w in cleaned]
    seal.broken_entry = _seal_entry(
        user=user,
        container=container,
        seal=seal.number,
        action="broken",
        at=at,
        reason=reason,
        witnesses=[w.as_json() for w in cleaned],
    )
    return save_valid(seal)


@transaction.atomic
def container_move(
    *, user: User, container: Container, destination: Place, at: datetime | None = None
) -> ContainerMove:
    """Move a container and every item in it: one `transported` custody entry per item, then
    the move's header listing their leaf hashes."""
    _require(user, STORAGE, _("Only storage officers move containers."))
    at = _moment(at, "at")
    if destination.kind not in STORE_KINDS:
        raise ValidationFailed(
            _("A container goes to a collection point or a storage centre."), field="destination"
        )
    if destination.lat_microdeg is None or destination.lon_microdeg is None:
        raise ValidationFailed(
            _("Record the coordinates of %(place)s first.") % {"place": destination.code},
            field="destination",
        )
    Container.objects.select_for_update().filter(pk=container.pk).first()
    container.refresh_from_db()
    if destination == container.place:
        raise ValidationFailed(
            _("Container %(number)s is already at %(place)s.")
            % {"number": container.number, "place": destination.code},
            field="destination",
        )
    items = contents(container)
    leaves = [
        _leaf(
            registry.custody_record(
                user=user,
                item=item,
                kind=CustodyEvent.Kind.TRANSPORTED,
                occurred_at=at,
                place=destination,
                location=container_label(container),
            ).entry
        )
        for item in items
    ]
    origin = container.place
    move = save_valid(
        ContainerMove(
            container=container,
            origin=origin,
            destination=destination,
            moved_at=at,
            moved_by=user,
            items=len(items),
            entry=ledger.append(
                logtypes.MOVE.name,
                {
                    "container": container.number,
                    "origin": origin.code,
                    "destination": destination.code,
                    "moved_at": iso_utc(at),
                    "items": list[JSONValue](leaves),
                    "recorded_by": user.get_username(),
                },
            ),
        )
    )
    container.place = destination
    container.save(update_fields=["place"])
    return move


@transaction.atomic
def container_count(
    *,
    user: User,
    container: Container,
    counted: int | None,
    seal_found: str,
    seal_intact: bool,
    at: datetime | None = None,
) -> ContainerCount:
    """Record a check of a container's seal and, unless `counted` is None, a count of its
    contents. When the count differs from the records, or the seal is broken or bears another
    number, an incident is raised."""
    _require(user, PLACERS, _("Only field and storage officers count containers."))
    at = _moment(at, "at")
    if counted is not None and counted < 0:
        raise ValidationFailed(_("A count cannot be negative."), field="counted")
    seal_found = " ".join(seal_found.split())
    Container.objects.select_for_update().filter(pk=container.pk).first()
    expected = len(contents(container))
    seal = intact_seal(container)
    seal_expected = seal.number if seal else ""
    problems = []
    if counted is not None and counted != expected:
        problems.append(
            _("Items counted: %(counted)s; in the records: %(expected)s.")
            % {"counted": counted, "expected": expected}
        )
    if seal is not None and not seal_intact:
        problems.append(_("Seal %(number)s was found broken.") % {"number": seal.number})
    if seal_found != seal_expected:
        problems.append(
            _("The seal found bears %(found)s where the records have %(expected)s.")
            % {"found": seal_found or "—", "expected": seal_expected or "—"}
        )
    incident: Incident | None = None
    if problems:
        incident = incidents.incident_report(
            occurred_at=at,
            kind=Incident.Kind.OTHER,
            place=container.place,
            location=container_label(container),
            description=" ".join(problems),
            source=_("Container count by %(user)s") % {"user": user.get_username()},
            by=user,
        )
    return save_valid(
        ContainerCount(
            container=container,
            counted_at=at,
            counted_by=user,
            expected=expected,
            counted=counted,
            seal_expected=seal_expected,
            seal_found=seal_found,
            seal_intact=seal_intact,
            incident=incident,
            entry=ledger.append(
                logtypes.COUNT.name,
                {
                    "container": container.number,
                    "counted_at": iso_utc(at),
                    "expected": expected,
                    "counted": counted,
                    "seal_expected": seal_expected,
                    "seal_found": seal_found,
                    "seal_intact": seal_intact,
                    "incident": incident.pk if incident else None,
                    "recorded_by": user.get_username(),
                },
            ),
        )
    )


@transaction.atomic
def destruction_record(
    *,
    user: User,
    place: Place,
    method: str,
    witnesses: Sequence[Witness],
    items: Sequence[Item] = (),
    container: Container | None = None,
    media_hashes: Sequence[str] = (),
    at: datetime | None = None,
) -> Destruction:
    """Destroy many items at once (a container's contents or a list): a `destroyed` custody
    event for each, which ends its custody and counts it as destroyed in the public totals."""
    _require(user, STORAGE, _("Only storage officers record destructions."))
    at = _moment(at, "at")
    if method not in Destruction.Method.values:
        raise ValidationFailed(
            _("The method is one of: %(choices)s.")
            % {"choices": ", ".join(str(label) for label in Destruction.Method.labels)},
            field="method",
        )
    hashes = [h.strip().lower() for h in media_hashes if h.strip()]
    if any(not SHA256_HEX.fullmatch(h) for h in hashes):
        raise ValidationFailed(
            _("Each photo or video is given by its SHA-256, 64 hexadecimal characters."),
            field="media_hashes",
        )
    if (container is None) == (not items):
        raise ValidationFailed(
            _("Destroy either a container's contents or a list of items."), field="items"
        )
    if container is not None:
        Container.objects.select_for_update().filter(pk=container.pk).first()
        items = contents(container)
        if not items:
            raise ValidationFailed(
                _("Container %(number)s is empty.") % {"number": container.number},
                field="container",
            )
    if len(items) > MAX_BATCH:
        raise ValidationFailed(
            _("Too many items at once (the limit is %(count)s).") % {"count": MAX_BATCH},
            field="items",
        )
    open_placements = Placement.objects.filter(item__in=items, removed_at__isnull=True)
    for placement in open_placements.select_related("container"):
        if intact_seal(placement.container) is not None:
            raise Conflict(
                _("Container %(number)s is sealed; break its seal before the destruction.")
                % {"number": placement.container.number}
            )
    cleaned = _clean_witnesses(witnesses, items)
    certificate = f"DC-{Destruction.objects.count() + 1:04d}"
    method_label = str(Destruction.Method(method).label)
    leaves = [
        _leaf(
            registry.custody_record(
                user=user,
                item=item,
                kind=CustodyEvent.Kind.DESTROYED,
                occurred_at=at,
                place=place,
                method=method_label,
                certificate=certificate,
                witnesses=[str(w) for w in cleaned],
            ).entry
        )
        for item in items
    ]
    open_placements.update(removed_at=at)
    destruction = save_valid(
        Destruction(
            certificate=certificate,
            occurred_at=at,
            place=place,
            method=method,
            witnesses=[w.as_json() for w in cleaned],
            media_hashes=hashes,
            recorded_by=user,
            entry=ledger.append(
                logtypes.DESTRUCTION.name,
                {
                    "certificate": certificate,
                    "date": registry.local_day(at),
                    "place": place.code,
                    "method": method,
                    "items": list[JSONValue](leaves),
                    "media": list[JSONValue](hashes),
                    "occurred_at": iso_utc(at),
                    "witnesses": [w.as_json() for w in cleaned],
                    "recorded_by": user.get_username(),
                },
            ),
        )
    )
    destruction.items.set(items)
    return destruction
