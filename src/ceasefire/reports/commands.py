"""The bodies of the `ceasefire report` and `ceasefire export` verbs."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.core.errors import CeasefireError
from ceasefire.reports import exports, services
from ceasefire.reports.config import report_clock


def publish(day: str | None) -> int:
    try:
        chosen = date.fromisoformat(day) if day else report_clock().last_closed_day(timezone.now())
    except ValueError:
        print(_("Give the day as YYYY-MM-DD, not %(day)s.") % {"day": day}, file=sys.stderr)
        return 2
    try:
        report = services.report_publish(user=None, day=chosen)
    except CeasefireError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(
        _("Report of %(day)s published as log entry %(index)s.")
        % {"day": report.day.isoformat(), "index": report.entry_id}
    )
    return 0


def export(dataset: str, fmt: str, output: str, public: bool) -> int:
    """Write an export to a file (`-` for standard output), streaming."""
    for name, known in (("dataset", exports.DATASETS), ("format", exports.FORMATS)):
        given = dataset if name == "dataset" else fmt
        if given not in known:
            print(
                _("Unknown %(what)s %(given)s; choose one of: %(choices)s.")
                % {"what": name, "given": given, "choices": ", ".join(sorted(known))},
                file=sys.stderr,
            )
            return 2
    _chosen, chunks = exports.export(dataset, fmt, public=public)
    if output == "-":
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return 0
    with Path(output).open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    print(_("Wrote %(file)s.") % {"file": output}, file=sys.stderr)
    return 0


def scale(count: int) -> None:
    from ceasefire.accounts.models import Party, User
    from ceasefire.reports.scale import generate

    def progress(done: int) -> None:
        print(_("%(done)s of %(count)s items written.") % {"done": done, "count": count}, end="\r")

    result = generate(
        count,
        officer=User.objects.get(username="field"),
        storage=User.objects.get(username="storage"),
        parties=list(Party.objects.order_by("code")),
        progress=progress,
    )
    print(
        _(
            "Generated %(items)s items in %(receipts)s receipts (%(destroyed)s destroyed) "
            "in %(seconds)s s."
        )
        % {
            "items": result.items,
            "receipts": result.receipts,
            "destroyed": result.destroyed,
            "seconds": round(result.seconds),
        }
    )
