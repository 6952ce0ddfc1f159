"""Incidents and alleged violations of the ceasefire, their verification, and evidence files
(kept in storage under generated names; the database keeps their SHA-256 and metadata)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.models import Party
from ceasefire.places.models import Place
from ceasefire.positions.models import LATITUDE, LONGITUDE, MICRODEGREES


class Verification(models.TextChoices):
    REPORTED = "reported", _("Reported")
    UNDER_VERIFICATION = "under_verification", _("Under verification")
    CONFIRMED = "confirmed", _("Confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    DUPLICATE = "duplicate", _("Duplicate")


class Incident(models.Model):
    class Kind(models.TextChoices):
        SMALL_ARMS_FIRE = "small_arms_fire", _("Small-arms fire")
        SHELLING = "shelling", _("Shelling")
        MOVEMENT_RESTRICTION = "movement_restriction", _("Movement restriction")
        CONVOY_OBSTRUCTION = "convoy_obstruction", _("Obstruction of a convoy")
        MINE_UXO = "mine_uxo", _("Mine or unexploded ordnance")
        OTHER = "other", _("Other")

    occurred_at = models.DateTimeField(_("when"))
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("place"),
    )
    lat_microdeg = models.IntegerField(_("latitude (microdegrees)"), validators=LATITUDE)
    lon_microdeg = models.IntegerField(_("longitude (microdegrees)"), validators=LONGITUDE)
    location = models.CharField(_("location details"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    source = models.CharField(_("source"), max_length=300)
    alleged_party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("alleged party"),
    )
    # The latest verification update's status, kept here for lists and filters.
    verification = models.CharField(
        _("verification"), max_length=32, choices=Verification.choices, default="reported"
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    log_index = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"INC-{self.pk}"

    @property
    def latitude(self) -> Decimal:
        return self.lat_microdeg / MICRODEGREES

    @property
    def longitude(self) -> Decimal:
        return self.lon_microdeg / MICRODEGREES


class VerificationUpdate(models.Model):
    """One step of an incident's verification; the incident's status is the last one's."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(_("status"), max_length=32, choices=Verification.choices)
    note = models.TextField(_("note"), blank=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    log_index = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident} {self.status}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # A generated storage name; the uploaded file name is never used as a path.
    file = models.FileField(max_length=200)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    log_index = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.incident} {self.sha256[:12]}"
