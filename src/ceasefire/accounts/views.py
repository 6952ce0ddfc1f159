from __future__ import annotations

import base64
import secrets
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceasefire.accounts import selectors, services
from ceasefire.accounts.forms import TokenCreateForm, TwoFactorForm, UserCreateForm
from ceasefire.accounts.roles import Role
from ceasefire.core.access import request_user
from ceasefire.core.errors import CeasefireError


def tokens(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
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
    services.token_revoke(user=request_user(request), token_id=token_id)
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
    user = services.user_deactivate(user_id=user_id, by=request_user(request))
    messages.success(request, _("User %(name)s deactivated.") % {"name": user.username})
    return redirect("accounts:users")


@require_POST
def user_two_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    user = services.two_factor_reset(user_id=user_id)
    messages.success(
        request,
        _("The authenticator of %(name)s was removed; they will enrol a new one.")
        % {"name": user.username},
    )
    return redirect("accounts:users")


@require_POST
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    user = services.user_unlock(user_id=user_id)
    messages.success(request, _("%(name)s may try to log in again.") % {"name": user.username})
    return redirect("accounts:users")


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The login page, answered (429) when django-axes refuses a username from an address."""
    form = AuthenticationForm(request, data=request.POST or None)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form.errors.clear()
    form.add_error(
        None,
        ngettext(
            "Too many failed logins for this user from your address. Try again in %(minutes)s "
            "minute, or ask an administrator to unlock the account.",
            "Too many failed logins for this user from your address. Try again in %(minutes)s "
            "minutes, or ask an administrator to unlock the account.",
            minutes,
        )
        % {"minutes": minutes},
    )
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.POST.get("next", "")},
        status=429,
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: the code from the user's authenticator app."""
    user = request_user(request)
    if not selectors.has_two_factor(user):
        return redirect(f"{resolve_url('accounts:two_factor_enrol')}?{request.GET.urlencode()}")
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except CeasefireError as exc:
            form.add_error("code", exc.message)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request)})


ENROL_KEY = "two_factor_enrol_key"


def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Bind an authenticator app: a QR code of a new secret, then a code that proves the app
    holds it. The secret stays in the session until then. Someone who has only the password
    cannot replace an enrolled app: they must give its code first."""
    user = request_user(request)
    if selectors.has_two_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
        return redirect(f"{resolve_url('accounts:two_factor')}?{request.GET.urlencode()}")
    key = request.session.get(ENROL_KEY) or secrets.token_hex(20)
    request.session[ENROL_KEY] = key
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_enrol(user=user, key=key, code=form.cleaned_data["code"])
        except CeasefireError as exc:
            form.add_error("code", exc.message)
        else:
            del request.session[ENROL_KEY]
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is enrolled."))
            return redirect(_next_url(request))
    device = TOTPDevice(user=user, key=key)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
            "secret": base64.b32encode(device.bin_key).decode(),
            "required": selectors.two_factor_required(user),
        },
    )
