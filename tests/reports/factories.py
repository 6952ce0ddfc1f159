"""Factories for report tests: a day whose cut-off has passed, and handovers around it, made
through the registry's services."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.registry import services as registry
from ceasefire.registry.models import Item, Receipt
from ceasefire.registry.services import LineIn
from ceasefire.reports.config import report_clock
from tests import factories
from tests.registry.factories import lot, receipt, weapon


def closed_day(days_back: int = 1) -> date:
    """A day whose cut-off passed at least a day ago."""
    return report_clock().last_closed_day(timezone.now()) - timedelta(days=days_back)


def cutoff(day: date) -> datetime:
    return report_clock().cutoff_of(day)


def handover(
    officer: User, at: datetime, *, rifles: int = 2, grenades: int = 1, lots: int = 1
) -> Receipt:
    """A handover of assault rifles (AKM, from the reference table), hand grenades and lots."""
    lines = [weapon() for _ in range(rifles)]
    lines += [grenade() for _ in range(grenades)]
    lines += [lot() for _ in range(lots)]
    return receipt(factories.party("north"), officer, lines, received_at=at)


def grenade() -> LineIn:
    return weapon(category="hand_grenade", make="Arsenal", model="F-1", serial="", unlisted=True)


def destroy(item: Item, officer: User, at: datetime) -> None:
    registry.custody_record(
        user=officer,
        item=item,
        kind="destroyed",
        occurred_at=at,
        method="Cut by torch",
        witnesses=["Orla Pettersen"],
    )
