"""Charts drawn on the server as SVG (no script, no chart library): bars of daily handovers by
category, and a plain map of the positions the public may see. Geometry is computed here; the
templates only draw it, colours come from the stylesheet by class."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import formats

from ceasefire.reports.selectors import DailyHandovers

WIDTH, HEIGHT = 720, 260
LEFT, BOTTOM, TOP = 56, 26, 10
# Colour classes in reports.css: one per category of the registry's taxonomy.
PALETTE = 15


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # colour class index
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    legend: list[tuple[int, str]]
    empty: bool


def _nice_top(value: int) -> int:
    """A round number at least `value`, for the vertical axis."""
    if value <= 5:
        return 5
    magnitude = int(10 ** (len(str(value)) - 1))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= value:
            return factor * magnitude
    return 10 * magnitude


def stacked_bars(handovers: DailyHandovers, labels: dict[str, Any]) -> BarChart:
    days = handovers.days
    series = list(handovers.series.items())
    totals = [sum(counts[n] for _c, counts in series) for n in range(len(days))]
    top = _nice_top(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(days), 1)
    bars = []
    for n, day in enumerate(days):
        base = 0
        for index, (category, counts) in enumerate(series):
            value = counts[n]
            if value <= 0:
                continue
            height = value / top * plot_h
            y = TOP + plot_h - (base + value) / top * plot_h
            when = formats.date_format(day, "SHORT_DATE_FORMAT")
            count = formats.number_format(value, force_grouping=True)
            title = f"{when} · {labels.get(category, category)}: {count}"
            bars.append(
                Bar(LEFT + n * slot + 1, y, max(slot - 2, 1), height, index % PALETTE, title)
            )
            base += value
    every = max(len(days) // 6, 1)
    x_ticks = [
        Tick(LEFT + n * slot + slot / 2, HEIGHT - 6, formats.date_format(day, "j M"))
        for n, day in enumerate(days)
        if n % every == 0
    ]
    y_ticks = [
        Tick(
            LEFT - 4,
            TOP + plot_h - f * plot_h,
            formats.number_format(int(top * f), force_grouping=True),
        )
        for f in (0, 0.5, 1)
    ]
    legend = [
        (index % 8, str(labels.get(category, category)))
        for index, (category, _c) in enumerate(series)
    ]
    return BarChart(WIDTH, HEIGHT, bars, x_ticks, y_ticks, legend, not bars)


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    status: str
    title: str


@dataclass(frozen=True)
class PointMap:
    width: int
    height: int
    points: list[MapPoint]


def point_map(places: list[tuple[int, int, str, str]], size: int = 320) -> PointMap:
    """(lat, lon microdegrees, status, title) -> points in a square box, north up, with a
    margin; an equirectangular projection is enough at the scale of a ceasefire line."""
    if not places:
        return PointMap(size, size, [])
    lats = [lat for lat, _lon, _s, _t in places]
    lons = [lon for _lat, lon, _s, _t in places]
    span = max(max(lats) - min(lats), max(lons) - min(lons), 1)
    margin = 16
    scale = (size - 2 * margin) / span
    # The narrower extent is centred in the square.
    centre_lat, centre_lon = (max(lats) + min(lats)) / 2, (max(lons) + min(lons)) / 2
    return PointMap(
        size,
        size,
        [
            MapPoint(
                size / 2 + (lon - centre_lon) * scale,
                size / 2 - (lat - centre_lat) * scale,
                status,
                title,
            )
            for lat, lon, status, title in places
        ],
    )
