"""The demobilization and amnesty registry: people who handed over arms.

Personal fields and files are stored only encrypted (people/crypto.py) under the record's own
data key, itself stored wrapped under a key-encryption key kept outside the database. What stays
in clear is what analysts and liaisons may see: a pseudonymous reference, the party, the
screening outcome, dates, the linked receipts and the amnesty outcome. Erasure destroys the data
key, the blind index and the log's commitment secrets; the row stays, marked erased, with those
non-personal facts, so every count is unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.models import Party
from ceasefire.ledger.models import LogEntry
from ceasefire.registry.models import Receipt

# The personal fields of a person, each stored encrypted in the column `<name>_enc`.
PERSONAL_FIELDS = (
    "name",
    "other_names",
    "birth_date",
    "origin",
    "unit",
    "rank",
    "contact",
    "screening_notes",
)


class Screening(models.TextChoices):
    PENDING = "pending", _("Not screened yet")
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    REFERRED = "referred", _("Referred for special protection")


class Person(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ERASED = "erased", _("Erased")

    # The pseudonym analysts and liaisons see, printed on the certificate; random, so it
    # tells nothing of when or where the person registered. None once erased (NULLs, unlike
    # empty strings, do not collide in a unique column).
    reference = models.CharField(  # noqa: DJ001
        _("reference"), max_length=16, unique=True, null=True
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )
    screening = models.CharField(
        _("screening outcome"), max_length=16, choices=Screening.choices, default=Screening.PENDING
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    receipts = models.ManyToManyField(
        Receipt, related_name="+", blank=True, verbose_name=_("handover receipts")
    )
    # Envelope encryption: the data key wrapped under the KEK `kek_id`; None once erased.
    data_key = models.BinaryField(null=True)
    kek_id = models.CharField(max_length=16, blank=True)
    # HMAC of the normalised name and date of birth (crypto.blind_index): finds duplicates
    # without storing names. None once erased.
    blind_index = models.CharField(max_length=64, unique=True, null=True)  # noqa: DJ001
    name_enc = models.BinaryField(default=b"")
    other_names_enc = models.BinaryField(default=b"")
    birth_date_enc = models.BinaryField(default=b"")
    origin_enc = models.BinaryField(default=b"")
    unit_enc = models.BinaryField(default=b"")
    rank_enc = models.BinaryField(default=b"")
    contact_enc = models.BinaryField(default=b"")
    screening_notes_enc = models.BinaryField(default=b"")
    # The `people.registration/1` entry, once the day's batch is in the log.
    entry = models.OneToOneField(
        LogEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-registered_on", "-pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    @property
    def erased(self) -> bool:
        return self.status == self.Status.ERASED


class PersonFile(models.Model):
    """A photo or the demobilization certificate, stored encrypted under the person's data key.
    No hash of the clear file is kept: it would confirm a leaked photo."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        CERTIFICATE = "certificate", _("Demobilization certificate")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    storage_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_file_of_each_kind")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"


class AmnestyApplication(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="applications", verbose_name=_("person")
    )
    applied_on = models.DateField(_("applied on"))
    # The applicant's statement, encrypted under the person's data key.
    statement_enc = models.BinaryField(default=b"")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-applied_on", "-pk"]
        verbose_name = _("amnesty application")
        verbose_name_plural = _("amnesty applications")

    def __str__(self) -> str:
        return f"{self.person} {self.applied_on}"


class AmnestyDecision(models.Model):
    """The decision on an application, its own record: who decided, when, on what grounds
    (encrypted: grounds speak of the person)."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    application = models.OneToOneField(
        AmnestyApplication, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    grounds_enc = models.BinaryField(default=b"")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    # The `people.amnesty/1` entry, once the day's batch is in the log.
    entry = models.OneToOneField(
        LogEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("amnesty decision")
        verbose_name_plural = _("amnesty decisions")

    def __str__(self) -> str:
        return f"{self.application} {self.outcome}"


class PendingEntry(models.Model):
    """A registration or amnesty decision waiting for the day's batch: batches are appended in
    random order, so the log's timing links no one to a handover."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decision = models.OneToOneField(
        AmnestyDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.person_id} {'amnesty' if self.decision_id else 'registration'}"


class Erasure(models.Model):
    """The erasure of a person's personal data, logged as `people.erasure/1`. A restore from an
    older backup re-applies every erasure the log holds (`services.erasure_reapply`)."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="erasure")
    reason = models.TextField(_("reason"))
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(default=timezone.now)
    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"erasure of {self.person_id}"
