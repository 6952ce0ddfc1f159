"""Party scoping, checked the same way by every module: an object of one party is invisible to
the other party's liaison. It answers 404, exactly as an object that does not exist, never 403
(which would confirm that it exists). See docs/security.md."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.test import Client

REFUSED = {401, 403, 404, 405}


def assert_party_scoped(
    client_as: Callable[[str], Client],
    url: str,
    *,
    owner: str = "liaison_north",
    other: str = "liaison_south",
    methods: Iterable[str] = ("GET",),
    missing_url: str | None = None,
) -> None:
    """`url` addresses an object of `owner`'s party: `owner` reaches it, `other` gets a 404 for
    every method in `methods`, and, given `missing_url` (the same kind of address for an ID that
    does not exist), the same answer body as for that, so nothing tells them apart."""
    for method in methods:
        seen = client_as(owner).generic(method, url)
        assert seen.status_code not in REFUSED, (
            f"{owner} {method} {url} answered {seen.status_code}: the owner must reach it"
        )
        hidden = client_as(other).generic(method, url)
        assert hidden.status_code == 404, (
            f"{other} {method} {url} answered {hidden.status_code}; another party's object "
            "must be a 404"
        )
        if missing_url is not None:
            missing = client_as(other).generic(method, missing_url)
            assert missing.status_code == 404
            assert hidden.content.replace(url.encode(), b"") == missing.content.replace(
                missing_url.encode(), b""
            ), "the 404 for another party's object differs from the 404 for no object"
