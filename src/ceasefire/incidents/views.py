from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.core.access import may_access, request_user
from ceasefire.core.errors import NotFound
from ceasefire.core.forms import run_form
from ceasefire.incidents import selectors, services
from ceasefire.incidents.forms import EvidenceForm, FilterForm, IncidentForm, VerifyForm
from ceasefire.incidents.models import Incident
from ceasefire.positions.forms import microdegrees


def _day_bound(day: Any, moment: time) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, moment)) if day else None


def incident_list(request: HttpRequest) -> HttpResponse:
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    incidents = selectors.incident_list(
        user=request_user(request),
        kind=chosen.get("kind", ""),
        verification=chosen.get("verification", ""),
        party=chosen["party"].code if chosen.get("party") else "",
        since=_day_bound(chosen.get("since"), time.min),
        until=_day_bound(chosen.get("until"), time.max),
    )
    return render(
        request,
        "incidents/list.html",
        {
            "filters": filters,
            "incidents": incidents,
            "can_report": may_access(request.user, "incidents:create", "POST"),
        },
    )


def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    incident = selectors.incident_for_user(user, pk)
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "updates": selectors.updates(incident),
            "evidence": selectors.evidence_list(incident),
            "can_verify": may_access(user, "incidents:verify", "POST"),
            "can_attach": may_access(user, "incidents:evidence_add", "POST"),
        },
    )


def incident_create(request: HttpRequest) -> HttpResponse:
    form = IncidentForm(request.POST or None)

    def report(data: dict[str, Any]) -> Incident:
        has_coordinates = data["latitude"] is not None and data["longitude"] is not None
        return services.incident_report(
            occurred_at=data["occurred_at"],
            kind=data["kind"],
            place=data["place"],
            lat_microdeg=microdegrees(data["latitude"]) if has_coordinates else None,
            lon_microdeg=microdegrees(data["longitude"]) if has_coordinates else None,
            location=data["location"],
            alleged_party=data["alleged_party"],
            source=data["source"],
            description=data["description"],
            by=request_user(request),
        )

    incident = run_form(form, report)
    if incident is not None:
        messages.success(request, _("Incident %(number)s recorded.") % {"number": incident})
        return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "positions/form.html",
        {"form": form, "title": _("Report an incident"), "submit": _("Record incident")},
    )


def incident_verify(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    incident = selectors.incident_for_user(user, pk)
    form = VerifyForm(request.POST or None)

    def verify(data: dict[str, Any]) -> object:
        original = None
        if data["duplicate_of"]:
            try:
                original = selectors.incident_for_user(user, data["duplicate_of"])
            except NotFound as exc:
                exc.fields.setdefault("duplicate_of", []).append(exc.message)
                raise
        return services.incident_verify(
            incident=incident,
            status=data["status"],
            note=data["note"],
            duplicate_of=original,
            by=user,
        )

    if run_form(form, verify) is not None:
        messages.success(request, _("Verification status changed."))
        return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "positions/form.html",
        {
            "form": form,
            "title": _("Verification of %(number)s") % {"number": incident},
            "submit": _("Save"),
        },
    )


def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    incident = selectors.incident_for_user(user, pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    saved = run_form(
        form,
        lambda data: services.evidence_add(
            incident=incident, upload=data["file"], original_name=data["file"].name, by=user
        ),
    )
    if saved is not None:
        messages.success(
            request, _("File attached; its SHA-256 is %(hash)s.") % {"hash": saved.sha256}
        )
        return redirect("incidents:detail", pk=incident.pk)
    return render(
        request,
        "positions/form.html",
        {
            "form": form,
            "title": _("Attach evidence to %(number)s") % {"number": incident},
            "submit": _("Attach"),
            "multipart": True,
        },
    )


def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    incident = selectors.incident_for_user(request_user(request), pk)
    evidence = selectors.evidence_for_incident(incident, evidence_id)
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=f"{incident}-{evidence.pk}{evidence.file.name[evidence.file.name.rfind('.') :]}",
    )
    response["X-Content-SHA256"] = evidence.sha256
    return response
