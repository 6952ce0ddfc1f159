"""Pages of the people registry. Personal data appears only on the page a reveal answers (a POST,
so it is never in a URL, a history or a cache) and in the certificate download."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ceasefire.accounts.models import User
from ceasefire.accounts.roles import Role
from ceasefire.core.access import may_access, request_user
from ceasefire.core.errors import CeasefireError, NotFound, ValidationFailed, add_to_form
from ceasefire.people import selectors, services
from ceasefire.people.forms import (
    ApplicationForm,
    DecisionForm,
    EraseForm,
    PurposeForm,
    RegisterForm,
    SearchForm,
)
from ceasefire.people.models import AmnestyApplication
from ceasefire.registry.models import Receipt
from ceasefire.registry.selectors import receipt_list

PAGE_SIZE = 50


def _receipts(user: User, numbers: str) -> list[Receipt]:
    wanted = {number.strip() for number in numbers.split(",") if number.strip()}
    found = list(receipt_list(user).filter(number__in=wanted))
    missing = wanted - {receipt.number for receipt in found}
    if missing:
        raise ValidationFailed(
            _("No receipt %(numbers)s.") % {"numbers": ", ".join(sorted(missing))},
            field="receipts",
        )
    return found


def person_list(request: HttpRequest) -> HttpResponse:
    people = selectors.people_for_user(request_user(request))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/list.html",
        {
            "page": page,
            "rows": [(person, selectors.amnesty_label(person)) for person in page],
            "counts": selectors.counts(people),
            "can_register": may_access(request.user, "people:register", "POST"),
            "can_search": may_access(request.user, "people:search", "POST"),
        },
    )


def register(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = RegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_register(
                user=user,
                person=services.PersonIn(
                    name=data["name"],
                    birth_date=data["birth_date"],
                    party=data["party"],
                    other_names=data["other_names"],
                    origin=data["origin"],
                    unit=data["unit"],
                    rank=data["rank"],
                    contact=data["contact"],
                    screening=data["screening"],
                    screening_notes=data["screening_notes"],
                ),
                receipts=_receipts(user, data["receipts"]),
                photo=data["photo"],
            )
        except CeasefireError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Registered as %(reference)s. The certificate follows once it is in the log.")
                % {"reference": person.reference},
            )
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/register.html", {"form": form})


def search(request: HttpRequest) -> HttpResponse:
    """An exact-match search on name and date of birth: a POST, so no name is in a URL."""
    form = SearchForm(request.POST or None)
    searched, found, linked = False, None, False
    if request.method == "POST" and form.is_valid():
        searched = True
        found = services.person_find(
            name=form.cleaned_data["name"], birth_date=form.cleaned_data["birth_date"]
        )
        # A field officer opens only the records they registered; the reference they may know
        # (registering the person again would tell them).
        linked = found is not None and (
            selectors.people_for_user(request_user(request)).filter(pk=found.pk).exists()
        )
    return render(
        request,
        "people/search.html",
        {"form": form, "searched": searched, "found": found, "linked": linked},
    )


def _detail_context(request: HttpRequest, person_id: int) -> dict[str, Any]:
    user = request_user(request)
    person = selectors.person_for_user(user, person_id)
    return {
        "person": person,
        "amnesty": selectors.amnesty_label(person),
        "applications": selectors.applications(person),
        "sees_officers": user.has_role(Role.PROTECTION_OFFICER),
        "can_reveal": may_access(user, "people:reveal", "POST") and not person.erased,
        "can_apply": may_access(user, "people:amnesty_apply", "POST") and not person.erased,
        "can_decide": may_access(user, "people:amnesty_decide", "POST") and not person.erased,
    }


def detail(request: HttpRequest, person_id: int) -> HttpResponse:
    return render(request, "people/detail.html", _detail_context(request, person_id))


@never_cache
def reveal(request: HttpRequest, person_id: int) -> HttpResponse:
    context = _detail_context(request, person_id)
    form = PurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revealed = services.person_reveal(
                user=request_user(request),
                person=context["person"],
                purpose=form.cleaned_data["purpose"],
                request=request,
            )
        except CeasefireError as exc:
            add_to_form(form, exc)
        else:
            photo = None
            if revealed.photo is not None:
                encoded = base64.b64encode(revealed.photo[1]).decode()
                photo = f"data:{revealed.photo[0]};base64,{encoded}"
            return render(
                request,
                "people/revealed.html",
                {**context, "revealed": revealed, "photo": photo, "form": form},
            )
    return render(request, "people/reveal.html", {**context, "form": form})


@never_cache
def certificate(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_for_user(request_user(request), person_id)
    form = PurposeForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(_("State why you need to see this personal data."), field="purpose")
    pdf = services.certificate_read(
        user=request_user(request),
        person=person,
        purpose=form.cleaned_data["purpose"],
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{person.reference}.pdf"'
    return response


def amnesty_apply(request: HttpRequest, person_id: int) -> HttpResponse:
    context = _detail_context(request, person_id)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.amnesty_apply(
                user=request_user(request), person=context["person"], **form.cleaned_data
            )
        except CeasefireError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("The amnesty application is recorded."))
            return redirect("people:detail", person_id=person_id)
    return render(request, "people/amnesty_apply.html", {**context, "form": form})


def amnesty_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    application = AmnestyApplication.objects.filter(pk=application_id).first()
    if application is None:
        raise NotFound(_("There is no such application."))
    context = _detail_context(request, application.person_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.amnesty_decide(
                user=request_user(request), application=application, **form.cleaned_data
            )
        except CeasefireError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("people:detail", person_id=application.person_id)
    return render(
        request,
        "people/amnesty_decide.html",
        {**context, "form": form, "application": application},
    )


def erase(request: HttpRequest, person_id: int) -> HttpResponse:
    context = _detail_context(request, person_id)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(
                person_id=person_id, reason=form.cleaned_data["reason"], user=request_user(request)
            )
        except CeasefireError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("The personal data of this record is erased for good."))
            return redirect("people:detail", person_id=person_id)
    return render(request, "people/erase.html", {**context, "form": form})
