"""`{{ position.current_status|position_status }}`: a status code as the reader's words."""

from __future__ import annotations

from django import template

from ceasefire.positions.models import Status

register = template.Library()


@register.filter
def position_status(value: str | None) -> str:
    return str(Status(value).label) if value in Status.values else "—"
