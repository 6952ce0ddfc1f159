"""The daily report's clock: the cut-off time of day and the time zone it is read in
(CEASEFIRE_REPORT_CUTOFF, CEASEFIRE_REPORT_TIME_ZONE; docs/configuration.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class ReportClock:
    cutoff: time
    zone: ZoneInfo

    def cutoff_of(self, day: date) -> datetime:
        """The moment the report of `day` is taken. A cut-off of 00:00 means the end of the
        day (midnight after it), so a report counts its whole day."""
        moment = datetime.combine(day, self.cutoff, tzinfo=self.zone)
        return moment + timedelta(days=1) if self.cutoff == time(0, 0) else moment

    def last_closed_day(self, now: datetime) -> date:
        """The latest day whose cut-off has passed at `now`."""
        day = now.astimezone(self.zone).date()
        while self.cutoff_of(day) > now:
            day -= timedelta(days=1)
        return day


def report_clock() -> ReportClock:
    raw_cutoff = settings.REPORT_CUTOFF.strip()
    try:
        cutoff = time.fromisoformat(raw_cutoff)
    except ValueError:
        raise ImproperlyConfigured(
            f"CEASEFIRE_REPORT_CUTOFF must be a time of day as HH:MM, not {raw_cutoff!r}."
        ) from None
    try:
        zone = ZoneInfo(settings.REPORT_TIME_ZONE.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            "CEASEFIRE_REPORT_TIME_ZONE must be a time zone name such as Asia/Yerevan, not "
            f"{settings.REPORT_TIME_ZONE!r}."
        ) from None
    return ReportClock(cutoff.replace(second=0, microsecond=0, tzinfo=None), zone)
