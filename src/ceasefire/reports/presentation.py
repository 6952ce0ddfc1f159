"""What a report page shows, built from its figures: labels in the reader's language, rows in a
fixed order. The page and the PDF render the same context with the same body template."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from ceasefire.convoys.models import Convoy, ManifestLine
from ceasefire.incidents.models import Verification
from ceasefire.positions.models import PositionEvent, Status
from ceasefire.registry.models import Category
from ceasefire.reports.text import surrendered_sentence

CROSSING_GROUPS = [
    ("men", _("Men (18 to 59)")),
    ("women", _("Women (18 to 59)")),
    ("children", _("Children (under 18)")),
    ("elderly", _("Elderly (60 and over)")),
    ("disabled", _("Of whom persons with disabilities")),
    ("vehicles", _("Vehicles")),
]


@dataclass
class ReportView:
    day: date
    figures: dict[str, Any]
    sentence: str
    cutoff: datetime | None = None
    weapons: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    total: tuple[int, int, int, int] = (0, 0, 0, 0)
    positions: list[tuple[str, int]] = field(default_factory=list)
    positions_today: list[tuple[str, int]] = field(default_factory=list)
    convoys: list[tuple[str, int]] = field(default_factory=list)
    delivered: list[dict[str, Any]] = field(default_factory=list)
    crossings: list[tuple[str, int, int]] = field(default_factory=list)
    incidents: list[tuple[str, int]] = field(default_factory=list)


def _labelled(counts: dict[str, int], choices: list[tuple[str, Any]]) -> list[tuple[str, int]]:
    return [(str(label), counts.get(value, 0)) for value, label in choices]


def report_view(figures: dict[str, Any]) -> ReportView:
    day = date.fromisoformat(figures["day"])
    weapons, change = figures["weapons"], figures["change"]
    labels = dict(Category.choices)
    view = ReportView(
        day, figures, surrendered_sentence(day, weapons), datetime.fromisoformat(figures["cutoff"])
    )
    zero = {"surrendered": 0, "destroyed": 0}
    for category in sorted(
        change["by_category"], key=lambda c: list(labels).index(c) if c in labels else 99
    ):
        now = weapons["by_category"].get(category, zero)
        delta = change["by_category"][category]
        view.weapons.append(
            (
                str(labels.get(category, category)),
                now["surrendered"],
                delta["surrendered"],
                now["destroyed"],
                delta["destroyed"],
            )
        )
    view.total = (
        weapons["total"]["surrendered"],
        change["total"]["surrendered"],
        weapons["total"]["destroyed"],
        change["total"]["destroyed"],
    )
    view.positions = _labelled(figures["positions"]["status"], Status.choices)
    today_kinds = [(k, v) for k, v in PositionEvent.Kind.choices if k != PositionEvent.Kind.HELD]
    view.positions_today = _labelled(figures["positions"]["today"], today_kinds)
    view.convoys = _labelled(figures["convoys"]["status"], Convoy.Status.choices)
    units = dict(ManifestLine.Unit.choices)
    view.delivered = [
        {**row, "unit_label": str(units.get(row["unit"], row["unit"]))}
        for row in figures["convoys"]["delivered"]
    ]
    crossings = figures["crossings"]
    view.crossings = [
        (str(label), crossings["today"].get(name, 0), crossings["total"].get(name, 0))
        for name, label in CROSSING_GROUPS
    ]
    view.incidents = _labelled(figures["incidents"], Verification.choices)
    return view
