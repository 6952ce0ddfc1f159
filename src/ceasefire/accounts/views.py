from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceasefire.accounts import selectors, services
from ceasefire.accounts.forms import TokenCreateForm, UserCreateForm
from ceasefire.accounts.models import User
from ceasefire.accounts.roles import Role
from ceasefire.core.errors import CeasefireError


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the access table lets only users in here
    return request.user


def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenCreateForm(request.POST or None)
    role_field = form.fields["role"]
    assert isinstance(role_field, forms.ChoiceField)
    role_field.choices = [(r, Role(r).label) for r in sorted(user.role_set())]
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = services.token_create(
                user=user, role=form.cleaned_data["role"], name=form.cleaned_data["name"]
            )
        except CeasefireError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": selectors.token_list(user=user), "new_secret": new_secret},
    )


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    services.token_revoke(user=_user(request), token_id=token_id)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")


def users(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/users.html", {"users": selectors.user_list()})


def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                username=data["username"],
                password=data["password"],
                roles=data["roles"],
                party=data["party"],
                full_name=data["full_name"],
                email=data["email"],
            )
        except CeasefireError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("accounts:users")
    return render(request, "accounts/user_create.html", {"form": form})


@require_POST
def user_reset_link(request: HttpRequest, user_id: int) -> HttpResponse:
    link = request.build_absolute_uri(services.user_reset_link(user_id=user_id))
    return render(request, "accounts/reset_link.html", {"link": link})


@require_POST
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    user = services.user_deactivate(user_id=user_id, by=_user(request))
    messages.success(request, _("User %(name)s deactivated.") % {"name": user.username})
    return redirect("accounts:users")
