"""Pages: an officer's phones (with the QR code that sets up Collect) and the quarantine."""

from __future__ import annotations

import base64
import json
import zlib

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ceasefire.core.access import request_user
from ceasefire.core.errors import CeasefireError
from ceasefire.fieldsync import selectors, services
from ceasefire.fieldsync.models import Status


class DeviceForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the phone"),
        max_length=100,
        help_text=gettext_lazy("For example “Blue Samsung, unit 3”."),
    )


def collect_settings(server_url: str, username: str) -> str:
    """ODK Collect's settings QR payload: the settings JSON, zlib-compressed, then base64."""
    payload = {
        "general": {
            "server_url": server_url,
            "username": username,
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
            "delete_send": False,
        },
        "admin": {"change_server": False},
        "project": {"name": str(settings.MISSION_NAME)[:50], "icon": "C", "color": "#1f4e79"},
    }
    return base64.b64encode(zlib.compress(json.dumps(payload).encode("utf-8"))).decode("ascii")


def devices(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = DeviceForm(request.POST or None)
    new = None
    if request.method == "POST" and form.is_valid():
        try:
            device, raw = services.device_create(user=user, name=form.cleaned_data["name"])
        except CeasefireError as exc:
            form.add_error(None, exc.message)
        else:
            server_url = request.build_absolute_uri(
                reverse("fieldsync:device_form_list", kwargs={"token": raw})
            ).removesuffix("/formList")
            qr = segno.make(collect_settings(server_url, user.username), error="l")
            new = {
                "device": device,
                "server_url": server_url,
                "qr": qr.svg_data_uri(scale=4, border=2),
            }
    return render(
        request,
        "fieldsync/devices.html",
        {"form": form, "devices": selectors.device_list(user), "new": new},
    )


@require_POST
def device_revoke(request: HttpRequest, device_id: int) -> HttpResponse:
    services.device_revoke(user=request_user(request), device_id=device_id)
    messages.success(request, _("The phone's access was revoked."))
    return redirect("fieldsync:devices")


def quarantine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "fieldsync/quarantine.html",
        {"submissions": selectors.quarantine_list(request_user(request))[:500]},
    )


class ReprocessForm(forms.Form):
    xml = forms.CharField(
        label=gettext_lazy("Form data"),
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false"}),
        help_text=gettext_lazy("Correct the values, keep the structure, then process it again."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000)


def quarantined(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = selectors.submission_for_user(request_user(request), submission_id)
    try:
        shown = selectors.submission_clear_xml(submission).decode("utf-8", "replace")
    except CeasefireError as exc:
        shown = ""
        messages.error(request, exc.message)
    return render(
        request,
        "fieldsync/quarantined.html",
        {
            "submission": submission,
            "files": submission.files.all(),
            "reprocess": ReprocessForm(initial={"xml": shown}),
            "reject": RejectForm(),
        },
    )


@require_POST
def reprocess(request: HttpRequest, submission_id: int) -> HttpResponse:
    user = request_user(request)
    submission = selectors.submission_for_user(user, submission_id)
    form = ReprocessForm(request.POST)
    corrected = form.cleaned_data["xml"].encode("utf-8") if form.is_valid() else None
    if (
        corrected is not None
        and corrected.strip() == selectors.submission_clear_xml(submission).strip()
    ):
        corrected = None
    submission = services.submission_reprocess(
        submission=submission, by=user, corrected_xml=corrected
    )
    if submission.status == Status.ACCEPTED:
        messages.success(request, _("Processed: the record was written."))
        return redirect("fieldsync:quarantine")
    messages.error(request, _("Still refused: %(reason)s") % {"reason": submission.reason})
    return redirect("fieldsync:quarantined", submission_id=submission.pk)


@require_POST
def reject(request: HttpRequest, submission_id: int) -> HttpResponse:
    user = request_user(request)
    submission = selectors.submission_for_user(user, submission_id)
    form = RejectForm(request.POST)
    services.submission_reject(
        submission=submission,
        by=user,
        reason=form.cleaned_data["reason"] if form.is_valid() else "",
    )
    messages.success(request, _("The submission was rejected."))
    return redirect("fieldsync:quarantine")
