from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceasefire.core.access import may_access, request_user
from ceasefire.core.forms import run_form
from ceasefire.positions import selectors, services
from ceasefire.positions.forms import EventForm, FilterForm, LayerForm, PositionForm, microdegrees
from ceasefire.positions.models import Position


def position_list(request: HttpRequest) -> HttpResponse:
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    positions = selectors.position_list(
        user=request_user(request),
        q=chosen.get("q", ""),
        status=chosen.get("status", ""),
        party=chosen["party"].code if chosen.get("party") else "",
        sector=chosen["sector"].code if chosen.get("sector") else "",
    )
    return render(
        request,
        "positions/list.html",
        {
            "filters": filters,
            "positions": positions,
            "can_create": may_access(request.user, "positions:create", "POST"),
        },
    )


def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    position = selectors.position_for_user(user, pk)
    return render(
        request,
        "positions/detail.html",
        {
            "position": position,
            "events": selectors.timeline(position),
            "can_record": may_access(user, "positions:event_add", "POST"),
            "can_confirm": user.liaison_party_id() == position.party_id,
        },
    )


def position_create(request: HttpRequest) -> HttpResponse:
    form = PositionForm(request.POST or None)

    def create(data: dict[str, object]) -> Position:
        return services.position_create(
            code=str(data["code"]),
            name=str(data["name"]),
            lat_microdeg=microdegrees(data["latitude"]),  # type: ignore[arg-type]
            lon_microdeg=microdegrees(data["longitude"]),  # type: ignore[arg-type]
            party=data["party"],  # type: ignore[arg-type]
            sector=data["sector"],  # type: ignore[arg-type]
            held_since=data["held_since"],  # type: ignore[arg-type]
            by=request_user(request),
        )

    position = run_form(form, create)
    if position is not None:
        messages.success(request, _("Position %(code)s recorded.") % {"code": position.code})
        return redirect("positions:detail", pk=position.pk)
    return render(
        request,
        "positions/form.html",
        {"form": form, "title": _("New position"), "submit": _("Record position")},
    )


def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    position = selectors.position_for_user(user, pk)
    form = EventForm(request.POST or None)
    event = run_form(
        form,
        lambda data: services.position_event_record(position=position, by=user, **data),
    )
    if event is not None:
        messages.success(request, _("Event recorded."))
        return redirect("positions:detail", pk=position.pk)
    return render(
        request,
        "positions/form.html",
        {
            "form": form,
            "title": _("New event for %(position)s") % {"position": position},
            "submit": _("Record event"),
            "back": position,
        },
    )


@require_POST
def event_confirm(request: HttpRequest, pk: int, event_id: int) -> HttpResponse:
    user = request_user(request)
    position = selectors.position_for_user(user, pk)
    services.position_withdrawal_confirm(
        event=selectors.event_for_position(position, event_id), by=user
    )
    messages.success(request, _("Withdrawal confirmed."))
    return redirect("positions:detail", pk=position.pk)


def layer_list(request: HttpRequest) -> HttpResponse:
    return render(request, "positions/layers.html", {"layers": selectors.mission_layers()})


def layer_edit(request: HttpRequest, code: str = "") -> HttpResponse:
    initial = {}
    if code:
        layer = selectors.mission_layer(code)
        initial = {
            "code": layer.code,
            "name": layer.name,
            "kind": layer.kind,
            "geojson": layer.geojson_text,
        }
    form = LayerForm(request.POST or None, initial=initial)
    saved = run_form(
        form,
        lambda data: services.mission_layer_save(
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            geojson_text=data["geojson"],
            by=request_user(request),
        ),
    )
    if saved is not None:
        messages.success(request, _("Map layer %(code)s saved.") % {"code": saved.code})
        return redirect("positions:layers")
    return render(
        request,
        "positions/form.html",
        {"form": form, "title": _("Map layer"), "submit": _("Save layer")},
    )
