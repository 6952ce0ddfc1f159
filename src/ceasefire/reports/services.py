"""Writes of the reports app: publishing a daily report (with its log entry), and keeping the
receipt tallies it counts from up to date."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.models import User
from ceasefire.core.errors import Conflict, ValidationFailed
from ceasefire.ledger import logtypes
from ceasefire.ledger import services as ledger
from ceasefire.registry.models import Item, Receipt
from ceasefire.reports import selectors
from ceasefire.reports.config import report_clock
from ceasefire.reports.models import ReceiptTally, Report

TALLY_BATCH = 5000


def tally_sync() -> int:
    """Tally the receipts recorded since the last sync; return how many rows were added.

    Receipt numbers are taken under the registry's lock, so receipts commit in id order and
    "every receipt after the last one tallied" misses none."""
    last = ReceiptTally.objects.aggregate(last=Max("receipt_id"))["last"] or 0
    # Reading pages call this: with nothing new, no transaction (on SQLite it would take the
    # write lock).
    if not Receipt.objects.filter(pk__gt=last).exists():
        return 0
    rows = (
        Item.objects.filter(receipt_id__gt=last)
        .values("receipt_id", "receipt__received_at", "receipt__entry_id", "category")
        .annotate(count=Count("id"))
        .order_by("receipt_id", "category")
    )
    added = 0
    batch: list[ReceiptTally] = []
    with transaction.atomic():
        for row in rows.iterator(chunk_size=TALLY_BATCH):
            batch.append(
                ReceiptTally(
                    receipt_id=row["receipt_id"],
                    received_at=row["receipt__received_at"],
                    entry_id=row["receipt__entry_id"],
                    category=row["category"],
                    items=row["count"],
                )
            )
            if len(batch) == TALLY_BATCH:
                added += len(ReceiptTally.objects.bulk_create(batch, ignore_conflicts=True))
                batch = []
        if batch:
            added += len(ReceiptTally.objects.bulk_create(batch, ignore_conflicts=True))
    return added


@transaction.atomic
def report_publish(*, user: User | None, day: date) -> Report:
    """Publish the report of `day`: compute its figures with the log's appends held, store
    them, and append a `reports.published/1` entry (kind `daily_report`) at exactly the log size
    they were computed at. A published report never changes."""
    clock = report_clock()
    now = timezone.now()
    if clock.cutoff_of(day) > now:
        raise ValidationFailed(
            _("The cut-off of %(day)s has not passed yet (%(cutoff)s).")
            % {
                "day": day.isoformat(),
                "cutoff": timezone.localtime(clock.cutoff_of(day), clock.zone).strftime(
                    "%Y-%m-%d %H:%M %Z"
                ),
            },
            field="day",
        )
    if Report.objects.filter(day=day).exists():
        raise Conflict(
            _("The report of %(day)s is already published; a published report never changes.")
            % {"day": day.isoformat()}
        )
    # Hold the log's appends (the row lock that every append takes first) while computing, so
    # the entry lands at the size the figures were computed at. A policy entry that the append
    # logs first (after a policy change) takes one index before it.
    suffix = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT size, policy_digest FROM ledger_loghead WHERE id = 1{suffix}")  # noqa: S608
        row = cursor.fetchone()
    head_size, digest = int(row[0]), str(row[1])
    size = head_size + (0 if digest == ledger.current_policy()[1] else 1)
    figures = selectors.daily_figures(day, size=size, clock=clock)
    entry = ledger.append(
        logtypes.PUBLISHED.name,
        {
            "kind": "daily_report",
            "size": size,
            "figures": figures,
            "published_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "cutoff": clock.cutoff_of(day).isoformat(),
        },
    )
    if entry.index != size:  # cannot happen while appends are held; never publish a wrong size
        raise Conflict(_("The log moved while the report was computed; publish it again."))
    report = Report(
        day=day,
        cutoff=clock.cutoff_of(day),
        time_zone=clock.zone.key,
        size=size,
        figures=figures,
        entry=entry,
        published_at=now,
        published_by=user,
    )
    report.full_clean(exclude=["entry"])
    report.save()
    return report
