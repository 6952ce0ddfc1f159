from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire.accounts.selectors import has_two_factor, two_factor_required
from ceasefire.accounts.services import token_authenticate
from ceasefire.core.errors import NotAuthenticated, PermissionDenied, error_response, is_api_request

# Routes a user who has not yet given their second factor may still reach.
BEFORE_TWO_FACTOR = frozenset(
    {"accounts:two_factor", "accounts:two_factor_enrol", "accounts:logout", "set_language"}
)


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
            request.api_token = token  # type: ignore[attr-defined]
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)


class TwoFactorMiddleware:
    """After the password, a user with an authenticator app must give its code before any other
    page; admins and protection officers without one must enrol one first. API tokens are
    exempt: a token is made from a session that gave its code, and is itself a secret."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or getattr(request, "api_token", None) or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in BEFORE_TWO_FACTOR:
            return None
        if has_two_factor(user):
            target = "accounts:two_factor"
        elif two_factor_required(user):
            target = "accounts:two_factor_enrol"
        else:
            return None
        if is_api_request(request):
            return error_response(
                request, PermissionDenied(_("Finish logging in with your two-factor code first."))
            )
        return HttpResponseRedirect(
            f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        )
