"""Writes on incidents: report, verification steps, evidence. Each appends its log entry in the
same transaction."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.models import Party, User
from ceasefire.core.errors import Conflict, TooLarge, ValidationFailed
from ceasefire.core.services import iso_utc, not_in_future, save_valid
from ceasefire.incidents import logtypes
from ceasefire.incidents.models import Evidence, Incident, Verification, VerificationUpdate
from ceasefire.ledger import services as ledger
from ceasefire.places.models import Place

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024

# What each verification status may become. A duplicate stays one.
NEXT_STATUS: dict[str, frozenset[str]] = {
    Verification.REPORTED: frozenset(
        {Verification.UNDER_VERIFICATION, Verification.NOT_CONFIRMED, Verification.DUPLICATE}
    ),
    Verification.UNDER_VERIFICATION: frozenset(
        {Verification.CONFIRMED, Verification.NOT_CONFIRMED, Verification.DUPLICATE}
    ),
    Verification.CONFIRMED: frozenset({Verification.UNDER_VERIFICATION}),
    Verification.NOT_CONFIRMED: frozenset({Verification.UNDER_VERIFICATION}),
    Verification.DUPLICATE: frozenset(),
}

# Recognised by their first bytes, not by the name or type the uploader's browser claims.
SIGNATURES: list[tuple[bytes, str, str, str]] = [
    (b"\xff\xd8\xff", "image/jpeg", ".jpg", Evidence.Kind.PHOTO),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png", Evidence.Kind.PHOTO),
    (b"%PDF-", "application/pdf", ".pdf", Evidence.Kind.DOCUMENT),
]


@transaction.atomic
def incident_report(
    *,
    occurred_at: datetime,
    kind: str,
    description: str,
    source: str,
    by: User,
    place: Place | None = None,
    lat_microdeg: int | None = None,
    lon_microdeg: int | None = None,
    location: str = "",
    alleged_party: Party | None = None,
) -> Incident:
    """Record a reported incident. Without coordinates, the place's are used."""
    not_in_future(occurred_at, field="occurred_at")
    if lat_microdeg is None or lon_microdeg is None:
        if place is None or place.lat_microdeg is None or place.lon_microdeg is None:
            raise ValidationFailed(
                _("Give the coordinates, or a place whose coordinates are recorded."),
                field="lat_microdeg",
            )
        lat_microdeg, lon_microdeg = place.lat_microdeg, place.lon_microdeg
    incident = save_valid(
        Incident(
            occurred_at=occurred_at,
            kind=kind,
            place=place,
            lat_microdeg=lat_microdeg,
            lon_microdeg=lon_microdeg,
            location=location.strip(),
            description=description.strip(),
            source=source.strip(),
            alleged_party=alleged_party,
            recorded_by=by,
        )
    )
    entry = ledger.append(
        logtypes.REPORT.name,
        {
            "incident": incident.pk,
            "occurred_at": iso_utc(occurred_at),
            "kind": incident.kind,
            "lat": incident.lat_microdeg,
            "lon": incident.lon_microdeg,
            "place": place.code if place else None,
            "alleged_party": alleged_party.code if alleged_party else None,
            "description": incident.description,
            "source": incident.source,
        },
    )
    incident.log_index = entry.index
    incident.save(update_fields=["log_index"])
    return incident


@transaction.atomic
def incident_verify(
    *,
    incident: Incident,
    status: str,
    by: User,
    note: str = "",
    duplicate_of: Incident | None = None,
) -> VerificationUpdate:
    """Move an incident's verification on. Refused when the step is impossible (a duplicate is
    final; nothing is confirmed before it is under verification)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if status not in Verification.values:
        raise ValidationFailed(_("Unknown verification status."), field="status")
    if status not in NEXT_STATUS[incident.verification]:
        raise Conflict(
            _("An incident that is %(current)s cannot become %(status)s.")
            % {
                "current": Verification(incident.verification).label.lower(),
                "status": Verification(status).label.lower(),
            },
            field="status",
        )
    if (status == Verification.DUPLICATE) != (duplicate_of is not None):
        raise ValidationFailed(
            _("Name the incident this one repeats, and only for a duplicate."),
            field="duplicate_of",
        )
    if duplicate_of is not None:
        if duplicate_of.pk == incident.pk:
            raise ValidationFailed(_("An incident cannot repeat itself."), field="duplicate_of")
        if duplicate_of.verification == Verification.DUPLICATE:
            raise ValidationFailed(
                _("%(other)s is itself a duplicate; name the incident it repeats.")
                % {"other": duplicate_of},
                field="duplicate_of",
            )
    now = timezone.now()
    update = save_valid(
        VerificationUpdate(
            incident=incident, status=status, note=note.strip(), changed_at=now, changed_by=by
        )
    )
    incident.verification, incident.duplicate_of = status, duplicate_of
    incident.save(update_fields=["verification", "duplicate_of"])
    entry = ledger.append(
        logtypes.VERIFICATION.name,
        {
            "incident": incident.pk,
            "status": status,
            "duplicate_of": duplicate_of.pk if duplicate_of else None,
            "changed_at": iso_utc(now),
            "note": update.note,
        },
    )
    update.log_index = entry.index
    update.save(update_fields=["log_index"])
    return update


def _read_checked(upload: IO[bytes]) -> tuple[bytes, str, str, str]:
    data = upload.read(EVIDENCE_MAX_BYTES + 1)
    if len(data) > EVIDENCE_MAX_BYTES:
        raise TooLarge(
            _("The file is larger than %(size)s MB.") % {"size": EVIDENCE_MAX_BYTES // 2**20},
            field="file",
        )
    if not data:
        raise ValidationFailed(_("The file is empty."), field="file")
    for magic, content_type, extension, kind in SIGNATURES:
        if data.startswith(magic):
            return data, content_type, extension, kind
    raise ValidationFailed(
        _("Attach a photo (JPEG or PNG) or a PDF document; this file is neither."), field="file"
    )


@transaction.atomic
def evidence_add(
    *, incident: Incident, upload: IO[bytes], original_name: str, by: User
) -> Evidence:
    """Store a photo or document under a generated name, keep its SHA-256 and log a sealed
    commitment of it."""
    data, content_type, extension, kind = _read_checked(upload)
    digest = hashlib.sha256(data).hexdigest()
    if incident.evidence.filter(sha256=digest).exists():
        raise Conflict(_("This file is already attached to the incident."), field="file")
    name = default_storage.save(
        f"evidence/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{extension}", ContentFile(data)
    )
    try:
        evidence = save_valid(
            Evidence(
                incident=incident,
                kind=kind,
                file=name,
                original_name=original_name[-255:],
                content_type=content_type,
                size=len(data),
                sha256=digest,
                uploaded_by=by,
            )
        )
        entry = ledger.append(
            logtypes.EVIDENCE.name,
            {
                "incident": incident.pk,
                "kind": kind,
                "added_at": iso_utc(evidence.uploaded_at),
                "sha256": digest,
            },
        )
    except Exception:
        # The transaction rolls back; the stored file must not outlive it.
        default_storage.delete(name)
        raise
    evidence.log_index = entry.index
    evidence.save(update_fields=["log_index"])
    return evidence
