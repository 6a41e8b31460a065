"""Server-rendered line charts as accessible inline SVG, with a data-table fallback.

Generic: a chart takes any number of series over dates (TWSTRS across cycles, diary pain and
severity, posture angles across visits) or over numbers (angles over seconds, power over hertz:
pass ``x_label``/``x_unit``). A chart's x values are all dates or all numbers. Pure: no Django
imports; every text is escaped here, so the returned markup is safe to insert as is.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape

__all__ = [
    "MONTH_ABBREVIATIONS",
    "Chart",
    "Marker",
    "Series",
    "XValue",
    "axis_ticks",
    "line_chart",
    "month_starts",
]

# Colours meet 3:1 against white (WCAG 1.4.11); dashes tell series apart without colour.
_STYLES = (
    ("#0b5f83", ""),
    ("#8a3b12", "6 4"),
    ("#1d6b35", "2 3"),
    ("#6b2a8a", "10 3 2 3"),
)
_chart_ids = itertools.count(1)

XValue = date | float

# Date axes mark the months between their first and last date (English by default; callers
# pass the page language's). At a phone's larger type (20 units) a month is ~35 units wide,
# "Jan 2027" ~90 and an ISO end date ~110, so marks stay 72 units apart and 160 from the ends.
# Own choice.
MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
_MONTH_LABEL_GAP = 72
_END_LABEL_CLEARANCE = 160


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[XValue, float], ...]


@dataclass(frozen=True)
class Marker:
    """A labelled vertical line, e.g. an injection date."""

    on: XValue
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg: str
    table_headers: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]
    is_empty: bool = False
    legend: tuple[tuple[str, str, str], ...] = field(default=())  # (name, colour, dash)
    # The y axis's label, also drawn turned inside the SVG; a phone shows it as text instead.
    y_label: str = ""


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _x_number(value: XValue) -> float:
    return float(value.toordinal()) if isinstance(value, date) else float(value)


def _x_text(value: XValue, unit: str = "") -> str:
    if isinstance(value, date):
        return value.isoformat()
    # Two decimals: frames 33 ms apart, spectrum bins 0.03 Hz apart stay distinct.
    return f"{value:.2f}".rstrip("0").rstrip(".") + unit


@dataclass(frozen=True)
class _Frame:
    """Where values land on the SVG: the plot area and the x and y ranges it shows."""

    width: int
    height: int
    left: int
    right: int
    top: int
    plot_w: int
    plot_h: int
    first: float
    span: float
    y_min: float
    y_max: float

    def x(self, day: XValue) -> float:
        return self.left + (_x_number(day) - self.first) / self.span * self.plot_w

    def y(self, value: float) -> float:
        clamped = min(max(value, self.y_min), self.y_max)
        return self.top + (self.y_max - clamped) / (self.y_max - self.y_min) * self.plot_h


def line_chart(
    title: str,
    series: Sequence[Series],
    *,
    y_min: float,
    y_max: float,
    y_label: str,
    markers: Sequence[Marker] = (),
    width: int = 640,
    height: int = 260,
    description: str = "",
    x_label: str = "Date",
    x_unit: str = "",
    point_markers: bool = True,
    month_names: Sequence[str] = MONTH_ABBREVIATIONS,
) -> Chart:
    """Return an SVG line chart of ``series`` between ``y_min`` and ``y_max``.

    x values are dates (first and last date labelled, the months between marked with
    ``month_names``) or numbers (round ticks, ``x_unit`` appended, e.g. " s").
    ``point_markers=False`` draws lines only, for long series.
    """
    if y_max <= y_min:
        raise ValueError("y_max must be above y_min")
    all_dates = sorted({d for s in series for d, _ in s.points} | {m.on for m in markers})
    headers = (x_label, *(s.name for s in series))
    if not any(s.points for s in series):
        return Chart(title, description or "No data yet.", "", headers, (), is_empty=True)
    uid = next(_chart_ids)
    # Room at the left for tick labels and the turned axis label at a phone's larger type.
    left, right, top, bottom = 64, 16, 16, 40
    first, last = _x_number(all_dates[0]), _x_number(all_dates[-1])
    frame = _Frame(
        width, height, left, right, top, width - left - right, height - top - bottom,
        first, (last - first) or 1, y_min, y_max,
    )  # fmt: skip
    numeric = not isinstance(all_dates[0], date)
    described = description or _describe(series, y_label, x_unit)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f'<title id="chart-{uid}-title">{escape(title)}</title>',
        f'<desc id="chart-{uid}-desc">{escape(described)}</desc>',
        *_y_axis(frame, y_label),
        *_x_axis(frame, all_dates, x_unit),
        *(_month_ticks(frame, all_dates[0], all_dates[-1], month_names) if not numeric else ()),
        *_marker_lines(frame, markers, x_unit),
    ]
    series_parts, legend = _series_lines(frame, series, x_unit, point_markers)
    parts += [*series_parts, "</svg>"]
    return Chart(
        title, described, "".join(parts), headers, _table_rows(series, all_dates, x_unit),
        legend=legend, y_label=y_label,
    )  # fmt: skip


def _y_axis(frame: _Frame, y_label: str) -> list[str]:
    parts = []
    for value in axis_ticks(frame.y_min, frame.y_max):
        gy = frame.y(value)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{gy:.1f}" '
            f'y2="{gy:.1f}" stroke="#d5dbe3" stroke-width="1"/>'
            f'<text x="{frame.left - 6}" y="{gy + 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="#4a5565">{_fmt(value)}</text>'
        )
    middle = frame.top + frame.plot_h / 2
    parts.append(
        f'<text class="y-label" x="12" y="{middle:.1f}" font-size="13" fill="#4a5565" '
        f'transform="rotate(-90 12 {middle:.1f})" text-anchor="middle">'
        f"{escape(y_label)}</text>"
    )
    return parts


def _x_axis(frame: _Frame, all_dates: Sequence[XValue], x_unit: str) -> list[str]:
    numeric = not isinstance(all_dates[0], date)
    first, last = _x_number(all_dates[0]), _x_number(all_dates[-1])
    ticks: Sequence[XValue] = (
        axis_ticks(first, last) if numeric and last > first else [all_dates[0], all_dates[-1]]
    )
    parts = []
    for day in ticks:
        anchor = "middle" if numeric else "start" if day == all_dates[0] else "end"
        parts.append(
            f'<text x="{frame.x(day):.1f}" y="{frame.height - 10}" font-size="13" '
            f'fill="#4a5565" text-anchor="{anchor}">{escape(_x_text(day, x_unit))}</text>'
        )
    return parts


def month_starts(first: date, last: date, frame_width: float) -> list[date]:
    """The first days of months strictly between ``first`` and ``last`` to mark on an axis
    ``frame_width`` units wide: every month, or every 2nd, 3rd, 6th or 12th where months would
    crowd, none near the ends (their dates are written there)."""
    span = (last - first).days
    if span <= 0:
        return []
    starts = []
    year, month = (first.year, first.month + 1) if first.month < 12 else (first.year + 1, 1)
    while (day := date(year, month, 1)) < last:
        starts.append(day)
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    per_month = frame_width * 30.4 / span
    step = next((n for n in (1, 2, 3, 6, 12) if per_month * n >= _MONTH_LABEL_GAP), None)
    if step is None:  # even yearly marks would crowd (a span of many years): leave them out
        return []
    chosen = [d for d in starts if (d.month - 1) % step == 0]
    return [
        d
        for d in chosen
        if (d - first).days / span * frame_width >= _END_LABEL_CLEARANCE
        and (last - d).days / span * frame_width >= _END_LABEL_CLEARANCE
    ]


def _month_ticks(
    frame: _Frame, first: XValue, last: XValue, month_names: Sequence[str]
) -> list[str]:
    assert isinstance(first, date) and isinstance(last, date)
    parts = []
    bottom = frame.top + frame.plot_h
    for day in month_starts(first, last, frame.plot_w):
        x = frame.x(day)
        name = month_names[day.month - 1] + (f" {day.year}" if day.month == 1 else "")
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 5}" stroke="#8793a3"/>'
            f'<text x="{x:.1f}" y="{frame.height - 10}" font-size="13" fill="#4a5565" '
            f'text-anchor="middle">{escape(name)}</text>'
        )
    return parts


def _marker_lines(frame: _Frame, markers: Sequence[Marker], x_unit: str) -> list[str]:
    parts = []
    for marker in markers:
        mx = frame.x(marker.on)
        parts.append(
            f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{frame.top}" y2="{frame.top + frame.plot_h}" '
            f'stroke="#8793a3" stroke-dasharray="3 3"><title>{escape(marker.label)} '
            f"{escape(_x_text(marker.on, x_unit))}</title></line>"
        )
    return parts


def _series_lines(
    frame: _Frame, series: Sequence[Series], x_unit: str, point_markers: bool
) -> tuple[list[str], tuple[tuple[str, str, str], ...]]:
    parts = []
    legend = []
    for index, one in enumerate(series):
        colour, dash = _STYLES[index % len(_STYLES)]
        legend.append((one.name, colour, dash))
        points = sorted(one.points)
        if not points:
            continue
        path = " ".join(f"{frame.x(d):.1f},{frame.y(v):.1f}" for d, v in points)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr} '
            f'points="{path}"/>'
        )
        for d, v in points if point_markers else ():
            parts.append(
                f'<circle cx="{frame.x(d):.1f}" cy="{frame.y(v):.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(one.name)} {escape(_x_text(d, x_unit))}: {_fmt(v)}"
                "</title></circle>"
            )
    return parts, tuple(legend)


def _table_rows(
    series: Sequence[Series], all_dates: Sequence[XValue], x_unit: str
) -> tuple[tuple[str, ...], ...]:
    """The chart as table rows (the accessible twin of the SVG): one per x with any value."""
    by_date = {s.name: dict(s.points) for s in series}
    return tuple(
        (
            _x_text(day, x_unit),
            *(_fmt(by_date[s.name][day]) if day in by_date[s.name] else "—" for s in series),
        )
        for day in all_dates
        if any(day in by_date[s.name] for s in series)
    )


def axis_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Return round tick values from ``low`` to ``high`` (at most ``most`` of them)."""
    span = high - low
    step = next(
        (
            s
            for s in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 500)
            if span / s <= most - 1
        ),
        span / 4,
    )
    first = low if low % step == 0 else low + (step - low % step)
    values = []
    value = first
    while value <= high + 1e-9:
        values.append(round(value, 9))  # 0.1 steps must not drift to 0.30000000000000004
        value += step
    return values


def _describe(series: Sequence[Series], y_label: str, x_unit: str = "") -> str:
    pieces = []
    for one in series:
        if one.points:
            points = sorted(one.points)
            pieces.append(
                f"{one.name}: {len(points)} values from {_x_text(points[0][0], x_unit)} "
                f"({_fmt(points[0][1])}) to {_x_text(points[-1][0], x_unit)} "
                f"({_fmt(points[-1][1])})"
            )
    return f"{y_label}. " + "; ".join(pieces) + "."
