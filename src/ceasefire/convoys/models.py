"""Humanitarian convoys (after the Logistics Cluster's consignment practice and OCHA's
humanitarian notification) and daily crossing counts at the corridor's checkpoints.

Quantities are whole numbers in their stated unit (kilograms, litres, kits, pieces), so they go
into the log exactly."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.models import Party
from ceasefire.places.models import Place

# A notification or acknowledgement later than this before departure earns a warning.
NOTICE = timedelta(hours=48)


class Convoy(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ON_THE_ROAD = "on_the_road", _("On the road")
        ARRIVED = "arrived", _("Arrived")
        TURNED_BACK = "turned_back", _("Turned back")

    reference = models.SlugField(_("reference"), max_length=32, unique=True)
    organisation = models.CharField(_("organisation"), max_length=200)
    origin = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("origin")
    )
    destination = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("destination")
    )
    vehicles = models.PositiveIntegerField(_("vehicles"))
    planned_departure = models.DateTimeField(_("planned departure"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    departed_at = models.DateTimeField(_("departed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("arrived or turned back"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    log_index = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-planned_departure", "-pk"]
        verbose_name = _("convoy")
        verbose_name_plural = _("convoys")

    def __str__(self) -> str:
        return self.reference

    @property
    def closed(self) -> bool:
        return self.status in (self.Status.ARRIVED, self.Status.TURNED_BACK)


class RouteStop(models.Model):
    """A corridor checkpoint on a convoy's route, in the order it is passed."""

    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="route")
    checkpoint = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["convoy", "order"]
        constraints = [
            models.UniqueConstraint(fields=["convoy", "order"], name="route_stop_order_unique"),
            models.UniqueConstraint(
                fields=["convoy", "checkpoint"], name="route_stop_checkpoint_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convoy} {self.order}. {self.checkpoint}"


class ManifestLine(models.Model):
    class Unit(models.TextChoices):
        KG = "kg", _("kilograms")
        LITRE = "l", _("litres")
        KIT = "kit", _("kits")
        PIECE = "piece", _("pieces")

    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="lines")
    item = models.CharField(_("item"), max_length=200)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    quantity = models.PositiveIntegerField(_("quantity dispatched"))
    received_good = models.PositiveIntegerField(
        _("received in good condition"), null=True, blank=True
    )
    received_damaged = models.PositiveIntegerField(_("received damaged"), null=True, blank=True)

    class Meta:
        ordering = ["convoy", "pk"]

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit} {self.item}"


class Notification(models.Model):
    """The convoy's advance notification to one party, and that party's acknowledgement."""

    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="notifications")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["convoy", "party__code"]
        constraints = [
            models.UniqueConstraint(fields=["convoy", "party"], name="one_notification_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.convoy} → {self.party}"

    @property
    def short_notice(self) -> bool:
        return self.sent_at > self.convoy.planned_departure - NOTICE

    @property
    def late_acknowledgement(self) -> bool:
        return (
            self.acknowledged_at is not None
            and self.acknowledged_at > self.convoy.planned_departure - NOTICE
        )


class MovementEvent(models.Model):
    class Kind(models.TextChoices):
        DEPARTED = "departed", _("Departed")
        PASSED = "passed", _("Passed")
        INSPECTED = "inspected", _("Inspected")
        HELD = "held", _("Held")
        TURNED_BACK = "turned_back", _("Turned back")

    convoy = models.ForeignKey(Convoy, on_delete=models.PROTECT, related_name="events")
    # None for the departure, which happens at the origin.
    checkpoint = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    held_minutes = models.PositiveIntegerField(_("held for (minutes)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    log_index = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.convoy} {self.kind} {self.checkpoint}"


class LossReport(models.Model):
    line = models.ForeignKey(ManifestLine, on_delete=models.PROTECT, related_name="losses")
    quantity = models.PositiveIntegerField(_("quantity lost"))
    reason = models.CharField(_("reason"), max_length=300)
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    log_index = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["reported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.line} lost {self.quantity}"


class CrossingCount(models.Model):
    """People and vehicles crossing one checkpoint in one direction on one day, by broad group.
    Aggregates only: never a person's identity."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound")
        OUTBOUND = "outbound", _("Outbound")

    checkpoint = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("checkpoint")
    )
    day = models.DateField(_("day"))
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    # Age groups do not overlap; persons with disabilities are counted among them too.
    men = models.PositiveIntegerField(_("men (18 to 59)"))
    women = models.PositiveIntegerField(_("women (18 to 59)"))
    children = models.PositiveIntegerField(_("children (under 18)"))
    elderly = models.PositiveIntegerField(_("elderly (60 and over)"))
    disabled = models.PositiveIntegerField(_("of whom persons with disabilities"))
    vehicles = models.PositiveIntegerField(_("vehicles"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    log_index = models.PositiveBigIntegerField(null=True, blank=True)

    GROUPS = ("men", "women", "children", "elderly")

    class Meta:
        ordering = ["-day", "checkpoint__code", "direction"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "day", "direction"], name="one_count_per_day_and_direction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.day} {self.direction}"

    @property
    def people(self) -> int:
        return sum(getattr(self, group) for group in self.GROUPS)
