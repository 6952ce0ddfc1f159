from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from ceasefire.audit.services import write_record

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class AuditMiddleware:
    """Records every write request that reaches a route, whether it was allowed or refused,
    with the status it got. Only the route's numeric arguments (record IDs) are kept: other
    arguments may be secrets, such as a password-reset token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        # The request's writes and their record share one transaction: a write is never kept
        # without its record, and it costs one commit, not two. A failed request (5xx) keeps
        # nothing but the record, written on its own once its writes are rolled back.
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code < 500:
                self._record(request, response)
                return response
            transaction.set_rollback(True)
        self._record(request, response)
        return response

    def _record(self, request: HttpRequest, response: HttpResponse) -> None:
        route: str | None = getattr(request, "_audit_route", None)
        if route is None:
            return
        # Logging out leaves the request anonymous: the actor is who called the route.
        user = request.user if request.user.is_authenticated else request._audit_user  # type: ignore[attr-defined]
        write_record(
            request=request,
            user=user,
            route=route,
            status=response.status_code,
            object_id=getattr(request, "_audit_object", ""),
        )

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if request.method in SAFE_METHODS or request.resolver_match is None:
            return
        request._audit_route = request.resolver_match.view_name  # type: ignore[attr-defined]
        request._audit_user = request.user  # type: ignore[attr-defined]
        request._audit_object = " ".join(  # type: ignore[attr-defined]
            f"{name}={value}" for name, value in view_kwargs.items() if isinstance(value, int)
        )
