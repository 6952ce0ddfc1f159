"""The per-form handlers: form ID -> the function that hands a submission to its domain
service. A handler reads the instance, calls one service and returns what was recorded; any
CeasefireError it raises sends the submission to quarantine with that message as the reason."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from ceasefire.accounts.models import User
from ceasefire.core.errors import CeasefireError
from ceasefire.fieldsync.instance import Instance


class NotSupported(CeasefireError):
    code = "not_supported"
    status = 422


@dataclass(frozen=True)
class Incoming:
    """A complete submission, decrypted, as a handler sees it."""

    user: User
    instance: Instance
    files: Mapping[str, bytes]

    def file(self, name: str) -> ContentFile[Any] | None:
        """The media file a field names (Collect writes the file name as the field's value)."""
        data = self.files.get(name) if name else None
        return None if data is None else ContentFile(data, name=name)


@dataclass(frozen=True)
class Recorded:
    record: str  # e.g. `registry.receipt:12`
    message: str  # what the officer reads in Collect


Handler = Callable[[Incoming], Recorded]
HANDLERS: dict[str, Handler] = {}


def handles(form_id: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[form_id] = handler
        return handler

    return register


def handle(incoming: Incoming) -> Recorded:
    handler = HANDLERS.get(incoming.instance.form_id)
    if handler is None:
        raise NotSupported(_("not yet supported"))
    return handler(incoming)
