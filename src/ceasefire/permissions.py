"""Who may call which route: the one table. Keys are URL names (`namespace:name`), values map
HTTP methods to the roles allowed (HEAD follows GET). A route missing here is refused for
everyone, and tests/test_permissions.py fails until it is added, so no route escapes review.

Object-level scoping (a liaison sees only their own party's records) is done by selectors.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.roles import PUBLIC, Role

Rule = dict[str, frozenset[str]]

EVERYONE = frozenset({PUBLIC})
ANY_ROLE = frozenset(Role.values)
ADMIN = frozenset({Role.ADMIN})


def read(roles: frozenset[str]) -> Rule:
    return {"GET": roles}


def form(roles: frozenset[str]) -> Rule:
    """A page that shows a form (GET) and takes it (POST)."""
    return {"GET": roles, "POST": roles}


ROUTE_ROLES: dict[str, Rule] = {
    # Shell
    "core:home": read(EVERYONE),
    "core:health": read(EVERYONE),
    "set_language": {"POST": EVERYONE},
    # Accounts
    "accounts:login": form(EVERYONE),
    "accounts:logout": {"POST": EVERYONE},
    "accounts:password_change": form(ANY_ROLE),
    "accounts:password_change_done": read(ANY_ROLE),
    "accounts:password_reset_confirm": form(EVERYONE),
    "accounts:password_reset_complete": read(EVERYONE),
    "accounts:tokens": form(ANY_ROLE),
    "accounts:token_revoke": {"POST": ANY_ROLE},
    "accounts:users": read(ADMIN),
    "accounts:user_create": form(ADMIN),
    "accounts:user_reset_link": {"POST": ADMIN},
    "accounts:user_deactivate": {"POST": ADMIN},
    # Transparency log: public, read-only
    "ledger:checkpoint": read(EVERYONE),
    "ledger:tile": read(EVERYONE),
    "ledger:key": read(EVERYONE),
    "ledger:proof": read(EVERYONE),
    "ledger:entry": read(EVERYONE),
    "ledger:totals": read(EVERYONE),
    "ledger:totals_publish": {"POST": frozenset({Role.ANALYST})},
    # API
    "api:api-root": read(EVERYONE),
    "api:openapi-json": read(EVERYONE),
    "api:openapi-view": read(EVERYONE),
    "api:me": read(ANY_ROLE),
    "api:parties": read(EVERYONE),
    "api:tokens": {"GET": ANY_ROLE, "POST": ANY_ROLE},
    "api:token": {"DELETE": ANY_ROLE},
}

# The main menu, in order. An entry shows only to users whose roles may open its route.
NAVIGATION: list[tuple[str, Promise]] = [
    ("core:home", _("Home")),
    ("accounts:users", _("Users")),
    ("accounts:tokens", _("API tokens")),
]
