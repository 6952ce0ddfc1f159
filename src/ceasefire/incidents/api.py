from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ceasefire.accounts.models import Party
from ceasefire.core.access import request_user
from ceasefire.core.pagination import LimitOffset
from ceasefire.incidents import selectors, services
from ceasefire.incidents.models import Evidence, Incident, VerificationUpdate
from ceasefire.places.models import Place
from ceasefire.positions.api import by_code

router = Router(tags=["incidents"])


class IncidentOut(Schema):
    id: int
    occurred_at: datetime
    kind: str
    place: str | None
    lat_microdeg: int
    lon_microdeg: int
    location: str
    alleged_party: str | None
    verification: str
    duplicate_of: int | None
    log_index: int | None

    @staticmethod
    def resolve_place(obj: Incident) -> str | None:
        return obj.place.code if obj.place else None

    @staticmethod
    def resolve_alleged_party(obj: Incident) -> str | None:
        return obj.alleged_party.code if obj.alleged_party else None

    @staticmethod
    def resolve_duplicate_of(obj: Incident) -> int | None:
        return obj.duplicate_of_id


class IncidentIn(Schema):
    occurred_at: datetime
    kind: str
    description: str
    source: str
    place: str | None = None
    lat_microdeg: int | None = None
    lon_microdeg: int | None = None
    location: str = ""
    alleged_party: str | None = None


class VerifyIn(Schema):
    status: str
    note: str = ""
    duplicate_of: int | None = None


class UpdateOut(Schema):
    status: str
    changed_at: datetime
    log_index: int | None


class EvidenceOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    log_index: int | None


@router.get("/incidents", response=list[IncidentOut], url_name="incidents")
@paginate(LimitOffset)
def incident_list(
    request: HttpRequest, kind: str = "", verification: str = "", party: str = ""
) -> QuerySet[Incident]:
    return selectors.incident_list(
        user=request_user(request), kind=kind, verification=verification, party=party
    )


@router.post("/incidents", response={201: IncidentOut}, url_name="incidents")
def incident_create(request: HttpRequest, payload: IncidentIn) -> Status[Incident]:
    """Report an incident. Without coordinates (microdegrees) the place's are used."""
    return Status(
        201,
        services.incident_report(
            occurred_at=payload.occurred_at,
            kind=payload.kind,
            description=payload.description,
            source=payload.source,
            place=by_code(Place, payload.place) if payload.place else None,
            lat_microdeg=payload.lat_microdeg,
            lon_microdeg=payload.lon_microdeg,
            location=payload.location,
            alleged_party=(
                by_code(Party, payload.alleged_party) if payload.alleged_party else None
            ),
            by=request_user(request),
        ),
    )


@router.get("/incidents/{incident_id}", response=IncidentOut, url_name="incident")
def incident_detail(request: HttpRequest, incident_id: int) -> Incident:
    return selectors.incident_for_user(request_user(request), incident_id)


@router.post(
    "/incidents/{incident_id}/verification", response=UpdateOut, url_name="incident_verification"
)
def incident_verify(
    request: HttpRequest, incident_id: int, payload: VerifyIn
) -> VerificationUpdate:
    """Move the verification on; refused (409) when the step is impossible."""
    user = request_user(request)
    return services.incident_verify(
        incident=selectors.incident_for_user(user, incident_id),
        status=payload.status,
        note=payload.note,
        duplicate_of=(
            selectors.incident_for_user(user, payload.duplicate_of)
            if payload.duplicate_of
            else None
        ),
        by=user,
    )


@router.get(
    "/incidents/{incident_id}/evidence", response=list[EvidenceOut], url_name="incident_evidence"
)
def evidence_list(request: HttpRequest, incident_id: int) -> QuerySet[Evidence]:
    return selectors.evidence_list(selectors.incident_for_user(request_user(request), incident_id))


@router.post(
    "/incidents/{incident_id}/evidence",
    response={201: EvidenceOut},
    url_name="incident_evidence",
)
def evidence_add(
    request: HttpRequest, incident_id: int, file: File[UploadedFile]
) -> Status[Evidence]:
    """Attach a photo (JPEG, PNG) or PDF as multipart field `file`; up to 20 MB."""
    user = request_user(request)
    incident = selectors.incident_for_user(user, incident_id)
    return Status(
        201,
        services.evidence_add(
            incident=incident, upload=file, original_name=file.name or "", by=user
        ),
    )
