"""Arms caches, reported by a party or found, their verification visits and what was found in
them. A cache's location is delayed disclosure: sealed in the log until the cache is cleared."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.models import Party
from ceasefire.ledger.models import LogEntry
from ceasefire.positions.models import LATITUDE, LONGITUDE
from ceasefire.registry.models import Receipt
from ceasefire.stores.models import Container


class Cache(models.Model):
    class Origin(models.TextChoices):
        REPORTED = "reported", _("Reported by a party")
        FOUND = "found", _("Found")

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        VERIFIED = "verified", _("Verified")
        CLEARED = "cleared", _("Cleared")

    number = models.CharField(_("cache number"), max_length=20, unique=True)
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lat_microdeg = models.IntegerField(_("latitude (microdegrees)"), validators=LATITUDE)
    lon_microdeg = models.IntegerField(_("longitude (microdegrees)"), validators=LONGITUDE)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REPORTED
    )
    reported_at = models.DateTimeField(_("reported at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["number"]
        verbose_name = _("arms cache")
        verbose_name_plural = _("arms caches")

    def __str__(self) -> str:
        return self.number

    @property
    def release_key(self) -> str:
        return f"cache:{self.pk}"


class Visit(models.Model):
    cache = models.ForeignKey(Cache, on_delete=models.PROTECT, related_name="visits")
    visited_at = models.DateTimeField(_("visited at"))
    findings = models.TextField(_("findings"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["visited_at", "pk"]

    def __str__(self) -> str:
        return f"{self.cache_id} {self.visited_at:%Y-%m-%d}"


class Find(models.Model):
    """Contents found in a cache, entered into the registry on a receipt of their own, then
    destroyed on site or extracted into a container."""

    class Disposition(models.TextChoices):
        DESTROYED = "destroyed_on_site", _("Destroyed on site")
        EXTRACTED = "extracted", _("Extracted into a container")

    cache = models.ForeignKey(Cache, on_delete=models.PROTECT, related_name="finds")
    receipt = models.OneToOneField(Receipt, on_delete=models.PROTECT, related_name="+")
    disposition = models.CharField(_("disposition"), max_length=24, choices=Disposition.choices)
    method = models.CharField(_("method"), max_length=200, blank=True)
    witnesses = models.JSONField(default=list, blank=True)
    container = models.ForeignKey(
        Container, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.cache_id} {self.receipt_id}"
