"""Phones, submissions as received, and their attachments.

A submission is kept exactly as ODK Collect sent it (for an encrypted form: still encrypted), so
nothing a field officer sent is ever lost, whatever later happens to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Device(models.Model):
    """One officer's phone. Its token goes in the server URL that Collect is configured with:
    stored as a SHA-256 digest, shown once, revocable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="field_devices"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    # The `collect:...` ID Collect last sent from this phone.
    collect_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Status(models.TextChoices):
    # Part of a split submission; the rest is still on its way.
    INCOMPLETE = "incomplete", _("Incomplete")
    ACCEPTED = "accepted", _("Accepted")
    QUARANTINED = "quarantined", _("In quarantine")
    REJECTED = "rejected", _("Rejected")


class Submission(models.Model):
    instance_id = models.CharField(_("instance ID"), max_length=100, unique=True)
    form_id = models.CharField(_("form"), max_length=100)
    form_version = models.CharField(max_length=50, blank=True)
    # The XML as received: for an encrypted form, Collect's envelope with the encrypted key.
    xml = models.BinaryField()
    xml_sha256 = models.CharField(max_length=64)
    encrypted = models.BooleanField(default=False)
    # An analyst's corrected version of a non-personal submission (personal ones are never
    # stored decrypted).
    corrected_xml = models.BinaryField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="field_submissions"
    )
    device = models.ForeignKey(Device, on_delete=models.SET_NULL, null=True, blank=True)
    collect_id = models.CharField(_("device ID"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    # What the submission became, e.g. `registry.receipt:12`.
    record = models.CharField(_("record"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "form_id"])]

    def __str__(self) -> str:
        return self.instance_id


class Attachment(models.Model):
    """A media file of a submission, named as Collect named it (`<millis>.<ext>`, or
    `<name>.enc` for an encrypted form); stored as received under its SHA-256."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    stored = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "name"], name="attachment_name_once")
        ]

    def __str__(self) -> str:
        return self.name
