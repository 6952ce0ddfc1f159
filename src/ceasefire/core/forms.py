"""Helpers for views that hand a form's data to a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from ceasefire.core.errors import CeasefireError


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
