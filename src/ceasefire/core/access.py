"""Route access: who may call which route with which method.

The rules themselves live in one table, `ceasefire.permissions.ROUTE_ROLES`, keyed by URL name.
This middleware enforces it for every request, web and API alike, and refuses any route that the
table does not name: a new route is closed until someone decides who may use it.
Object-level scoping (a liaison sees only their party's records) is the job of selectors, which
answer 404 for objects outside a user's reach.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _

from ceasefire.accounts.models import User
from ceasefire.accounts.roles import PUBLIC
from ceasefire.core.errors import (
    MethodNotAllowed,
    NotAuthenticated,
    PermissionDenied,
    error_response,
    is_api_request,
)
from ceasefire.permissions import ROUTE_ROLES

logger = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def request_user(request: HttpRequest) -> User:
    """The logged-in user of a request whose route the access table admitted only for roles."""
    assert isinstance(request.user, User)
    return request.user


def user_roles(user: Any) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    roles: frozenset[str] = user.role_set()
    return roles


def allowed_roles(route: str, method: str) -> frozenset[str] | None:
    """The roles allowed to call `route` with `method`; None when the route is unknown."""
    rule = ROUTE_ROLES.get(route)
    if rule is None:
        return None
    if method == "HEAD":
        method = "GET"
    return rule.get(method, frozenset())


def may_access(user: Any, route: str, method: str = "GET") -> bool:
    roles = allowed_roles(route, method)
    if not roles:
        return False
    return PUBLIC in roles or bool(roles & user_roles(user))


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        route = match.view_name if match else ""
        rule = ROUTE_ROLES.get(route)
        if rule is None:
            logger.error("Route %r has no access rule; refusing it.", route)
            return error_response(request, PermissionDenied(_("This page is not available.")))
        roles = allowed_roles(route, request.method or "GET")
        if not roles:
            response = error_response(
                request, MethodNotAllowed(_("This address does not accept that method."))
            )
            response["Allow"] = ", ".join(
                sorted(set(rule) | ({"HEAD"} if "GET" in rule else set()))
            )
            return response
        if PUBLIC not in roles:
            held = user_roles(request.user)
            if not request.user.is_authenticated:
                if is_api_request(request) or request.method != "GET":
                    return error_response(request, NotAuthenticated(_("Please log in.")))
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not roles & held:
                return error_response(
                    request, PermissionDenied(_("Your role does not allow this."))
                )
        if (
            is_api_request(request)
            and request.method in UNSAFE_METHODS
            and user_roles(request.user)
        ):
            # Ninja's views are exempt from Django's CSRF middleware; a write made with a
            # session cookie must still prove it came from our own pages. (Token requests are
            # marked exempt by the token middleware: they carry no cookie.)
            refused = self._csrf.process_view(request, None, (), {})  # type: ignore[arg-type]
            if refused is not None:
                return error_response(
                    request,
                    PermissionDenied(_("The request lacks a valid CSRF token; reload the page.")),
                )
        return None
