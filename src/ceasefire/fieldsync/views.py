"""OpenRosa endpoints for ODK Collect, and the pages for phones and the quarantine."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire.accounts.models import User
from ceasefire.core.errors import MethodNotAllowed, NotFound, TooLarge, ValidationFailed
from ceasefire.fieldsync import services
from ceasefire.fieldsync.forms import FORMS
from ceasefire.fieldsync.forms.base import FormDef
from ceasefire.fieldsync.media import md5_hash, media_file
from ceasefire.fieldsync.models import Device
from ceasefire.fieldsync.openrosa import collect_id, endpoint, message, respond
from ceasefire.fieldsync.selectors import form_xml

XFORMS_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
XML_PART = "xml_submission_file"
INCOMPLETE = "*isIncomplete*"


def _url(request: HttpRequest, route: str, token: str | None, **kwargs: Any) -> str:
    """An absolute URL on the same footing (device token or not) as the request."""
    if token is not None:
        return request.build_absolute_uri(
            reverse(f"fieldsync:device_{route}", kwargs={"token": token, **kwargs})
        )
    return request.build_absolute_uri(reverse(f"fieldsync:{route}", kwargs=kwargs))


def _form(form_id: str) -> FormDef:
    form = FORMS.get(form_id)
    if form is None:
        raise NotFound(_("This form is no longer offered. Get blank forms again."))
    return form


def _only(request: HttpRequest, *methods: str) -> None:
    if request.method not in methods:
        raise MethodNotAllowed(_("This address does not accept that method."))


@endpoint
def form_list(request: HttpRequest, *, token: str | None, **_auth: Any) -> HttpResponse:
    _only(request, "GET", "HEAD")
    wanted = request.GET.get("formID")
    entries = []
    for form in FORMS.values():
        if wanted and form.form_id != wanted:
            continue
        manifest = (
            f"<manifestUrl>{escape(_url(request, 'manifest', token, form_id=form.form_id))}"
            "</manifestUrl>"
            if form.media
            else ""
        )
        entries.append(
            f"<xform><formID>{escape(form.form_id)}</formID><name>{escape(str(form.title))}"
            f"</name><version>{escape(form.version)}</version>"
            f"<hash>{md5_hash(form_xml(form))}</hash>"
            f"<downloadUrl>{escape(_url(request, 'form', token, form_id=form.form_id))}"
            f"</downloadUrl>{manifest}</xform>"
        )
    return respond(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<xforms xmlns="{XFORMS_LIST_NS}">'
        + "".join(entries)
        + "</xforms>"
    )


@endpoint
def form(request: HttpRequest, form_id: str, *, token: str | None, **_auth: Any) -> HttpResponse:
    _only(request, "GET", "HEAD")
    return respond(form_xml(_form(form_id)))


@endpoint
def manifest(
    request: HttpRequest, form_id: str, *, token: str | None, **_auth: Any
) -> HttpResponse:
    _only(request, "GET", "HEAD")
    files = []
    for name in _form(form_id).media:
        data = media_file(name) or b""
        url = _url(request, "media", token, form_id=form_id, name=name)
        files.append(
            f"<mediaFile><filename>{escape(name)}</filename><hash>{md5_hash(data)}</hash>"
            f"<downloadUrl>{escape(url)}</downloadUrl></mediaFile>"
        )
    return respond(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="{MANIFEST_NS}">'
        + "".join(files)
        + "</manifest>"
    )


@endpoint
def media(
    request: HttpRequest, form_id: str, name: str, *, token: str | None, **_auth: Any
) -> HttpResponse:
    _only(request, "GET", "HEAD")
    data = media_file(name) if name in _form(form_id).media else None
    if data is None:
        raise NotFound(_("This form has no such file. Get blank forms again."))
    return respond(data, content_type="text/csv; charset=utf-8")


@endpoint
def submission(
    request: HttpRequest, *, user: User, device: Device | None, **_auth: Any
) -> HttpResponse:
    _only(request, "HEAD", "POST")
    if request.method == "HEAD":
        # Collect reads the size limit only from a 204, and splits larger submissions.
        response = respond(b"", status=204)
        response["X-OpenRosa-Accept-Content-Length"] = str(settings.UPLOAD_MAX_BYTES)
        return response
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.UPLOAD_MAX_BYTES:
        raise TooLarge(_("The submission is too large. Send it over Wi-Fi in smaller parts."))
    try:
        files = request.FILES
        incomplete = request.POST.get(INCOMPLETE, "").lower() == "yes"
    except MultiPartParserError:
        raise ValidationFailed(_("The phone sent a damaged submission. Send it again.")) from None
    xml_part = files.get(XML_PART)
    if xml_part is None:
        raise ValidationFailed(
            _("The submission has no form data (xml_submission_file). Send it again.")
        )
    uploads = [
        services.Upload(name=field, data=upload)
        for field, parts in files.lists()
        if field != XML_PART
        for upload in parts
    ]
    received = services.submission_receive(
        user=user,
        xml=xml_part.read(),
        uploads=uploads,
        incomplete=incomplete,
        device=device,
        collect_id=collect_id(request),
    )
    return message(received.message, status=202 if received.duplicate else 201)
