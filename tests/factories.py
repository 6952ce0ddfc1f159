"""Small factory functions for tests: real records made through the services."""

from __future__ import annotations

import itertools

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceasefire.accounts import services as accounts
from ceasefire.accounts.models import Party, User
from ceasefire.accounts.roles import Role
from ceasefire.places import services as places
from ceasefire.places.models import Place
from ceasefire.places.services import NameForm

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


def totp_device(user: User) -> TOTPDevice:
    """A confirmed authenticator for `user`; `totp(device.bin_key)` gives its current code."""
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return device


def pass_two_factor(client: Client, user: User) -> None:
    """Mark the client's session as having given its two-factor code, as admins and protection
    officers must before any page."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()


def cast() -> dict[str, User]:
    north, south = party("north"), party("south")
    people = {}
    for name, roles in CAST.items():
        liaison_party = {"liaison_north": north, "liaison_south": south}.get(name)
        people[name] = user(*roles, party=liaison_party, username=name)
    return people


def place(
    code: str | None = None,
    *,
    neutral: dict[str, str] | None = None,
    by_party: dict[str, dict[str, str]] | None = None,
) -> Place:
    """A settlement with the mission's neutral names by language and each party's own forms."""
    code = code or f"place{next(_counter)}"
    names = [
        NameForm(language=language, name=name, neutral=True)
        for language, name in (neutral or {"en": code.title()}).items()
    ]
    names += [
        NameForm(language=language, name=name, party=party(party_code))
        for party_code, forms in (by_party or {}).items()
        for language, name in forms.items()
    ]
    return places.place_create(code=code, kind=Place.Kind.SETTLEMENT, names=names)
