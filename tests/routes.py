"""Every route of the URL conf and of the API's OpenAPI schema, enumerated, with sample
arguments to reverse it, and the hand-written expectation of who may call it
(tests/access_expectations.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from fnmatch import fnmatchcase
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from ceasefire.accounts.roles import PUBLIC, Role
from ceasefire.api import api
from tests.access_expectations import EXPECTATIONS

# A sample value for each URL parameter name; objects need not exist (404 still proves that
# the access check let the request through).
SAMPLE_KWARGS: dict[str, Any] = {
    "token_id": 999999,
    "user_id": 999999,
    "uidb64": "MQ",
    "token": "set-password",
    "index": 0,
    "path": "0/000",
    "receipt_id": 999999,
    "item_id": 999999,
    "container_id": 999999,
    "cache_id": 999999,
    "pk": 999999,
    "event_id": 999999,
    "evidence_id": 999999,
    "incident_id": 999999,
    "code": "no-such-code",
    "reference": "no-such-convoy",
    "form_id": "weapon_handover",
    "name": "weapons.csv",
    "device_id": 999999,
    "submission_id": 999999,
    "person_id": 999999,
    "application_id": 999999,
    "day": "2026-01-01",
    "dataset": "items",
    "fmt": "csv",
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


def openapi_operations() -> list[tuple[str, str]]:
    """(path, METHOD) of every operation the API's OpenAPI schema describes."""
    paths = api.get_openapi_schema()["paths"]
    return [(path, method.upper()) for path, item in paths.items() for method in item]


def route_of_openapi_path(path: str) -> str:
    """The URL name an OpenAPI path resolves to, its `{parameters}` filled from SAMPLE_KWARGS."""
    concrete = re.sub(r"{(\w+)}", lambda m: str(SAMPLE_KWARGS[m.group(1)]), path)
    return resolve(concrete).view_name


WHO: dict[str, frozenset[str]] = {
    "everyone": frozenset({PUBLIC}),
    "members": frozenset(Role.values),
    "field": frozenset({Role.FIELD_OFFICER}),
    "storage": frozenset({Role.STORAGE_OFFICER}),
    "analyst": frozenset({Role.ANALYST}),
    "protection": frozenset({Role.PROTECTION_OFFICER}),
    "liaison": frozenset({Role.LIAISON}),
    "admin": frozenset({Role.ADMIN}),
}


def parse_expectation(text: str) -> dict[str, frozenset[str]]:
    """`"GET POST: admin; DELETE: members"` -> {"GET": {admin}, "POST": {admin}, "DELETE": ...}."""
    rule: dict[str, frozenset[str]] = {}
    for group in text.split(";"):
        methods, _colon, who = group.partition(":")
        roles = frozenset().union(*(WHO[word] for word in who.split()))
        assert methods.split() and roles, f"bad expectation {text!r}"
        for method in methods.split():
            assert method not in rule, f"{method} twice in {text!r}"
            rule[method] = roles
    return rule


def expectation_key(route: str) -> str | None:
    """The line of EXPECTATIONS that speaks for `route`: its own, else the one pattern matching."""
    if route in EXPECTATIONS:
        return route
    patterns = [key for key in EXPECTATIONS if "*" in key and fnmatchcase(route, key)]
    assert len(patterns) <= 1, f"{route} matches several patterns: {patterns}"
    return patterns[0] if patterns else None


def expected_rule(route: str) -> dict[str, frozenset[str]]:
    key = expectation_key(route)
    assert key is not None, f"{route}: no line in tests/access_expectations.py"
    return parse_expectation(EXPECTATIONS[key])
