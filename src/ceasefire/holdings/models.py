"""Declared holdings: what each party says it holds, per unit, location and category, and the
independent estimates beside them. A declaration is amended by a new version of the same
holding; earlier versions stay as they were recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.models import Party
from ceasefire.ledger.models import LogEntry
from ceasefire.places.models import Place
from ceasefire.registry.models import Category


class Holding(models.Model):
    """One line a party declares: a unit's holdings of one category at one location."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(_("unit"), max_length=200)
    # The unit as compared with the units named on handover receipts.
    unit_key = models.CharField(max_length=200, db_index=True)
    location = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)

    class Meta:
        ordering = ["party", "unit_key", "category", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "unit_key", "location", "category"], name="holding_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.party_id} {self.unit} {self.category}"


class Declaration(models.Model):
    """One version of a holding's declaration. The current one is the highest version."""

    holding = models.ForeignKey(Holding, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    # Weapons or lots, as the registry counts them.
    quantity = models.PositiveIntegerField(_("quantity"))
    serials = models.JSONField(_("serial numbers"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now)
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["holding", "version"]
        constraints = [
            models.UniqueConstraint(fields=["holding", "version"], name="declaration_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.holding_id} v{self.version}"


class Estimate(models.Model):
    """An independent estimate of a party's holdings (the mission's own or a third party's)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(_("unit"), max_length=200)
    unit_key = models.CharField(max_length=200, db_index=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    source = models.CharField(_("source"), max_length=200)
    estimated_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-estimated_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.party_id} {self.unit} {self.category} ~{self.quantity}"
