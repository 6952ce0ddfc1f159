"""Writes on the people registry. Personal values are encrypted here, with the record's own data
key (people/crypto.py), before anything is saved; they leave only through `person_reveal` and
`certificate_read`, which record the reveal first. Log entries are commitments only, queued and
appended in daily batches in random order (`batch_publish`)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.models import Party, User
from ceasefire.audit.services import record_reveal
from ceasefire.core.errors import Conflict, NotFound, ValidationFailed
from ceasefire.core.uploads import accept_upload
from ceasefire.ledger import services as ledger
from ceasefire.ledger.entries import JSONValue
from ceasefire.ledger.models import LogEntry, SealedField
from ceasefire.people import crypto, logtypes
from ceasefire.people.models import (
    PERSONAL_FIELDS,
    AmnestyApplication,
    AmnestyDecision,
    Erasure,
    PendingEntry,
    Person,
    PersonFile,
    Screening,
)
from ceasefire.registry.models import Receipt

PHOTO_MAX_BYTES = 10 * 1024 * 1024
TEXT_LIMITS = {"name": 200, "other_names": 500, "origin": 200, "unit": 200, "rank": 100}
TEXT_LIMITS |= {"contact": 500, "screening_notes": 4000, "statement": 8000, "grounds": 8000}
MULTILINE = frozenset({"contact", "screening_notes", "statement", "grounds"})
# Letters and digits that cannot be mistaken for one another when read aloud or copied.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
OLDEST_BIRTH_YEAR = 1900
# The fields of registration and amnesty entries, whose secrets an erasure destroys.
COMMITTED_FIELDS = sorted(
    {f.name for entry_type in (logtypes.REGISTRATION, logtypes.AMNESTY) for f in entry_type.fields}
)


@dataclass(frozen=True)
class PersonIn:
    """What a field officer registers. Everything but the party and screening is personal."""

    name: str
    birth_date: date | None
    party: Party | None
    other_names: str = ""
    origin: str = ""
    unit: str = ""
    rank: str = ""
    contact: str = ""
    screening: str = Screening.PENDING
    screening_notes: str = ""


@dataclass
class Revealed:
    """A person's personal data, decrypted for one reveal."""

    fields: dict[str, str]
    photo: tuple[str, bytes] | None  # content type, bytes
    statements: dict[int, str] = field(default_factory=dict)  # application id -> statement
    grounds: dict[int, str] = field(default_factory=dict)  # decision id -> grounds


def record_label(obj: models.Model) -> str:
    """The associated data naming a record: a ciphertext moved to another row fails."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def data_key(person: Person) -> bytes:
    if person.data_key is None:
        raise Conflict(_("This person's personal data was erased; it no longer exists."))
    return crypto.unwrap(bytes(person.data_key), person.kek_id, record=record_label(person))


def _seal(key: bytes, obj: models.Model, name: str, value: str) -> None:
    setattr(
        obj,
        f"{name}_enc",
        crypto.encrypt(key, value.encode(), record=record_label(obj), field=name),
    )


def _unseal(key: bytes, obj: models.Model, name: str) -> str:
    blob = bytes(getattr(obj, f"{name}_enc"))
    return crypto.decrypt(key, blob, record=record_label(obj), field=name).decode()


def _full_clean(record: models.Model, exclude: Iterable[str] = ()) -> None:
    try:
        record.full_clean(exclude=list(exclude))
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from None


def _text(name: str, value: str, *, required: bool = False) -> str:
    """A cleaned text value: one line, with spacing tidied, except for the free-text fields."""
    value = value.strip() if name in MULTILINE else " ".join(value.split())
    if required and not value:
        raise ValidationFailed(_("This field is required."), field=name)
    if len(value) > TEXT_LIMITS[name]:
        raise ValidationFailed(
            _("At most %(limit)s characters, please.") % {"limit": TEXT_LIMITS[name]}, field=name
        )
    return value


def _clean_person(data: PersonIn) -> dict[str, str]:
    values = {
        name: _text(name, getattr(data, name), required=name == "name")
        for name in PERSONAL_FIELDS
        if name != "birth_date"
    }
    if data.birth_date is None:
        raise ValidationFailed(_("Enter the date of birth."), field="birth_date")
    if not date(OLDEST_BIRTH_YEAR, 1, 1) <= data.birth_date <= timezone.localdate():
        raise ValidationFailed(_("This date of birth is not possible."), field="birth_date")
    if data.party is None:
        raise ValidationFailed(_("Choose the party the person belonged to."), field="party")
    if data.screening not in Screening.values:
        raise ValidationFailed(_("Choose a screening outcome from the list."), field="screening")
    values["birth_date"] = data.birth_date.isoformat()
    return values


def _check_receipts(receipts: Sequence[Receipt], party: Party) -> None:
    others = [receipt.number for receipt in receipts if receipt.party_id != party.pk]
    if others:
        raise ValidationFailed(
            _("Receipt %(numbers)s is of another party than the person's.")
            % {"numbers": ", ".join(others)},
            field="receipts",
        )


def _new_reference() -> str:
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"P-{code[:4]}-{code[4:]}"
        if not Person.objects.filter(reference=reference).exists():
            return reference


class _EncryptingStorage(Storage):
    """Stores what `accept_upload` cleaned, encrypted, under a name that says nothing."""

    def __init__(self, encrypt: Callable[[bytes], bytes]) -> None:
        self._encrypt = encrypt

    def exists(self, name: str) -> bool:
        return default_storage.exists(name)

    def _save(self, name: str, content: File[Any]) -> str:
        blob = self._encrypt(content.read())
        return default_storage.save(f"people/{uuid.uuid4().hex}.bin", ContentFile(blob))


def _file_field(kind: str) -> str:
    return f"file:{kind}"


def _store_file(person: Person, key: bytes, kind: str, content: bytes, content_type: str) -> None:
    """Encrypt and store a file of the person, replacing the one of the same kind."""
    record = record_label(person)
    blob = crypto.encrypt(key, content, record=record, field=_file_field(kind))
    name = default_storage.save(f"people/{uuid.uuid4().hex}.bin", ContentFile(blob))
    _replace_file(person, kind, name, content_type)


def _replace_file(person: Person, kind: str, name: str, content_type: str) -> None:
    old = PersonFile.objects.filter(person=person, kind=kind).first()
    if old is not None:
        _delete_stored(old.storage_name)
        old.delete()
    PersonFile.objects.create(
        person=person, kind=kind, storage_name=name, content_type=content_type
    )


def _delete_stored(name: str) -> None:
    # Only once the transaction holds: a rollback must not lose the file.
    transaction.on_commit(lambda: default_storage.delete(name))


def _read_file(person: Person, key: bytes, kind: str) -> tuple[str, bytes] | None:
    stored = PersonFile.objects.filter(person=person, kind=kind).first()
    if stored is None:
        return None
    with default_storage.open(stored.storage_name, "rb") as handle:
        blob = handle.read()
    record = record_label(person)
    return stored.content_type, crypto.decrypt(key, blob, record=record, field=_file_field(kind))


def _accept_photo(person: Person, key: bytes, photo: IO[bytes]) -> None:
    record = record_label(person)
    storage = _EncryptingStorage(
        lambda data: crypto.encrypt(key, data, record=record, field=_file_field("photo"))
    )
    stored = accept_upload(photo, kinds={"image"}, max_bytes=PHOTO_MAX_BYTES, storage=storage)
    _replace_file(person, PersonFile.Kind.PHOTO, stored.name, stored.content_type)


@transaction.atomic
def person_register(
    *,
    user: User,
    person: PersonIn,
    receipts: Sequence[Receipt] = (),
    photo: IO[bytes] | None = None,
) -> Person:
    """Register a person who handed over arms. A person already registered (same name and date
    of birth, found by the blind index) is refused, naming the earlier record's reference."""
    values = _clean_person(person)
    assert person.party is not None and person.birth_date is not None  # checked above
    _check_receipts(receipts, person.party)
    index = crypto.blind_index(values["name"], person.birth_date)
    earlier = Person.objects.filter(blind_index=index).first()
    if earlier is not None:
        raise Conflict(
            _(
                "This person is already registered, as %(reference)s. Add the new receipt to "
                "that record instead."
            )
            % {"reference": earlier.reference},
            field="name",
        )
    record = Person(
        reference=_new_reference(),
        party=person.party,
        screening=person.screening,
        registered_on=timezone.localdate(),
        registered_by=user,
        blind_index=index,
    )
    _full_clean(record, exclude=["data_key", *(f"{name}_enc" for name in PERSONAL_FIELDS)])
    record.save()
    key = crypto.new_data_key()
    record.data_key, record.kek_id = crypto.wrap(key, record=record_label(record))
    for name in PERSONAL_FIELDS:
        _seal(key, record, name, values[name])
    record.save()
    record.receipts.set(receipts)
    if photo is not None:
        _accept_photo(record, key, photo)
    PendingEntry.objects.create(person=record)
    transaction.on_commit(schedule_batch)
    return record


@transaction.atomic
def person_add_receipts(*, user: User, person: Person, receipts: Sequence[Receipt]) -> Person:
    """Link more handover receipts to a person (a second handover by the same person)."""
    if not receipts:
        raise ValidationFailed(_("Choose at least one receipt."), field="receipts")
    _check_receipts(receipts, person.party)
    person.receipts.add(*receipts)
    return person


@transaction.atomic
def person_screen(*, user: User, person: Person, outcome: str, notes: str) -> Person:
    """Record the screening outcome; the notes are personal and replace the earlier ones."""
    if outcome not in Screening.values:
        raise ValidationFailed(_("Choose a screening outcome from the list."), field="screening")
    notes = _text("screening_notes", notes)
    key = data_key(person)
    person.screening = outcome
    _seal(key, person, "screening_notes", notes)
    person.save(update_fields=["screening", "screening_notes_enc"])
    return person


def person_find(*, name: str, birth_date: date) -> Person | None:
    """The person registered with exactly this name and date of birth (an exact match after
    normalisation, through the blind index: nothing is decrypted)."""
    if not name.strip():
        raise ValidationFailed(_("This field is required."), field="name")
    return Person.objects.filter(blind_index=crypto.blind_index(name, birth_date)).first()


@transaction.atomic
def person_reveal(
    *, user: User, person: Person, purpose: str, request: HttpRequest | None = None
) -> Revealed:
    """Decrypt a person's personal data for `user`, recording who, when, which record and why
    (the audit trail) before anything is decrypted."""
    key = data_key(person)
    record_reveal(
        user=user,
        obj=person,
        purpose=purpose,
        fields=[*PERSONAL_FIELDS, "photo", "statement", "grounds"],
        request=request,
    )
    applications = list(person.applications.select_related("decision"))
    decisions = [a.decision for a in applications if hasattr(a, "decision")]
    return Revealed(
        fields={name: _unseal(key, person, name) for name in PERSONAL_FIELDS},
        photo=_read_file(person, key, PersonFile.Kind.PHOTO),
        statements={a.pk: _unseal(key, a, "statement") for a in applications},
        grounds={d.pk: _unseal(key, d, "grounds") for d in decisions},
    )


# Amnesty


@transaction.atomic
def amnesty_apply(
    *, user: User, person: Person, applied_on: date | None, statement: str
) -> AmnestyApplication:
    key = data_key(person)
    if applied_on is None or applied_on > timezone.localdate():
        raise ValidationFailed(
            _("Enter the day of the application, not in the future."), field="applied_on"
        )
    if person.applications.filter(decision__isnull=True).exists():
        raise Conflict(_("This person has an application awaiting a decision already."))
    text = _text("statement", statement, required=True)
    application = AmnestyApplication.objects.create(
        person=person, applied_on=applied_on, recorded_by=user
    )
    _seal(key, application, "statement", text)
    application.save(update_fields=["statement_enc"])
    return application


@transaction.atomic
def amnesty_decide(
    *, user: User, application: AmnestyApplication, outcome: str, grounds: str
) -> AmnestyDecision:
    """Decide an application. The decision is final and its own record; it enters the log
    with the next daily batch."""
    key = data_key(application.person)
    if AmnestyDecision.objects.filter(application=application).exists():
        raise Conflict(_("This application has been decided already."))
    if outcome not in AmnestyDecision.Outcome.values:
        raise ValidationFailed(_("Choose granted or refused."), field="outcome")
    text = _text("grounds", grounds, required=True)
    decision = AmnestyDecision.objects.create(
        application=application, outcome=outcome, decided_by=user
    )
    _seal(key, decision, "grounds", text)
    decision.save(update_fields=["grounds_enc"])
    PendingEntry.objects.create(person=application.person, decision=decision)
    transaction.on_commit(schedule_batch)
    return decision


# The daily batch


def registration_values(person: Person, key: bytes) -> dict[str, JSONValue]:
    """The values a registration entry commits to; the certificate prints their openings."""
    return {
        "reference": person.reference,
        "name": _unseal(key, person, "name"),
        "birth_date": _unseal(key, person, "birth_date"),
        "registered_on": person.registered_on.isoformat(),
    }


def _amnesty_values(decision: AmnestyDecision) -> dict[str, JSONValue]:
    return {
        "reference": decision.application.person.reference,
        "decision": decision.outcome,
        "decided_on": timezone.localdate(decision.decided_at).isoformat(),
        "decided_by": decision.decided_by.get_username(),
    }


@transaction.atomic
def batch_publish(*, before: datetime | None = None) -> list[LogEntry]:
    """Append every registration and amnesty decision queued before `before` (default: now),
    in random order, so that their position and time in the log link no one to a handover."""
    queued = list(
        # Lock the queue rows only: PostgreSQL cannot lock the nullable side of the outer joins.
        PendingEntry.objects.select_for_update(of=("self",))
        .filter(queued_at__lt=before or timezone.now())
        .select_related("person", "decision__application__person", "decision__decided_by")
    )
    secrets.SystemRandom().shuffle(queued)
    written = []
    registered = []
    for item in queued:
        if item.decision is not None:
            entry = ledger.append(logtypes.AMNESTY.name, _amnesty_values(item.decision))
            item.decision.entry = entry
            item.decision.save(update_fields=["entry"])
        else:
            values = registration_values(item.person, data_key(item.person))
            entry = ledger.append(logtypes.REGISTRATION.name, values)
            item.person.entry = entry
            item.person.save(update_fields=["entry"])
            registered.append(item.person.pk)
        written.append(entry)
    PendingEntry.objects.filter(pk__in=[item.pk for item in queued]).delete()
    if registered:
        transaction.on_commit(lambda: _queue_certificates(registered))
    return written


def _queue_certificates(person_ids: list[int]) -> None:
    from ceasefire.people.tasks import certificate_task

    for person_id in person_ids:
        certificate_task.enqueue(person_id)


_batch_scheduled_for: date | None = None


def schedule_batch() -> None:
    """Queue the publication of today's batch for the start of tomorrow, once per process and
    day: what is queued today goes into the log together, tomorrow."""
    global _batch_scheduled_for
    today = timezone.localdate()
    if _batch_scheduled_for == today:
        return
    from ceasefire.people.tasks import batch_publish_task

    _batch_scheduled_for = today
    cutoff = datetime.combine(today + timedelta(days=1), time.min, timezone.get_current_timezone())
    batch_publish_task.using(run_after=cutoff).enqueue(cutoff.isoformat())


# Certificates


def _openings(entry_index: int, values: dict[str, JSONValue]) -> list[dict[str, Any]]:
    secrets_by_field = dict(
        SealedField.objects.filter(entry_id=entry_index).values_list("field", "secret")
    )
    return [
        {"index": entry_index, "field": name, "value": values[name], "secret": secret}
        for name, secret in sorted(secrets_by_field.items())
        if secret is not None
    ]


@transaction.atomic
def certificate_issue(*, person_id: int) -> PersonFile | None:
    """Render the person's demobilization certificate and store it encrypted. It needs the
    registration in the log (the certificate carries its openings): None before that, or when
    the person was erased."""
    from ceasefire.people import certificate

    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None or person.erased or person.entry_id is None:
        return None
    key = data_key(person)
    values = registration_values(person, key)
    fields = {name: _unseal(key, person, name) for name in PERSONAL_FIELDS}
    pdf = certificate.render(person, fields, _openings(person.entry_id, values))
    _store_file(person, key, PersonFile.Kind.CERTIFICATE, pdf, "application/pdf")
    return PersonFile.objects.get(person=person, kind=PersonFile.Kind.CERTIFICATE)


@transaction.atomic
def certificate_read(
    *, user: User, person: Person, purpose: str, request: HttpRequest | None = None
) -> bytes:
    """The certificate PDF, for a protection officer to print: a reveal, recorded as such."""
    key = data_key(person)
    if person.entry_id is None:
        raise Conflict(
            _("The certificate is issued once the registration is in the log (the next day).")
        )
    record_reveal(user=user, obj=person, purpose=purpose, fields=["certificate"], request=request)
    stored = _read_file(person, key, PersonFile.Kind.CERTIFICATE)
    if stored is None:
        certificate_issue(person_id=person.pk)
        stored = _read_file(person, key, PersonFile.Kind.CERTIFICATE)
    assert stored is not None
    return stored[1]


# Erasure and keys


def _shred(person: Person, entries: Sequence[int]) -> None:
    """Destroy everything that makes the record personal: the data key (the ciphertexts stay,
    unreadable), the blind index, the reference, the files and the log's commitment secrets."""
    for index in entries:
        ledger.erase(index, COMMITTED_FIELDS)
    PendingEntry.objects.filter(person=person).delete()
    for stored in PersonFile.objects.filter(person=person):
        _delete_stored(stored.storage_name)
        stored.delete()
    person.data_key = None
    person.kek_id = ""
    person.blind_index = None
    person.reference = None
    person.status = Person.Status.ERASED
    person.save(update_fields=["data_key", "kek_id", "blind_index", "reference", "status"])


def _logged_entries(person: Person) -> list[int]:
    decisions = AmnestyDecision.objects.filter(
        application__person=person, entry__isnull=False
    ).values_list("entry_id", flat=True)
    return sorted([*([person.entry_id] if person.entry_id is not None else []), *decisions])


@transaction.atomic
def person_erase(*, person_id: int, reason: str, user: User | None = None) -> Erasure:
    """Erase a person's personal data by crypto-shredding, and log the erasure. The record
    stays, marked erased, with its non-personal facts: every count is unchanged."""
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise NotFound(_("There is no person %(id)s in the registry.") % {"id": person_id})
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("State why the record is erased."), field="reason")
    if len(reason) > 1000:
        raise ValidationFailed(
            _("At most %(limit)s characters, please.") % {"limit": 1000}, field="reason"
        )
    if person.erased:
        raise Conflict(_("This record was erased already."))
    entries = _logged_entries(person)
    _shred(person, entries)
    entry = ledger.append(
        logtypes.ERASURE.name,
        {
            "person": person.pk,
            "entries": list(entries),
            "date": timezone.localdate().isoformat(),
            "reason": reason,
        },
    )
    return Erasure.objects.create(person=person, reason=reason, erased_by=user, entry=entry)


@transaction.atomic
def erasure_reapply(index: int, body: dict[str, Any]) -> None:
    """Apply again the erasure logged as entry `index`, after a restore from a backup taken
    before it: the restore calls this for every `people.erasure/1` entry logged since the
    backup (operations.erasure hook). Does nothing when the record is erased already."""
    fields = body["fields"]
    person = (
        Person.objects.select_for_update()
        .filter(pk=fields["person"])
        .exclude(status=Person.Status.ERASED)
        .first()
    )
    if person is None:
        return
    _shred(person, fields["entries"])
    Erasure.objects.filter(person=person).delete()
    Erasure.objects.create(
        person=person, reason=_("Re-applied from the log after a restore."), entry_id=index
    )


def kek_rotate() -> tuple[int, str]:
    """Rewrap every data key under a new key-encryption key and recompute the blind index
    (derived from the KEK); then destroy the old KEK. With the KEKs in the environment, the
    operator puts the new key first; the old ones can be removed afterwards. Returns how many
    records were rewrapped and the new KEK's id."""
    from_file = not crypto.kek_from_environment()
    if from_file:
        # The new key is on disk before any data key depends on it.
        crypto.keyring_prepend_new()
    current = crypto.keyring().current_id
    count = 0
    with transaction.atomic():
        people = Person.objects.select_for_update().filter(data_key__isnull=False)
        for person in people.order_by("pk"):
            key = data_key(person)
            person.data_key, person.kek_id = crypto.wrap(key, record=record_label(person))
            birth_date = date.fromisoformat(_unseal(key, person, "birth_date"))
            person.blind_index = crypto.blind_index(_unseal(key, person, "name"), birth_date)
            person.save(update_fields=["data_key", "kek_id", "blind_index"])
            count += 1
    if from_file:
        crypto.keyring_keep_only({current})
    return count, current
