"""Writes on the audit trail. Events are only ever added (models.AuditEvent is append-only)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ceasefire.accounts.models import User
from ceasefire.audit.client import client_ip, user_agent
from ceasefire.audit.models import AuditEvent
from ceasefire.core.errors import ValidationFailed


def _origin(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {}
    return {"ip": client_ip(request), "user_agent": user_agent(request)}


def _actor(user: Any) -> User | None:
    return user if getattr(user, "is_authenticated", False) and user.pk else None


def write_record(
    *, request: HttpRequest, user: Any, route: str, status: int, object_id: str = ""
) -> AuditEvent:
    """Record a write request (any method but GET and HEAD) that reached a route."""
    return AuditEvent.objects.create(
        action=AuditEvent.Action.WRITE,
        user=_actor(user),
        route=route,
        method=request.method or "",
        status=status,
        object_id=object_id,
        **_origin(request),
    )


def record_reveal(
    *,
    user: User,
    obj: models.Model,
    purpose: str,
    fields: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Record that `user` was shown personal data of `obj`, for the stated `purpose`. Call it in
    the same transaction as the read it records, before the data leaves the service. Only the
    field names are kept, never their values."""
    purpose = purpose.strip()
    if not purpose:
        raise ValidationFailed(_("State why you need to see this personal data."), field="purpose")
    if not _actor(user):
        raise ValidationFailed(_("Only a logged-in user can see personal data."))
    return AuditEvent.objects.create(
        action=AuditEvent.Action.REVEAL,
        user=user,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        fields=sorted(fields),
        purpose=purpose,
        **_origin(request),
    )
