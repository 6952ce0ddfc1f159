"""Small helpers shared by the ground apps (positions, convoys, incidents)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.core.errors import CeasefireError, ValidationFailed

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


def form_error(form: forms.Form, exc: CeasefireError) -> None:
    """Show a service's error on the form: on the field it names, else above the form."""
    placed = False
    for name, messages in exc.fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def run_form(form: forms.Form, action: Callable[[dict[str, Any]], Any]) -> Any:
    """Call `action(cleaned_data)` when the bound form is valid; on a service error put the
    message on the form and return None."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except CeasefireError as exc:
        form_error(form, exc)
        return None


def liaison_scope(user: Any) -> int | None:
    """The party a user's view is limited to: their own when they are a liaison, else None
    (mission members see every party's records)."""
    party_id: int | None = user.liaison_party_id() if hasattr(user, "liaison_party_id") else None
    return party_id
