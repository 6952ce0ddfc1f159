"""Reads of field collection."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ceasefire.accounts.models import User
from ceasefire.accounts.roles import Role
from ceasefire.core.errors import NotFound
from ceasefire.fieldsync import crypto
from ceasefire.fieldsync.forms import FORMS
from ceasefire.fieldsync.forms.base import FormDef, cached_xform
from ceasefire.fieldsync.instance import read_instance
from ceasefire.fieldsync.models import Device, Status, Submission
from ceasefire.fieldsync.services import stored_files

PERSONAL_FORMS = frozenset(form_id for form_id, form in FORMS.items() if form.personal)


def form_xml(form: FormDef) -> bytes:
    """The XForm served for `form`; an encrypted form carries the mission's public key."""
    return cached_xform(form.form_id, crypto.public_key_base64() if form.personal else "")


def device_list(user: User) -> QuerySet[Device]:
    return Device.objects.filter(user=user)


def _reviewable(user: User) -> Q:
    personal = Q(encrypted=True) | Q(form_id__in=PERSONAL_FORMS)
    scope = Q(pk__in=[])
    if user.has_role(Role.ANALYST):
        scope |= ~personal
    if user.has_role(Role.PROTECTION_OFFICER):
        scope |= personal
    return scope


def quarantine_list(user: User) -> QuerySet[Submission]:
    """Submissions waiting for review that this reviewer may see: personal ones for protection
    officers, the others for analysts."""
    return (
        Submission.objects.filter(_reviewable(user), status=Status.QUARANTINED)
        .select_related("user")
        .defer("xml", "corrected_xml")
    )


def submission_for_user(user: User, pk: int) -> Submission:
    found = Submission.objects.filter(_reviewable(user), pk=pk).select_related("user").first()
    if found is None:
        raise NotFound(_("No such submission."))
    return found


def submission_clear_xml(submission: Submission) -> bytes:
    """The form data as the officer filled it (for an encrypted one: decrypted, in memory)."""
    if submission.corrected_xml is not None:
        return bytes(submission.corrected_xml)
    xml = bytes(submission.xml)
    envelope = read_instance(xml)
    if not envelope.encrypted:
        return xml
    return crypto.decrypt(envelope.envelope(), stored_files(submission))[0]
