"""Writes on arms caches. The location is appended under delayed disclosure
(`release_key=cache:<id>`): sealed in the log until `cache_clear` publishes its openings. Contents
found go into the registry through its services, on a receipt of their own, with custody
starting at the cache (a `collected` event whose sealed location names it); then they are
destroyed on site or placed into a container."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.models import Party, User
from ceasefire.accounts.roles import Role
from ceasefire.caches import logtypes
from ceasefire.caches.models import Cache, Find, Visit
from ceasefire.core.errors import Conflict, PermissionDenied, ValidationFailed
from ceasefire.core.services import iso_utc, not_in_future, save_valid
from ceasefire.ledger import services as ledger
from ceasefire.ledger.entries import JSONValue
from ceasefire.places.models import Place
from ceasefire.registry import services as registry
from ceasefire.registry.models import CustodyEvent
from ceasefire.registry.services import HandoverIn, LineIn
from ceasefire.stores import services as stores
from ceasefire.stores.models import Container

RECORDERS = (Role.FIELD_OFFICER,)


def _require_field(user: User) -> None:
    if not user.has_role(*RECORDERS):
        raise PermissionDenied(_("Only field officers record arms caches."))


@transaction.atomic
def cache_report(
    *,
    user: User,
    origin: str,
    lat_microdeg: int,
    lon_microdeg: int,
    reported_at: datetime,
    party: Party | None = None,
    description: str = "",
) -> Cache:
    """Record a cache a party reported or the mission found. Its location enters the log
    sealed, to be opened when the cache is cleared."""
    _require_field(user)
    if origin not in Cache.Origin.values:
        raise ValidationFailed(_("A cache is reported by a party or found."), field="origin")
    if origin == Cache.Origin.REPORTED and party is None:
        raise ValidationFailed(_("Name the party that reported the cache."), field="party")
    not_in_future(reported_at, field="reported_at")
    number = f"AC-{Cache.objects.count() + 1:03d}"
    description = description.strip()
    cache = Cache(
        number=number,
        origin=origin,
        party=party,
        lat_microdeg=lat_microdeg,
        lon_microdeg=lon_microdeg,
        description=description,
        reported_at=reported_at,
        recorded_by=user,
    )
    fields: dict[str, JSONValue] = {
        "cache": number,
        "origin": origin,
        "party": party.code if party else None,
        "reported_at": iso_utc(reported_at),
        "description": description,
        "recorded_by": user.get_username(),
    }
    cache.entry = ledger.append(logtypes.CACHE.name, fields)
    save_valid(cache)
    ledger.append(
        logtypes.LOCATION.name,
        {"cache": number, "lat": lat_microdeg, "lon": lon_microdeg},
        release_key=cache.release_key,
    )
    return cache


def _open(cache: Cache) -> Cache:
    locked = Cache.objects.select_for_update().get(pk=cache.pk)
    if locked.status == Cache.Status.CLEARED:
        raise Conflict(_("Cache %(number)s is cleared already.") % {"number": cache.number})
    return locked


@transaction.atomic
def cache_visit(*, user: User, cache: Cache, visited_at: datetime, findings: str) -> Visit:
    """Record a verification visit; the cache is verified from then on."""
    _require_field(user)
    findings = findings.strip()
    if not findings:
        raise ValidationFailed(_("Say what the visit found."), field="findings")
    not_in_future(visited_at, field="visited_at")
    cache = _open(cache)
    if visited_at < cache.reported_at:
        raise ValidationFailed(_("This is before the cache was reported."), field="visited_at")
    visit = save_valid(
        Visit(
            cache=cache,
            visited_at=visited_at,
            findings=findings,
            visited_by=user,
            entry=ledger.append(
                logtypes.VISIT.name,
                {
                    "cache": cache.number,
                    "visited_at": iso_utc(visited_at),
                    "findings": findings,
                    "visited_by": user.get_username(),
                },
            ),
        )
    )
    cache.status = Cache.Status.VERIFIED
    cache.save(update_fields=["status"])
    return visit


@transaction.atomic
def cache_contents_record(
    *,
    user: User,
    cache: Cache,
    lines: Sequence[LineIn],
    collection_point: Place,
    found_at: datetime,
    witnesses: Sequence[str],
    destroy_method: str = "",
    container: Container | None = None,
) -> Find:
    """Enter what a cache held into the registry (custody starting at the cache), then either
    destroy it on site (`destroy_method`) or extract it into `container`."""
    _require_field(user)
    cache = _open(cache)
    if cache.status != Cache.Status.VERIFIED:
        raise Conflict(_("Record a verification visit to the cache first."))
    if bool(destroy_method.strip()) == (container is not None):
        raise ValidationFailed(
            _("Either give the method of destruction on site or choose a container."),
            field="destroy_method",
        )
    if cache.party is None:
        raise ValidationFailed(
            _("Attribute the cache to a party before entering its contents."), field="party"
        )
    names = [" ".join(w.split()) for w in witnesses if w.strip()]
    if not names:
        raise ValidationFailed(_("Name at least one witness."), field="witnesses")
    receipt = registry.receipt_create(
        user=user,
        header=HandoverIn(
            collection_point=collection_point,
            received_at=found_at,
            party=cache.party,
            # Records, so in no reader's language; the reconciliation shows it as a unit.
            unit=f"Arms cache {cache.number}",
            received_by=user,
            witnesses=tuple(names),
        ),
        lines=lines,
    )
    at_cache = f"arms cache {cache.number}"
    items = list(receipt.items.order_by("line"))
    last = []
    for item in items:
        collected = registry.custody_record(
            user=user,
            item=item,
            kind=CustodyEvent.Kind.COLLECTED,
            occurred_at=found_at,
            location=at_cache,
            witnesses=names,
        )
        if container is None:
            collected = registry.custody_record(
                user=user,
                item=item,
                kind=CustodyEvent.Kind.DESTROYED,
                occurred_at=found_at,
                location=at_cache,
                method=destroy_method.strip(),
                witnesses=names,
            )
        last.append(collected.entry)
    if container is not None:
        placements = stores.container_items_add(user=user, container=container, items=items)
        last = [
            item.custody_events.order_by("-occurred_at", "-pk")[0].entry
            for item in (p.item for p in placements)
        ]
    disposition = Find.Disposition.EXTRACTED if container else Find.Disposition.DESTROYED
    fields: dict[str, JSONValue] = {
        "cache": cache.number,
        "receipt": receipt.number,
        "disposition": disposition,
        "container": container.number if container else None,
        "items": [base64.b64encode(bytes(entry.leaf_hash)).decode() for entry in last],
        "witnesses": list[JSONValue](names),
    }
    if container is None:
        fields["method"] = destroy_method.strip()
    return save_valid(
        Find(
            cache=cache,
            receipt=receipt,
            disposition=disposition,
            method=destroy_method.strip(),
            witnesses=names,
            container=container,
            entry=ledger.append(logtypes.FIND.name, fields),
        )
    )


@transaction.atomic
def cache_clear(*, user: User, cache: Cache) -> Cache:
    """Declare a cache cleared and publish the openings of its location."""
    _require_field(user)
    cache = _open(cache)
    if cache.status != Cache.Status.VERIFIED:
        raise Conflict(_("A cache is verified on a visit before it is cleared."))
    ledger.append(
        logtypes.STATUS.name,
        {"cache": cache.number, "status": Cache.Status.CLEARED, "at": iso_utc(timezone.now())},
    )
    ledger.release(cache.release_key)
    cache.status = Cache.Status.CLEARED
    cache.save(update_fields=["status"])
    return cache
