from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceasefire.convoys import selectors, services
from ceasefire.convoys.forms import (
    ConvoyForm,
    CrossingForm,
    DepartForm,
    FilterForm,
    LossForm,
    MovementForm,
    arrival_form,
)
from ceasefire.core.access import may_access, request_user
from ceasefire.core.forms import run_form


def _form_page(request: HttpRequest, form: Any, title: str, submit: str) -> HttpResponse:
    return render(request, "positions/form.html", {"form": form, "title": title, "submit": submit})


def convoy_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    return render(
        request,
        "convoys/list.html",
        {
            "filters": filters,
            "convoys": selectors.convoy_list(
                user=user, status=chosen.get("status", ""), flagged=chosen.get("flagged", False)
            ),
            "pending": selectors.pending_acknowledgements(user),
            "can_create": may_access(user, "convoys:create", "POST"),
        },
    )


def convoy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    convoy = selectors.convoy_for_user(user, pk)
    party_id = user.liaison_party_id()
    notifications = selectors.notifications(convoy)
    return render(
        request,
        "convoys/detail.html",
        {
            "convoy": convoy,
            "route": selectors.route(convoy),
            "lines": selectors.lines(convoy),
            "notifications": notifications,
            "warnings": selectors.warnings(convoy),
            "movements": selectors.movements_for_user(user, convoy),
            "can_record": may_access(user, "convoys:event_add", "POST"),
            "can_acknowledge": any(
                n.party_id == party_id and n.acknowledged_at is None for n in notifications
            ),
        },
    )


def convoy_create(request: HttpRequest) -> HttpResponse:
    form = ConvoyForm(request.POST or None)

    def create(data: dict[str, Any]) -> Any:
        lines = data.pop("manifest")
        return services.convoy_create(lines=lines, by=request_user(request), **data)

    convoy = run_form(form, create)
    if convoy is not None:
        messages.success(request, _("Convoy %(reference)s recorded.") % {"reference": convoy})
        return redirect("convoys:detail", pk=convoy.pk)
    return _form_page(request, form, _("New convoy"), _("Record convoy"))


@require_POST
def convoy_notify(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    convoy = selectors.convoy_for_user(user, pk)
    services.convoy_notify(convoy=convoy, by=user)
    messages.success(request, _("The parties have been notified."))
    for warning in selectors.warnings(convoy):
        messages.warning(request, warning)
    return redirect("convoys:detail", pk=convoy.pk)


@require_POST
def convoy_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    convoy = selectors.convoy_for_user(user, pk)
    notification = services.convoy_acknowledge(convoy=convoy, by=user)
    messages.success(request, _("Acknowledged for %(party)s.") % {"party": notification.party})
    if notification.late_acknowledgement:
        messages.warning(
            request, _("This acknowledgement came less than 48 hours before departure.")
        )
    return redirect("convoys:detail", pk=convoy.pk)


def convoy_depart(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    convoy = selectors.convoy_for_user(user, pk)
    form = DepartForm(request.POST or None)
    if run_form(
        form,
        lambda data: services.convoy_depart(
            convoy=convoy, departed_at=data["departed_at"], by=user
        ),
    ):
        return redirect("convoys:detail", pk=convoy.pk)
    return _form_page(request, form, _("Departure of %(convoy)s") % {"convoy": convoy}, _("Save"))


def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    convoy = selectors.convoy_for_user(user, pk)
    form = MovementForm(request.POST or None)
    if run_form(form, lambda data: services.convoy_event_record(convoy=convoy, by=user, **data)):
        messages.success(request, _("Movement recorded."))
        return redirect("convoys:detail", pk=convoy.pk)
    return _form_page(
        request, form, _("Movement of %(convoy)s") % {"convoy": convoy}, _("Record movement")
    )


def convoy_arrive(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    convoy = selectors.convoy_for_user(user, pk)
    form = arrival_form(convoy, request.POST or None)

    def arrive(data: dict[str, Any]) -> Any:
        received = {
            line.pk: (data[f"good_{line.pk}"], data[f"damaged_{line.pk}"])
            for line in convoy.lines.all()
        }
        return services.convoy_arrive(
            convoy=convoy, arrived_at=data["arrived_at"], received=received, by=user
        )

    if run_form(form, arrive):
        messages.success(request, _("Arrival recorded; the convoy's movements are now public."))
        return redirect("convoys:detail", pk=convoy.pk)
    return _form_page(request, form, _("Arrival of %(convoy)s") % {"convoy": convoy}, _("Save"))


def loss_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    convoy = selectors.convoy_for_user(user, pk)
    form = LossForm(convoy, request.POST or None)
    if run_form(form, lambda data: services.loss_report(by=user, **data)):
        messages.success(request, _("Loss reported."))
        return redirect("convoys:detail", pk=convoy.pk)
    return _form_page(
        request, form, _("Loss report for %(convoy)s") % {"convoy": convoy}, _("Report loss")
    )


def crossing_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "convoys/crossings.html",
        {
            "counts": selectors.crossing_list()[:500],
            "can_record": may_access(request.user, "convoys:crossing_create", "POST"),
        },
    )


def crossing_create(request: HttpRequest) -> HttpResponse:
    form = CrossingForm(request.POST or None)
    if run_form(form, lambda data: services.crossing_record(by=request_user(request), **data)):
        messages.success(request, _("Crossings recorded."))
        return redirect("convoys:crossings")
    return _form_page(request, form, _("Crossings at a checkpoint"), _("Record crossings"))
