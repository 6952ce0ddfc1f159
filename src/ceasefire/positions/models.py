"""Positions held by the parties, and their status timeline.

A position's status is the status of its last event; events are appended, never edited.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.models import Party
from ceasefire.places.models import Place

MICRODEGREES = Decimal(1_000_000)
LATITUDE = [MinValueValidator(-90_000_000), MaxValueValidator(90_000_000)]
LONGITUDE = [MinValueValidator(-180_000_000), MaxValueValidator(180_000_000)]


class Status(models.TextChoices):
    HELD = "held", _("Held")
    VACATED = "vacated", _("Vacated")
    TAKEN_OVER = "taken_over", _("Taken over by the mission")
    REOCCUPIED = "reoccupied", _("Reoccupied")


class Position(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Whole microdegrees (WGS 84), as in places and in the log.
    lat_microdeg = models.IntegerField(_("latitude (microdegrees)"), validators=LATITUDE)
    lon_microdeg = models.IntegerField(_("longitude (microdegrees)"), validators=LONGITUDE)
    sector = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        limit_choices_to={"kind": Place.Kind.SECTOR},
        verbose_name=_("sector"),
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="positions", verbose_name=_("holding party")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def latitude(self) -> Decimal:
        return self.lat_microdeg / MICRODEGREES

    @property
    def longitude(self) -> Decimal:
        return self.lon_microdeg / MICRODEGREES


class PositionEvent(models.Model):
    class Kind(models.TextChoices):
        HELD = "held", _("Held")
        VACATED = "vacated", _("Vacated")
        TAKEN_OVER = "taken_over", _("Taken over by the mission")
        VISIT = "visit", _("Verification visit")

    class Finding(models.TextChoices):
        REMAINS_VACATED = "remains_vacated", _("Remains vacated")
        REOCCUPIED = "reoccupied", _("Reoccupied")
        UXO_FOUND = "uxo_found", _("Unexploded ordnance found")

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    # The position's status after this event; the current status is the last event's.
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    occurred_at = models.DateTimeField(_("when"))
    verified_by = models.CharField(_("verified by"), max_length=200, blank=True)
    unit = models.CharField(_("mission unit"), max_length=200, blank=True)
    finding = models.CharField(_("finding"), max_length=32, choices=Finding.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    log_index = models.PositiveBigIntegerField(null=True, blank=True)
    # A liaison of the holding party confirming a withdrawal (vacated events only).
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["position", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.position.code} {self.kind} {self.occurred_at:%Y-%m-%d}"


class MissionLayer(models.Model):
    """A layer the mission draws itself (sectors, line of contact, corridor) as GeoJSON, so the
    map means something with no tile server and no network."""

    class Kind(models.TextChoices):
        SECTORS = "sectors", _("Sectors")
        LINE_OF_CONTACT = "line_of_contact", _("Line of contact")
        CORRIDOR = "corridor", _("Corridor")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    geojson = models.JSONField(_("GeoJSON"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("mission layer")
        verbose_name_plural = _("mission layers")

    def __str__(self) -> str:
        return self.code

    @property
    def geojson_text(self) -> str:
        return json.dumps(self.geojson, indent=2, ensure_ascii=False)
