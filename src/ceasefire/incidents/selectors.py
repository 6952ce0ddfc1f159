"""Reads on incidents. A liaison sees incidents alleged against their own party and those with
no alleged party; another party's are "not found"."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire.accounts.selectors import liaison_scope
from ceasefire.core.errors import NotFound
from ceasefire.incidents.models import Evidence, Incident, Verification, VerificationUpdate


def incident_list(
    *,
    user: Any,
    kind: str = "",
    verification: str = "",
    party: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Incident]:
    incidents = Incident.objects.select_related("place", "alleged_party")
    scope = liaison_scope(user)
    if scope is not None:
        incidents = incidents.filter(Q(alleged_party_id=scope) | Q(alleged_party__isnull=True))
    if kind:
        incidents = incidents.filter(kind=kind)
    if verification:
        incidents = incidents.filter(verification=verification)
    if party:
        incidents = incidents.filter(alleged_party__code=party)
    if since is not None:
        incidents = incidents.filter(occurred_at__gte=since)
    if until is not None:
        incidents = incidents.filter(occurred_at__lte=until)
    return incidents.order_by("-occurred_at", "-pk")


def incident_for_user(user: Any, pk: int) -> Incident:
    incident = incident_list(user=user).filter(pk=pk).first()
    if incident is None:
        raise NotFound(_("No such incident."))
    return incident


def updates(incident: Incident) -> QuerySet[VerificationUpdate]:
    return incident.updates.select_related("changed_by").order_by("changed_at", "pk")


def evidence_list(incident: Incident) -> QuerySet[Evidence]:
    return incident.evidence.order_by("uploaded_at", "pk")


def evidence_for_incident(incident: Incident, evidence_id: int) -> Evidence:
    evidence = incident.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound(_("No such file of this incident."))
    return evidence


def map_features(user: Any, at: datetime) -> list[dict[str, Any]]:
    return [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [incident.lon_microdeg / 1e6, incident.lat_microdeg / 1e6],
            },
            "properties": {
                "layer": "incident",
                "title": f"{incident} · {incident.get_kind_display()}",
                "detail": incident.occurred_at.strftime("%Y-%m-%d %H:%M"),
                "status_label": str(incident.get_verification_display()),
                "verification": incident.verification,
                "url": reverse("incidents:detail", args=[incident.pk]),
            },
        }
        for incident in incident_list(user=user, until=at)
    ]


def verification_counts(*, cutoff: datetime) -> dict[str, int]:
    """How many incidents (that occurred by `cutoff`) stood in each verification status then."""
    status_then = Subquery(
        VerificationUpdate.objects.filter(incident=OuterRef("pk"), changed_at__lte=cutoff)
        .order_by("-changed_at", "-pk")
        .values("status")[:1]
    )
    rows = (
        Incident.objects.filter(occurred_at__lte=cutoff)
        .annotate(status_then=Coalesce(status_then, Value(Verification.REPORTED.value)))
        .values_list("status_then", flat=True)
    )
    return dict(Counter(rows))
