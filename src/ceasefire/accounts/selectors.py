"""Reads on accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_otp import user_has_device

from ceasefire.accounts.models import ApiToken, Party, User
from ceasefire.accounts.roles import TWO_FACTOR_ROLES


def party_list() -> QuerySet[Party]:
    return Party.objects.order_by("code")


def user_list() -> QuerySet[User]:
    return User.objects.prefetch_related("grants__party").order_by("username")


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def two_factor_required(user: User) -> bool:
    return bool(user.role_set() & TWO_FACTOR_ROLES)


def has_two_factor(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def liaison_scope(user: Any) -> int | None:
    """The party a user's view is limited to: their own when they are a liaison, else None
    (mission members see every party's records)."""
    party_id: int | None = user.liaison_party_id() if hasattr(user, "liaison_party_id") else None
    return party_id
