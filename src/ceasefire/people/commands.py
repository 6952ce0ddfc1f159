"""The `ceasefire people ...` commands, for operators. Each prints one line; errors go to stderr
with exit status 2. Nothing personal is printed."""

from __future__ import annotations

import sys

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ceasefire.core.errors import CeasefireError
from ceasefire.people import services


def erase(person_id: int, reason: str) -> int:
    try:
        erasure = services.person_erase(person_id=person_id, reason=reason)
    except CeasefireError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(
        _("Record %(id)s erased; the erasure is log entry %(index)s.")
        % {"id": person_id, "index": erasure.entry_id}
    )
    return 0


def rotate_key() -> int:
    count, kek = services.kek_rotate()
    print(
        ngettext(
            "%(count)s data key now wrapped under key-encryption key %(kek)s.",
            "%(count)s data keys now wrapped under key-encryption key %(kek)s.",
            count,
        )
        % {"count": count, "kek": kek}
    )
    return 0


def publish_batch() -> int:
    entries = services.batch_publish()
    print(
        ngettext(
            "%(count)s registration or decision appended to the log.",
            "%(count)s registrations and decisions appended to the log.",
            len(entries),
        )
        % {"count": len(entries)}
    )
    return 0
