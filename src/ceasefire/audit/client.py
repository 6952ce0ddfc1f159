"""Where a request came from: the client's address and user agent, as the audit trail and
login throttling record them."""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest

USER_AGENT_LENGTH = 300


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind `PROXY_COUNT` trusted proxies, each of which appends the
    address it saw to X-Forwarded-For, the client is that many entries from the end; anything
    further left was written by the client and cannot be trusted."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.PROXY_COUNT
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ip_address(address))
    except ValueError:
        return None


def user_agent(request: HttpRequest) -> str:
    return request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH]
