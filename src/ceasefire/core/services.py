"""Helpers for every app's writes: validation before saving, and times as log entries hold
them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.core.errors import ValidationFailed

M = TypeVar("M", bound=models.Model)


def iso_utc(moment: datetime) -> str:
    """A time as it goes into a log entry: ISO 8601, UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def save_valid(
    instance: M, *, exclude: list[str] | None = None, validate_constraints: bool = True
) -> M:
    """full_clean then save, turning Django's validation errors into ours.

    A related object the caller handed in as an instance was loaded already, so Django's check
    that it exists (a query per foreign key) is skipped; the database's foreign key still holds.
    """
    loaded = [
        field.name
        for field in instance._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and not field.remote_field.limit_choices_to
        and field.is_cached(instance)
    ]
    try:
        instance.full_clean(
            exclude=[*(exclude or ()), *loaded], validate_constraints=validate_constraints
        )
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from None
    instance.save()
    return instance


def not_in_future(moment: datetime, *, field: str) -> None:
    if moment > timezone.now() + timedelta(minutes=5):
        raise ValidationFailed(_("This time is in the future."), field=field)
