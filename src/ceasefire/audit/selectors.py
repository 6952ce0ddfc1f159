"""Reads on the audit trail."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from ceasefire.audit.models import AuditEvent


def event_list(
    *,
    username: str = "",
    action: str = "",
    route: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events, newest first, narrowed by the filters given; `until` includes that whole day."""
    events = AuditEvent.objects.select_related("user")
    if username:
        events = events.filter(user__username=username)
    if action:
        events = events.filter(action=action)
    if route:
        events = events.filter(route__icontains=route)
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time.min, zone))
    if until:
        events = events.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, zone))
    return events.order_by("-at", "-id")
