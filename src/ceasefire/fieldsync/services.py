"""Writes of field collection: phones (device tokens), submissions received from ODK Collect,
and the quarantine's corrections and rejections.

A complete submission is handed to its form's handler inside the transaction that stores it:
the domain record, its log entry and the submission commit together. When the handler refuses
it (a CeasefireError), only the handler's writes are rolled back and the submission is kept in
quarantine with the reason, exactly as received. Anything else (a crash, the database gone)
rolls back everything: Collect then still holds the submission as unsent and sends it again.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.models import RoleGrant, User
from ceasefire.accounts.roles import Role
from ceasefire.core import rows
from ceasefire.core.errors import (
    CeasefireError,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from ceasefire.fieldsync import crypto
from ceasefire.fieldsync.forms import FORMS
from ceasefire.fieldsync.instance import Instance, read_instance
from ceasefire.fieldsync.models import Attachment, Device, Status, Submission
from ceasefire.fieldsync.registry import Incoming, handle

DEVICE_TOKEN_PREFIX = "cfd_"  # noqa: S105 - a marker, not a secret
SUBMITTERS = frozenset({Role.FIELD_OFFICER})


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# Devices


def device_create(*, user: User, name: str) -> tuple[Device, str]:
    """A phone's access token for `user`; returns it with the raw token, shown once."""
    if not user.has_role(*SUBMITTERS):
        raise PermissionDenied(_("Only field officers send forms from a phone."))
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed(
            _("Name the phone, for example “Blue Samsung, unit 3”."), field="name"
        )
    if len(name) > 100:
        raise ValidationFailed(_("The name is too long (100 characters at most)."), field="name")
    raw = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(24)
    device = Device.objects.create(user=user, name=name, prefix=raw[:10], digest=_digest(raw))
    return device, raw


def device_revoke(*, user: User, device_id: int) -> Device:
    device = Device.objects.filter(user=user, pk=device_id, revoked_at__isnull=True).first()
    if device is None:
        raise NotFound(_("No such active phone."))
    device.revoked_at = timezone.now()
    device.save(update_fields=["revoked_at"])
    return device


@functools.cache
def _device_query() -> tuple[str, rows.Columns[Device], rows.Columns[User]]:
    device, user = rows.Columns(Device, "d"), rows.Columns(User, "u")
    grants = connection.ops.quote_name(RoleGrant._meta.db_table)
    roles = ", ".join(["%s"] * len(SUBMITTERS))
    sql = (
        f"SELECT {device.sql}, {user.sql} FROM {device.table} d "  # noqa: S608 - names only
        f"JOIN {user.table} u ON u.id = d.user_id "
        "WHERE d.digest = %s AND d.revoked_at IS NULL AND u.is_active = %s "
        f"AND EXISTS (SELECT 1 FROM {grants} g WHERE g.user_id = u.id AND g.role IN ({roles}))"
    )
    return sql, device, user


def device_authenticate(raw: str, *, collect_id: str = "") -> Device | None:
    """The active device whose token is `raw`, with its user, or None."""
    # This runs on every request a phone makes, so it is one query, the role checked in it,
    # in plain SQL: the ORM took longer to compile it than the database to run it.
    sql, device_columns, user_columns = _device_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [_digest(raw), True, *sorted(SUBMITTERS)])
        row = cursor.fetchone()
    if row is None:
        return None
    device = device_columns.load(row)
    device.user = user_columns.load(row[len(device_columns) :])
    now = timezone.now()
    changed: dict[str, object] = {}
    # Recording use at most once a minute keeps a busy phone from writing on every request.
    if device.last_used_at is None or (now - device.last_used_at).total_seconds() > 60:
        changed["last_used_at"] = now
    if collect_id and collect_id != device.collect_id:
        changed["collect_id"] = collect_id[:100]
    if changed:
        Device.objects.filter(pk=device.pk).update(**changed)
    return device


# Submissions


@dataclass(frozen=True)
class Received:
    submission: Submission
    # The same instance was already complete: acknowledged, nothing new recorded.
    duplicate: bool
    message: str


@dataclass(frozen=True)
class Upload:
    name: str
    data: IO[bytes]


def _store(submission: Submission, uploads: Iterable[Upload], have: set[str]) -> dict[str, bytes]:
    """Keep each media file not in `have` as received, under its SHA-256 (a file sent twice is
    stored once); returns the files stored now."""
    stored_now = {}
    for upload in uploads:
        if upload.name in have or upload.name in stored_now:
            continue
        data = upload.data.read()
        digest = hashlib.sha256(data).hexdigest()
        stored = f"fieldsync/{digest[:2]}/{digest}"
        if not default_storage.exists(stored):
            stored = default_storage.save(stored, ContentFile(data))
        Attachment.objects.create(
            submission=submission, name=upload.name, stored=stored, sha256=digest, size=len(data)
        )
        stored_now[upload.name] = data
    return stored_now


def stored_files(submission: Submission) -> dict[str, bytes]:
    files = {}
    for attachment in submission.files.all():
        with default_storage.open(attachment.stored, "rb") as handle:
            files[attachment.name] = handle.read()
    return files


def _clear(instance: Instance, files: dict[str, bytes]) -> tuple[Instance, dict[str, bytes]]:
    """The instance and its media in clear: decrypted here, in memory, for an encrypted form."""
    if not instance.encrypted:
        return instance, files
    clear_xml, media = crypto.decrypt(instance.envelope(), files)
    inner = read_instance(clear_xml)
    if inner.instance_id != instance.instance_id or inner.form_id != instance.form_id:
        raise ValidationFailed(_("The encrypted form data does not match its envelope."))
    return inner, media


def _record_outcome(submission: Submission) -> None:
    rows.columns(Submission).update(submission, ["status", "reason", "record"])


def _run(submission: Submission, load: Callable[[], tuple[Instance, dict[str, bytes]]]) -> str:
    """Hand a complete submission to its form's handler; quarantine it if refused. Returns the
    message for the officer."""
    try:
        with transaction.atomic():
            instance, files = load()
            recorded = handle(Incoming(user=submission.user, instance=instance, files=files))
    except CeasefireError as error:
        submission.status, submission.reason, submission.record = (
            Status.QUARANTINED,
            error.message,
            "",
        )
        _record_outcome(submission)
        return _("Received. An analyst will check it before it is recorded: %(reason)s") % {
            "reason": error.message
        }
    submission.status, submission.reason, submission.record = (
        Status.ACCEPTED,
        "",
        recorded.record,
    )
    _record_outcome(submission)
    return recorded.message


def _process(
    submission: Submission, instance: Instance, files: dict[str, bytes] | None = None
) -> str:
    """Process a complete submission; `files` are its media when they are all in memory
    already, else they are read from storage."""
    return _run(
        submission, lambda: _clear(instance, stored_files(submission) if files is None else files)
    )


def _merge(
    existing: Submission,
    digest: str,
    instance: Instance,
    uploads: list[Upload],
    incomplete: bool,
) -> Received:
    if existing.xml_sha256 != digest:
        raise Conflict(
            _(
                "A different form with the same instance ID was already received. Do not edit a "
                "sent form: fill in a new one."
            )
        )
    _store(existing, uploads, set(existing.files.values_list("name", flat=True)))
    if existing.status != Status.INCOMPLETE:
        return Received(existing, True, _("Already received; nothing more to do."))
    if incomplete:
        return Received(existing, False, _("Part received; the rest is on its way."))
    return Received(existing, False, _process(existing, instance))


@transaction.atomic
def submission_receive(
    *,
    user: User,
    xml: bytes,
    uploads: list[Upload],
    incomplete: bool = False,
    device: Device | None = None,
    collect_id: str = "",
) -> Received:
    """Take one POST from ODK Collect: a whole submission, or one part of a split one (every
    part repeats the XML; all but the last are marked incomplete)."""
    instance = read_instance(xml)
    digest = hashlib.sha256(xml).hexdigest()
    submission = Submission(
        instance_id=instance.instance_id,
        form_id=instance.form_id,
        form_version=instance.version[:50],
        xml=xml,
        xml_sha256=digest,
        encrypted=instance.encrypted,
        user=user,
        device=device,
        collect_id=collect_id[:100],
        status=Status.INCOMPLETE,
    )
    try:
        # Insert first, so a new submission (the usual case) needs no lookup, and the unique
        # index decides between two phones racing with one new instance ID: the loser's insert
        # waits for the winner's commit, fails, and merges into the winner's row like a resend.
        with transaction.atomic():
            rows.columns(Submission).insert(submission)
    except IntegrityError:
        existing = Submission.objects.select_for_update().get(instance_id=instance.instance_id)
        return _merge(existing, digest, instance, uploads, incomplete)
    files = _store(submission, uploads, set())
    if incomplete:
        return Received(submission, False, _("Part received; the rest is on its way."))
    return Received(submission, False, _process(submission, instance, files))


# Quarantine


def reviewer_may_see(user: User, submission: Submission) -> bool:
    """Personal forms are reviewed by protection officers, the others by analysts."""
    personal = submission.encrypted or (
        submission.form_id in FORMS and FORMS[submission.form_id].personal
    )
    return user.has_role(Role.PROTECTION_OFFICER if personal else Role.ANALYST)


def _quarantined(submission: Submission, by: User) -> Submission:
    if not reviewer_may_see(by, submission):
        raise NotFound(_("No such submission."))
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Status.QUARANTINED:
        raise Conflict(_("This submission is no longer in quarantine."))
    return locked


@transaction.atomic
def submission_reprocess(
    *, submission: Submission, by: User, corrected_xml: bytes | None = None
) -> Submission:
    """Hand a quarantined submission to its service again, corrected or not. A personal
    submission stays encrypted: its correction is used, never stored."""
    submission = _quarantined(submission, by)
    xml = corrected_xml if corrected_xml is not None else bytes(submission.xml)
    if corrected_xml is not None:
        corrected = read_instance(corrected_xml)
        if (corrected.instance_id, corrected.form_id) != (
            submission.instance_id,
            submission.form_id,
        ):
            raise ValidationFailed(
                _("A correction must keep the form ID and instance ID."), field="xml"
            )
        if corrected.encrypted:
            raise ValidationFailed(_("Give the corrected form data in clear."), field="xml")
        if not submission.encrypted:
            submission.corrected_xml = corrected_xml
    elif submission.corrected_xml is not None:
        xml = bytes(submission.corrected_xml)
    submission.reviewed_by, submission.reviewed_at = by, timezone.now()
    submission.save(update_fields=["corrected_xml", "reviewed_by", "reviewed_at"])
    if corrected_xml is not None and submission.encrypted:
        # The clear correction stands in for the envelope for this run only; the media are
        # decrypted from what was received.
        envelope = read_instance(bytes(submission.xml))
        _run(
            submission,
            lambda: (read_instance(corrected_xml), _clear(envelope, stored_files(submission))[1]),
        )
        return submission
    _process(submission, read_instance(xml))
    return submission


@transaction.atomic
def submission_reject(*, submission: Submission, by: User, reason: str) -> Submission:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Say why the submission is rejected."), field="reason")
    submission = _quarantined(submission, by)
    submission.status, submission.reason = Status.REJECTED, reason
    submission.reviewed_by, submission.reviewed_at = by, timezone.now()
    submission.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
    return submission
