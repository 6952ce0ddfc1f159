"""The OpenRosa 1.0 protocol as ODK Collect speaks it: headers, XML documents, authentication.

Every answer carries `X-OpenRosa-Version: 1.0` and a Date; every error is an OpenRosa response
message, which Collect shows to the officer for any status but 201 and 202, so messages are
written for them.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from xml.sax.saxutils import escape

from django.contrib.auth import authenticate
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ceasefire.accounts.models import User
from ceasefire.core.errors import CeasefireError, NotAuthenticated
from ceasefire.fieldsync.models import Device
from ceasefire.fieldsync.services import SUBMITTERS, device_authenticate

VERSION = "1.0"
XML = "text/xml; charset=utf-8"
RESPONSE_NS = "http://openrosa.org/http/response"
CHALLENGE = 'Basic realm="Ceasefire", charset="UTF-8"'

logger = logging.getLogger(__name__)


def respond(body: bytes | str, *, status: int = 200, content_type: str = XML) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-OpenRosa-Version"] = VERSION
    response["Date"] = http_date()
    return response


def message(text: str, *, status: int) -> HttpResponse:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse xmlns="{RESPONSE_NS}">'
        f'<message nature="">{escape(text)}</message></OpenRosaResponse>'
    )
    response = respond(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = CHALLENGE
    return response


def collect_id(request: HttpRequest) -> str:
    """Collect adds `?deviceID=collect:...` to its requests."""
    return request.GET.get("deviceID", "")[:100]


def authenticate_collect(request: HttpRequest, token: str | None) -> tuple[User, Device | None]:
    """A device token in the path (HTTP or HTTPS), else an officer's password as Basic
    credentials, accepted only over HTTPS: Collect sends Basic only there."""
    if token is not None:
        device = device_authenticate(token, collect_id=collect_id(request))
        if device is None:
            raise NotAuthenticated(
                _(
                    "This phone's access key is not valid or was revoked. Ask the mission for a "
                    "new QR code and scan it in Collect's settings."
                )
            )
        return device.user, device
    header = request.headers.get("Authorization", "")
    if not request.is_secure():
        raise NotAuthenticated(
            _(
                "Without HTTPS, this server accepts only a phone's own access key. Scan the QR "
                "code from your Ceasefire page in Collect's settings."
            )
        )
    if not header.startswith("Basic "):
        raise NotAuthenticated(_("Log in with your Ceasefire username and password."))
    try:
        username, _sep, password = (
            base64.b64decode(header.removeprefix("Basic "), validate=True)
            .decode("utf-8")
            .partition(":")
        )
    except (binascii.Error, UnicodeDecodeError):
        raise NotAuthenticated(_("Log in with your Ceasefire username and password.")) from None
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User) or not user.has_role(*SUBMITTERS):
        raise NotAuthenticated(
            _("The username or password is wrong, or this account may not send forms.")
        )
    return user, None


View = Callable[..., HttpResponse]


def _route(request: HttpRequest) -> str:
    # The route's name, not the path: a phone's path holds its access key.
    match = request.resolver_match
    return match.view_name if match is not None else "fieldsync"


def endpoint(view: View) -> View:
    """Wraps an OpenRosa view: no CSRF (Collect sends no cookie, the view authenticates the
    request itself), the protocol headers on every answer, errors as OpenRosa messages."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, token: str | None = None, **kwargs: Any) -> Any:
        try:
            user, device = authenticate_collect(request, token)
            # The request is the officer's from here on: the audit trail names them.
            request.user = user
            response = view(request, *args, user=user, device=device, token=token, **kwargs)
        except CeasefireError as error:
            return message(error.message, status=error.status)
        except OperationalError:
            # The database is busy past the writers' wait, or out of reach. Nothing was kept
            # (the request's transaction rolls back), and Collect keeps the form as unsent.
            logger.exception("OpenRosa request failed on the database: %s", _route(request))
            response = message(
                _(
                    "The server is busy and did not record this form. It is still on your "
                    "phone: send it again in a minute."
                ),
                status=503,
            )
            response["Retry-After"] = "60"
            return response
        except Exception:
            logger.exception("OpenRosa request failed: %s", _route(request))
            return message(
                _(
                    "The server failed to record this form. It is still on your phone: send it "
                    "again later, and tell the mission if this happens again."
                ),
                status=500,
            )
        response["X-OpenRosa-Version"] = VERSION
        response.setdefault("Date", http_date())
        return response

    return wrapped
