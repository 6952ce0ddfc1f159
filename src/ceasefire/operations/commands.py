"""The `ceasefire backup`, `restore` and `status` verbs. Each returns the process exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ceasefire.core.errors import CeasefireError
from ceasefire.ledger.services import ForkRefused
from ceasefire.operations import database, selectors, services
from ceasefire.operations.models import RestoredEntry


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def backup(directory: Path, keys_to: Path | None) -> int:
    try:
        taken = services.backup_create(directory=directory, keys_to=keys_to)
    except CeasefireError as exc:
        return _fail(exc.message)
    except database.DatabaseToolMissing as exc:
        return _fail(_("%(tool)s is not installed (Debian: postgresql-client).") % {"tool": exc})
    except subprocess.CalledProcessError as exc:
        return _fail(_("The database copy failed: %(error)s") % {"error": exc.stderr.decode()})
    print(
        ngettext(
            "Backed up %(size)s log entry and the database to %(dir)s.",
            "Backed up %(size)s log entries and the database to %(dir)s.",
            taken.log_size,
        )
        % {"size": taken.log_size, "dir": directory}
    )
    if keys_to is None:
        print(_("No keys were copied: back up the key directory separately (--keys-to DIR)."))
    else:
        print(_("Keys copied to %(dir)s: keep them apart from the data.") % {"dir": keys_to})
    return 0


def restore(directory: Path, keys_from: Path | None, confirmed: bool) -> int:
    if not confirmed:
        return _fail(
            _(
                "Restoring replaces the whole database. Stop the server and the workers, then "
                "run this again with --yes."
            )
        )
    try:
        restored = services.backup_restore(directory=directory, keys_from=keys_from)
    except CeasefireError as exc:
        return _fail(exc.message)
    except ForkRefused as exc:
        return _fail(
            _("The restored database does not extend the published log: %(e)s") % {"e": exc}
        )
    except database.DatabaseToolMissing as exc:
        return _fail(_("%(tool)s is not installed (Debian: postgresql-client).") % {"tool": exc})
    except subprocess.CalledProcessError as exc:
        return _fail(_("The database copy failed: %(error)s") % {"error": exc.stderr.decode()})
    print(
        ngettext(
            "Restored %(size)s log entry from %(dir)s.",
            "Restored %(size)s log entries from %(dir)s.",
            restored.log_size,
        )
        % {"size": restored.log_size, "dir": directory}
    )
    if restored.reappended:
        print(
            ngettext(
                "%(count)s published entry was not in the backup and was appended again from "
                "the exported log; its record must be entered again (see ceasefire status).",
                "%(count)s published entries were not in the backup and were appended again from "
                "the exported log; their records must be entered again (see ceasefire status).",
                len(restored.reappended),
            )
            % {"count": len(restored.reappended)}
        )
    if restored.erasures:
        print(
            ngettext(
                "%(count)s erasure logged since the backup was applied again.",
                "%(count)s erasures logged since the backup were applied again.",
                len(restored.erasures),
            )
            % {"count": len(restored.erasures)}
        )
    for name in restored.settings_changed:
        print(_("Note: the setting %(name)s differs from the backup's.") % {"name": name})
    return 0


def _when(moment: datetime | None) -> str:
    seconds = selectors.age(moment)
    if moment is None or seconds is None:
        return _("never")
    return _("%(time)s (%(seconds)s s ago)") % {
        "time": moment.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "seconds": seconds,
    }


def status(as_json: bool) -> int:
    current = selectors.status()
    if as_json:
        print(json.dumps(_status_json(current), indent=2))
        return 1 if current.problems else 0
    print(
        ngettext(
            "Log: %(size)s entry in the database.",
            "Log: %(size)s entries in the database.",
            current.log_size,
        )
        % {"size": current.log_size}
    )
    if current.checkpoint_size is None:
        print(_("Published checkpoint: none yet."))
    else:
        print(
            _("Published checkpoint: size %(size)s, written %(when)s.")
            % {"size": current.checkpoint_size, "when": _when(current.checkpoint_at)}
        )
    if not current.cosignatures:
        print(_("Witness cosignatures: none on the published checkpoint."))
    for cosignature in current.cosignatures:
        print(
            _("Witness %(name)s cosigned %(when)s.")
            % {"name": cosignature.name, "when": _when(cosignature.signed_at)}
        )
    print(
        _("Task queue: %(count)s waiting, the oldest queued %(when)s.")
        % {"count": current.tasks_waiting, "when": _when(current.oldest_task_at)}
    )
    print(_("Worker last seen: %(when)s.") % {"when": _when(current.worker_seen_at)})
    last = current.last_backup
    print(
        _("Last backup: %(when)s.") % {"when": _when(last.taken_at if last else None)}
        + (f" {last.directory}" if last else "")
    )
    if current.restored_entries:
        print(_("Entries in the log whose details were lost in a restore (enter them again):"))
        for first, last_index, entry_type in _runs(current.restored_entries):
            span = f"#{first}" if first == last_index else f"#{first}-#{last_index}"
            print(f"  {span} {entry_type}")
    for problem in current.problems:
        print(_("PROBLEM: %(problem)s") % {"problem": problem}, file=sys.stderr)
    return 1 if current.problems else 0


def _runs(entries: list[RestoredEntry]) -> list[tuple[int, int, str]]:
    """Consecutive entries of one type as (first, last, type): a restore may list thousands."""
    runs: list[tuple[int, int, str]] = []
    for entry in entries:
        if runs and runs[-1][1] == entry.index - 1 and runs[-1][2] == entry.entry_type:
            runs[-1] = (runs[-1][0], entry.index, entry.entry_type)
        else:
            runs.append((entry.index, entry.index, entry.entry_type))
    return runs


def _status_json(current: selectors.Status) -> dict[str, Any]:
    def stamp(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    last = current.last_backup
    return {
        "log_size": current.log_size,
        "checkpoint": {"size": current.checkpoint_size, "written_at": stamp(current.checkpoint_at)},
        "cosignatures": [
            {
                "name": c.name,
                "signed_at": stamp(c.signed_at),
                "age_seconds": selectors.age(c.signed_at),
            }
            for c in current.cosignatures
        ],
        "tasks": {"waiting": current.tasks_waiting, "oldest_at": stamp(current.oldest_task_at)},
        "worker_seen_at": stamp(current.worker_seen_at),
        "last_backup": (
            {
                "taken_at": stamp(last.taken_at),
                "directory": last.directory,
                "log_size": last.log_size,
            }
            if last
            else None
        ),
        "restored_entries": [
            {"index": e.index, "entry_type": e.entry_type} for e in current.restored_entries
        ],
        "problems": current.problems,
    }
