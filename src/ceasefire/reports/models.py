"""Published daily reports, and the summary the report counts handovers from.

A published report keeps the figures exactly as computed at publishing: later records never
change it. `ReceiptTally` is a cache derived from the registry (items per receipt and category);
receipts and their lines are never edited, so a tallied receipt stays right for good."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.ledger.models import LogEntry


class Report(models.Model):
    """A daily situation report, as published (an analyst's action)."""

    day = models.DateField(_("day"), unique=True)
    cutoff = models.DateTimeField(_("cut-off"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    # The log size the figures were computed at; the entry publishing them is at that index.
    size = models.PositiveBigIntegerField(_("log size"))
    figures = models.JSONField(_("figures"))
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"))
    # None when published from the command line (`ceasefire report publish`).
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")

    def __str__(self) -> str:
        return self.day.isoformat()


class ReceiptTally(models.Model):
    """How many items of one category a receipt holds, with the receipt's time and log index:
    the daily report counts a million items from a few tens of thousands of these rows."""

    receipt_id = models.BigIntegerField()
    received_at = models.DateTimeField()
    # The index of the receipt's header entry, written after its items' entries.
    entry_id = models.BigIntegerField()
    category = models.CharField(max_length=32)
    items = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["receipt_id", "category"], name="tally_once")
        ]
        indexes = [
            models.Index(
                fields=["received_at", "entry_id", "category", "items"], name="tally_by_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id} {self.category} {self.items}"
