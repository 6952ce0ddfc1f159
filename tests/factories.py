"""Small factory functions for tests: real records made through the services."""

from __future__ import annotations

import itertools

from ceasefire.accounts import services as accounts
from ceasefire.accounts.models import Party, User
from ceasefire.accounts.roles import Role

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def party(code: str | None = None, name: str | None = None) -> Party:
    code = code or f"party{next(_counter)}"
    return Party.objects.filter(code=code).first() or accounts.party_create(
        code=code, name=name or code.title()
    )


def user(*roles: str, party: Party | None = None, username: str | None = None) -> User:
    return accounts.user_create(
        username=username or f"user{next(_counter)}",
        password=PASSWORD,
        roles=list(roles),
        party=party,
        check_password=False,
    )


# The cast of every test module: one user per role, each party's liaison, and an outsider
# who has an account but no role.
CAST: dict[str, tuple[str, ...]] = {
    "field": (Role.FIELD_OFFICER,),
    "storage": (Role.STORAGE_OFFICER,),
    "analyst": (Role.ANALYST,),
    "protection": (Role.PROTECTION_OFFICER,),
    "liaison_north": (Role.LIAISON,),
    "liaison_south": (Role.LIAISON,),
    "admin": (Role.ADMIN,),
    "outsider": (),
}


def cast() -> dict[str, User]:
    north, south = party("north"), party("south")
    people = {}
    for name, roles in CAST.items():
        liaison_party = {"liaison_north": north, "liaison_south": south}.get(name)
        people[name] = user(*roles, party=liaison_party, username=name)
    return people
