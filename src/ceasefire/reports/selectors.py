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

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.convoys import selectors as convoys
from ceasefire.core.errors import NotFound
from ceasefire.incidents import selectors as incidents
from ceasefire.ledger.models import Checkpoint, LogHead
from ceasefire.ledger.selectors import kept_while_log_unchanged, latest_checkpoint
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
    return weapon_figures_at([cutoff], size)[0]


def weapon_figures_at(cutoffs: list[datetime], size: int) -> list[JSON]:
    """`weapon_figures` at each of `cutoffs`. The tallies and the destroying events are counted
    for all of them in one pass (an aggregate per cut-off): a report needs its day and the day
    before, and each pass reads nearly every tally at a million items."""
    from ceasefire.reports.services import tally_sync

    tally_sync()
    latest = max(cutoffs)
    surrendered: list[Counter[str]] = [Counter() for _ in cutoffs]
    destroyed: list[Counter[str]] = [Counter() for _ in cutoffs]
    tallies = (
        ReceiptTally.objects.filter(received_at__lte=latest, entry_id__lt=size)
        .values("category")
        .annotate(
            **{
                f"at{n}": Sum("items", filter=Q(received_at__lte=cutoff))
                for n, cutoff in enumerate(cutoffs)
            }
        )
    )
    for row in tallies:
        for n, tally in enumerate(surrendered):
            tally[row["category"]] += row[f"at{n}"] or 0
    destroying = CustodyEvent.objects.filter(kind__in=DESTROYING_EVENTS, entry_id__lt=size)
    destroyed_rows = (
        destroying.filter(occurred_at__lte=latest)
        .values("item__category")
        .annotate(
            **{
                f"at{n}": Count("item", distinct=True, filter=Q(occurred_at__lte=cutoff))
                for n, cutoff in enumerate(cutoffs)
            }
        )
    )
    for row in destroyed_rows:
        for n, tally in enumerate(destroyed):
            tally[row["item__category"]] += row[f"at{n}"]
    return [
        _corrected(
            surrendered[n], destroyed[n], destroying.filter(occurred_at__lte=cutoff), cutoff, size
        )
        for n, cutoff in enumerate(cutoffs)
    ]


def _corrected(
    surrendered: Counter[str],
    destroyed: Counter[str],
    destroying: QuerySet[CustodyEvent],
    cutoff: datetime,
    size: int,
) -> JSON:
    """The counts at `cutoff` with the corrections and voids applied (a few rows: cheap)."""
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
    weapons, previous = weapon_figures_at([cutoff, clock.cutoff_of(previous_day)], size)
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
    days up to the latest closed day. Public: category and day are public in the log.

    Counting a month of tallies takes tens of ms at a million items and the public dashboard is
    read far more than the registry is written, so the result is kept until the log moves (a
    receipt is recorded with its log entries); the clock and the latest closed day are in the
    key too. The result is shared: callers must not change it."""
    clock = clock or report_clock()
    last = clock.last_closed_day(timezone.now())
    return kept_while_log_unchanged(
        ("reports.daily_handovers", clock, last, days),
        lambda: _daily_handovers(clock, last, days),
    )


def _daily_handovers(clock: ReportClock, last: date, days: int) -> DailyHandovers:
    from ceasefire.reports.services import tally_sync

    tally_sync()
    span = [last - timedelta(days=days - 1 - n) for n in range(days)]
    counts: dict[str, dict[date, int]] = defaultdict(dict)
    for day in span:
        # The report of `day` counts what came after the previous cut-off up to its own; one
        # range of the (received_at, ...) index per day, summed in the database.
        rows = (
            ReceiptTally.objects.filter(
                received_at__gt=clock.cutoff_of(day - timedelta(days=1)),
                received_at__lte=clock.cutoff_of(day),
            )
            .values("category")
            .annotate(count=Sum("items"))
            .values_list("category", "count")
        )
        for category, count in rows:
            counts[category][day] = count
    return DailyHandovers(
        span,
        {
            category: [by_day.get(day, 0) for day in span]
            for category, by_day in sorted(counts.items())
        },
    )
