"""Reads on accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from ceasefire.accounts.models import ApiToken, Party, User


def party_list() -> QuerySet[Party]:
    return Party.objects.order_by("code")


def user_list() -> QuerySet[User]:
    return User.objects.prefetch_related("grants__party").order_by("username")


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
