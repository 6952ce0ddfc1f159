"""The audit trail: who did what, when and from where. Append-only.

An event names the actor, the route or the object touched and the client's address; it never
holds the values of personal fields, only the names of the fields revealed.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnly("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        WRITE = "write", _("Write")
        REVEAL = "reveal", _("Reveal of personal data")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # Writes: the route and method called and the status answered.
    route = models.CharField(_("route"), max_length=100, blank=True)
    method = models.CharField(_("method"), max_length=10, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    # The object touched: a model label and primary key, or the route's numeric arguments.
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object"), max_length=200, blank=True)
    # Reveals: the names (never the values) of the fields shown, and the purpose stated.
    fields = models.JSONField(_("fields"), default=list, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.route or self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Audit events cannot be deleted.")
