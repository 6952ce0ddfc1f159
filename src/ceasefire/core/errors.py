"""One family of errors for everything a user can get wrong or may not do.

Each error has a stable machine code, an HTTP status and a translated message written for the
person in front of the screen (often a field officer). Services raise them; they are mapped once:
to JSON for the API (`{"error": {"code", "message", "fields"}}`), to a page for the web, and to a
fragment for htmx requests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class CeasefireError(Exception):
    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400

    def __init__(
        self, message: str, *, field: str | None = None, fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields: dict[str, list[str]] = dict(fields or {})
        if field is not None:
            self.fields.setdefault(field, []).append(message)

    def as_json(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


class ValidationFailed(CeasefireError):
    code = "invalid"
    status = 400

    @classmethod
    def from_django(cls, exc: DjangoValidationError) -> ValidationFailed:
        fields = {
            name: [str(message) for message in messages]
            for name, messages in getattr(exc, "message_dict", {"": exc.messages}).items()
        }
        summary = "; ".join(message for messages in fields.values() for message in messages)
        return cls(summary or _("The data is not valid."), fields=fields)


class NotAuthenticated(CeasefireError):
    code = "not_authenticated"
    status = 401


class PermissionDenied(CeasefireError):
    code = "forbidden"
    status = 403


class NotFound(CeasefireError):
    code = "not_found"
    status = 404


class MethodNotAllowed(CeasefireError):
    code = "method_not_allowed"
    status = 405


class Conflict(CeasefireError):
    code = "conflict"
    status = 409


class TooLarge(CeasefireError):
    code = "too_large"
    status = 413


def add_to_form(form: Any, error: CeasefireError, prefix: str = "") -> None:
    """Put a service's errors on the form's fields named `<prefix><field>`; without a prefix,
    the message goes on the form itself too, as its summary."""
    if not prefix:
        form.add_error(None, error.message)
    for name, found in error.fields.items():
        field = name.removeprefix(prefix)
        if name.startswith(prefix) and field in form.fields:
            for message in found:
                form.add_error(field, message)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_response(request: HttpRequest, error: CeasefireError) -> HttpResponse:
    """The one place an error becomes a response."""
    if is_api_request(request):
        response: HttpResponse = JsonResponse(error.as_json(), status=error.status)
        if error.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="ceasefire"'
        return response
    if request.headers.get("HX-Request") == "true":
        response = render(
            request, "core/error_fragment.html", {"error": error}, status=error.status
        )
        # Errors of an htmx request go into the page's error area, whatever the target was.
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "core/error.html", {"error": error}, status=error.status)


class ErrorMiddleware:
    """Turns a CeasefireError raised by a web view into its page or fragment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, CeasefireError):
            return error_response(request, exception)
        return None
