"""Reads for reports: the figures of a daily report as they stood at its cut-off, published
reports, and what the public dashboard shows.

The figures of a report are computed from the database as of the cut-off (records whose time is
not after it) and as of a log size (records whose log entry comes before it): a published report
fixes that size, so records that arrive later, even back-dated ones, never change it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.convoys import selectors as convoys
from ceasefire.core.errors import NotFound
from ceasefire.incidents import selectors as incidents
from ceasefire.ledger.models import Checkpoint, LogHead
from ceasefire.ledger.selectors import latest_checkpoint
from ceasefire.positions import selectors as positions
from ceasefire.registry.logtypes import DESTROYING_EVENTS
from ceasefire.registry.models import Correction, CustodyEvent
from ceasefire.reports.config import ReportClock, report_clock
from ceasefire.reports.models import ReceiptTally, Report

JSON = dict[str, Any]


def log_size() -> int:
    head = LogHead.objects.filter(pk=1).values_list("size", flat=True).first()
    return int(head or 0)


def _item_corrections(cutoff: datetime, size: int) -> dict[int, tuple[str, str | None]]:
    """Items handed over by the cut-off and corrected in the log before `size`: item ->
    (category as recorded, category after the corrections, None when voided). A correction
    fixes a record, so it applies to every report computed after it, as the log's totals
    apply it (its entry carries no public time)."""
    rows = (
        Correction.objects.filter(
            entry_id__lt=size,
            item__receipt__received_at__lte=cutoff,
            item__receipt__entry_id__lt=size,
        )
        .order_by("entry_id")
        .values_list("item_id", "item__category", "action", "changes")
    )
    final: dict[int, tuple[str, str | None]] = {}
    for item_id, recorded, action, changes in rows:
        current = final.get(item_id, (recorded, recorded))[1]
        if current is None:
            continue
        if action == Correction.Action.VOID:
            current = None
        elif isinstance(changes, dict) and isinstance(changes.get("category"), str):
            current = changes["category"]
        final[item_id] = (recorded, current)
    return final


def weapon_figures(cutoff: datetime, size: int) -> JSON:
    """Items surrendered and destroyed by category, in the shape of the log's public totals
    (ledger/totals.py): counted from the receipt tallies, then corrections and voids applied."""
    from ceasefire.reports.services import tally_sync

    tally_sync()
    surrendered: Counter[str] = Counter()
    destroyed: Counter[str] = Counter()
    tallies = (
        ReceiptTally.objects.filter(received_at__lte=cutoff, entry_id__lt=size)
        .values("category")
        .annotate(count=Sum("items"))
    )
    for row in tallies:
        surrendered[row["category"]] += row["count"]
    destroying = CustodyEvent.objects.filter(
        kind__in=DESTROYING_EVENTS, occurred_at__lte=cutoff, entry_id__lt=size
    )
    for row in destroying.values("item__category").annotate(count=Count("item", distinct=True)):
        destroyed[row["item__category"]] += row["count"]
    corrected = _item_corrections(cutoff, size)
    destroyed_corrected = set(
        destroying.filter(item_id__in=corrected).values_list("item_id", flat=True)
    )
    for item_id, (recorded, current) in corrected.items():
        tallies_of = [surrendered, destroyed] if item_id in destroyed_corrected else [surrendered]
        for tally in tallies_of:
            tally[recorded] -= 1
            if current is not None:
                tally[current] += 1
    present = sorted(category for category, count in surrendered.items() if count > 0)
    return {
        "by_category": {
            category: {"surrendered": surrendered[category], "destroyed": destroyed[category]}
            for category in present
        },
        "total": {
            "surrendered": sum(surrendered[c] for c in present),
            "destroyed": sum(destroyed[c] for c in present),
        },
    }


def _change(now: JSON, before: JSON) -> JSON:
    categories = sorted(set(now["by_category"]) | set(before["by_category"]))
    zero = {"surrendered": 0, "destroyed": 0}

    def diff(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
        return {key: a[key] - b[key] for key in zero}

    return {
        "by_category": {
            c: diff(now["by_category"].get(c, zero), before["by_category"].get(c, zero))
            for c in categories
        },
        "total": diff(now["total"], before["total"]),
    }


def _ground_figures(day: date, cutoff: datetime) -> JSON:
    """Positions, convoys, crossings and incidents as they stood at the cut-off (their own
    apps' selectors), days counted in the report's time zone."""
    by_day = positions.event_counts_by_day(cutoff=cutoff)
    delivered = convoys.delivered_quantities(cutoff=cutoff)
    crossings = convoys.crossings_per_day(cutoff=cutoff)
    crossing_total: Counter[str] = Counter()
    for counts in crossings.values():
        crossing_total.update(counts)
    return {
        "positions": {
            "status": positions.status_counts(cutoff=cutoff),
            "today": by_day.get(day, {}),
        },
        "convoys": {
            "status": convoys.convoy_counts(cutoff=cutoff),
            "delivered": [
                {"item": item, "unit": unit, **quantities}
                for (item, unit), quantities in sorted(delivered.items())
            ],
        },
        "crossings": {"today": crossings.get(day, {}), "total": dict(crossing_total)},
        "incidents": incidents.verification_counts(cutoff=cutoff),
    }


def daily_figures(day: date, *, size: int | None = None, clock: ReportClock | None = None) -> JSON:
    """Every figure of the report of `day`, computed at log size `size` (default: now).
    Canonical-JSON-able (integers and strings), as the published log entry holds them."""
    clock = clock or report_clock()
    size = log_size() if size is None else size
    cutoff = clock.cutoff_of(day)
    previous_day = day - timedelta(days=1)
    weapons = weapon_figures(cutoff, size)
    previous = weapon_figures(clock.cutoff_of(previous_day), size)
    with timezone.override(clock.zone):
        ground = _ground_figures(day, cutoff)
    return {
        "day": day.isoformat(),
        "cutoff": cutoff.isoformat(),
        "time_zone": clock.zone.key,
        "log_size": size,
        "weapons": weapons,
        "previous_day": previous_day.isoformat(),
        "change": _change(weapons, previous),
        **ground,
    }


# Published reports


def published_reports() -> QuerySet[Report]:
    return Report.objects.order_by("-day")


def published_report(day: date) -> Report:
    report = Report.objects.filter(day=day).select_related("entry").first()
    if report is None:
        raise NotFound(_("No report has been published for %(day)s.") % {"day": day.isoformat()})
    return report


def latest_report() -> Report | None:
    return Report.objects.order_by("-day").first()


def checkpoint_covering(index: int) -> Checkpoint | None:
    """The latest checkpoint, when it covers entry `index` (None until one does)."""
    checkpoint = latest_checkpoint()
    return checkpoint if checkpoint is not None and checkpoint.size > index else None


# The public dashboard


@dataclass(frozen=True)
class DailyHandovers:
    days: list[date]
    # category -> one count per day
    series: dict[str, list[int]]


def daily_handovers(*, days: int = 30, clock: ReportClock | None = None) -> DailyHandovers:
    """Items handed over per day (in the report's time zone) and category, over the last `days`
    days up to the latest closed day. Public: category and day are public in the log."""
    from ceasefire.reports.services import tally_sync

    clock = clock or report_clock()
    tally_sync()
    last = clock.last_closed_day(timezone.now())
    first = last - timedelta(days=days - 1)
    start = clock.cutoff_of(first - timedelta(days=1))
    end = clock.cutoff_of(last)
    counts: dict[str, Counter[date]] = defaultdict(Counter)
    rows = ReceiptTally.objects.filter(received_at__gt=start, received_at__lte=end)
    for received_at, category, items in rows.values_list("received_at", "category", "items"):
        local = received_at.astimezone(clock.zone)
        # A handover after the cut-off counts on the next day's report.
        day = (
            local.date() + timedelta(days=1)
            if clock.cutoff_of(local.date()) < local
            else local.date()
        )
        counts[category][day] += items
    span = [first + timedelta(days=n) for n in range(days)]
    return DailyHandovers(
        span, {category: [by_day[d] for d in span] for category, by_day in sorted(counts.items())}
    )
