"""Append `ledger.test/1` entries, one per transaction, printing each index once committed: the
writer of the crash, concurrency and soak tests. It refuses a log that holds a mission's
records, since a test entry can never be taken out of a log again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ceasefire.ledger import logtypes, services
from ceasefire.ledger.models import LogEntry

# The only entry types a log used for exercising holds.
EXERCISE_TYPES = [logtypes.POLICY.name, logtypes.TEST.name, logtypes.PUBLISHED.name]


class Command(BaseCommand):
    help = "Append ledger.test/1 entries for tests and benchmarks; never on a mission's log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=100, help="entries to append (0: no end)")
        parser.add_argument("--seconds", type=float, default=0, help="stop after this long")
        parser.add_argument("--writer", default="w", help="a name recorded in each entry")

    def handle(self, *args: Any, **options: Any) -> None:
        if LogEntry.objects.exclude(entry_type__in=EXERCISE_TYPES).exists():
            raise CommandError("This log holds a mission's records: refusing to add test entries.")
        deadline = time.monotonic() + options["seconds"] if options["seconds"] else None
        number = 0
        while options["count"] == 0 or number < options["count"]:
            if deadline is not None and time.monotonic() >= deadline:
                break
            with transaction.atomic():
                entry = services.append(
                    logtypes.TEST.name,
                    {"category": options["writer"], "quantity": number},
                )
            # Printed after the commit: a line on stdout is an acknowledged write.
            self.stdout.write(f"{number} {entry.index}")
            self.stdout.flush()
            number += 1
