from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class ThrottledBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuses logins for a username and address that failed too often (django-axes); the next
    backend checks the password. Only web logins are throttled: code that authenticates without
    a request (tests, scripts on the server) has no address to count against."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)  # type: ignore[no-any-return]
