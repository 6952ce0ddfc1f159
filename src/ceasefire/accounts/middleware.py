from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from ceasefire.accounts.services import token_authenticate
from ceasefire.core.errors import NotAuthenticated, error_response


class TokenAuthenticationMiddleware:
    """`Authorization: Bearer <token>` authenticates a request as the token's user, with only the
    token's role. A token request carries no cookie, so it needs no CSRF check. A bearer header
    that matches no active token is refused rather than quietly treated as anonymous."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            token = token_authenticate(header.removeprefix("Bearer ").strip())
            if token is None:
                error = NotAuthenticated(_("The API token is not valid or has been revoked."))
                return error_response(request, error)
            request.user = token.user
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)
