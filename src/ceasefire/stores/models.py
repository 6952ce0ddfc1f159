"""Storage containers at collection points and storage centres (places of those kinds), the
items placed in them, their numbered seals, moves and counts, and destruction events.

Items' custody stays in the registry: placing, moving and destroying write the registry's
custody events, naming the container or the destruction certificate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.incidents.models import Incident
from ceasefire.ledger.models import LogEntry
from ceasefire.places.models import Place
from ceasefire.registry.models import Item


class Container(models.Model):
    number = models.CharField(_("container number"), max_length=20, unique=True)
    # Where it is now; each move is recorded (ContainerMove).
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["number"]
        verbose_name = _("container")
        verbose_name_plural = _("containers")

    def __str__(self) -> str:
        return self.number


class Placement(models.Model):
    """An item in a container, from when it was placed until it left (destroyed)."""

    container = models.ForeignKey(Container, on_delete=models.PROTECT, related_name="placements")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["placed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(removed_at__isnull=True), name="item_in_one_container"
            )
        ]

    def __str__(self) -> str:
        return f"{self.container_id}:{self.item_id}"


class Seal(models.Model):
    container = models.ForeignKey(Container, on_delete=models.PROTECT, related_name="seals")
    number = models.CharField(_("seal number"), max_length=50)
    applied_at = models.DateTimeField(_("applied at"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # [{"party": code, "name": ...}]: a witness from each party concerned.
    applied_witnesses = models.JSONField(default=list)
    applied_entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")
    broken_at = models.DateTimeField(_("broken at"), null=True, blank=True)
    broken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    broken_witnesses = models.JSONField(default=list, blank=True)
    broken_reason = models.TextField(blank=True)
    broken_entry = models.OneToOneField(
        LogEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["container"],
                condition=Q(broken_at__isnull=True),
                name="one_intact_seal_per_container",
            )
        ]

    def __str__(self) -> str:
        return self.number


class ContainerMove(models.Model):
    container = models.ForeignKey(Container, on_delete=models.PROTECT, related_name="moves")
    origin = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    destination = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField()
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    items = models.PositiveIntegerField()
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["moved_at", "pk"]

    def __str__(self) -> str:
        return f"{self.container_id} -> {self.destination_id}"


class ContainerCount(models.Model):
    container = models.ForeignKey(Container, on_delete=models.PROTECT, related_name="counts")
    counted_at = models.DateTimeField()
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expected = models.PositiveIntegerField(_("expected"))
    # None for a seal check without a count.
    counted = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    seal_expected = models.CharField(max_length=50, blank=True)
    seal_found = models.CharField(_("seal number found"), max_length=50, blank=True)
    seal_intact = models.BooleanField(_("seal intact"))
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["counted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.container_id} {self.counted}/{self.expected}"


class Destruction(models.Model):
    class Method(models.TextChoices):
        CUTTING = "cutting", _("Cutting")
        CRUSHING = "crushing", _("Crushing")
        MELTING = "melting", _("Melting")
        DETONATION = "detonation", _("Detonation")

    certificate = models.CharField(_("certificate number"), max_length=20, unique=True)
    occurred_at = models.DateTimeField(_("when"))
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    witnesses = models.JSONField(default=list)
    # SHA-256 (hex) of each photo and video; the log holds sealed commitments of them.
    media_hashes = models.JSONField(default=list, blank=True)
    items = models.ManyToManyField(Item, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("destruction")
        verbose_name_plural = _("destructions")

    def __str__(self) -> str:
        return self.certificate
