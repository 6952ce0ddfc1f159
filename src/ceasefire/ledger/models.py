"""Storage of the transparency log. Written only by ledger.services, inside the writer's own
transaction, so a record and its entry are committed together or not at all."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class LogEntry(models.Model):
    """One entry: its exact bytes (canonical JSON) at its index in the Merkle tree."""

    index = models.PositiveBigIntegerField(primary_key=True)
    entry_type = models.CharField(max_length=64, db_index=True)
    body = models.BinaryField()
    leaf_hash = models.BinaryField(max_length=32)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["index"]

    def __str__(self) -> str:
        return f"#{self.index} {self.entry_type}"


class LogHash(models.Model):
    """A stored hash of the tree (tlog's scheme: about two per entry), from which proofs and
    hash tiles are read."""

    index = models.PositiveBigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"hash {self.index}"


class LogHead(models.Model):
    """The one row that every append locks: the tree size, its compact range (the roots of its
    complete subtrees) and the policy version in force."""

    size = models.PositiveBigIntegerField(default=0)
    compact_range = models.BinaryField(default=b"")
    policy_version = models.PositiveIntegerField(default=0)
    policy_digest = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"log of {self.size} entries"


class SealedField(models.Model):
    """The private half of a sealed field: the secret of its commitment and, unless the value is
    personal (kept encrypted by its own app), the value. Deleting the secret unlinks the entry
    for good; the log itself stays intact."""

    entry = models.ForeignKey(LogEntry, on_delete=models.PROTECT, related_name="sealed_fields")
    field = models.CharField(max_length=64)
    secret = models.BinaryField(max_length=32, null=True)
    value = models.BinaryField(null=True)  # canonical JSON of the value
    # Delayed disclosure: published as a ledger.opening/1 entry when this key is released.
    release_key = models.CharField(max_length=100, blank=True, default="", db_index=True)
    opened_by = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "field"], name="one_secret_per_field")
        ]

    def __str__(self) -> str:
        return f"#{self.entry_id}.{self.field}"


class Checkpoint(models.Model):
    """A signed checkpoint, as published under /log/checkpoint."""

    size = models.PositiveBigIntegerField(unique=True)
    root_hash = models.BinaryField(max_length=32)
    signed_note = models.TextField()
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-size"]
        get_latest_by = "size"

    def __str__(self) -> str:
        return f"checkpoint {self.size}"
