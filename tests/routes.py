"""Every route of the URL conf, enumerated, with sample arguments to reverse it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# A sample value for each URL parameter name; objects need not exist (404 still proves that
# the access check let the request through).
SAMPLE_KWARGS: dict[str, Any] = {
    "token_id": 999999,
    "user_id": 999999,
    "uidb64": "MQ",
    "token": "set-password",
    "index": 0,
    "path": "0/000",
}


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def all_route_names() -> set[str]:
    return {name for name, _pattern in _walk(get_resolver().url_patterns)}


def unnamed_patterns() -> list[str]:
    found = []

    def walk(patterns: list[Any]) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif not entry.name:
                found.append(str(entry.pattern))

    walk(get_resolver().url_patterns)
    return found


def url_for(route: str) -> str:
    pattern = dict(_walk(get_resolver().url_patterns))[route]
    names = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
    return reverse(route, kwargs={name: SAMPLE_KWARGS[name] for name in names})
