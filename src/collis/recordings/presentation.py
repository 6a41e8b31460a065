"""Turn stored posture results into what the pages show (pure: no Django imports).

Input is the DESIGN.md result JSON as stored; output is plain text, rows and ``lib.charts``
charts. Sign conventions are DESIGN.md's "Posture analysis contract".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import numpy as np

from collis.lib.charts import Chart, Marker, Series, line_chart
from collis.posture import AngleSeries, angle_spectra, clean_series
from collis.posture.tremor import BAND_HIGH_HZ
from collis.scales.twstrs import ITEMS_BY_KEY

__all__ = [
    "ANGLE_NAMES",
    "MAX_CHART_POINTS",
    "SuggestionRow",
    "angles_across_visits",
    "angles_over_time_chart",
    "describe_angles",
    "describe_flexion",
    "describe_laterocollis",
    "describe_rotation",
    "flexion_reference_text",
    "short_angles",
    "suggestion_caveat",
    "suggestion_rows",
    "thin",
    "tremor_spectrum_chart",
]

# A chart of more points than this is thinned for display (an SVG of 3,600 frames × 3 angles
# would weigh about a megabyte); the stored series keeps every frame.
MAX_CHART_POINTS = 300
ANGLE_NAMES = {
    "rotation_deg": "Rotation",
    "laterocollis_deg": "Laterocollis (tilt)",
    "flexion_deg": "Flexion",
}


@dataclass(frozen=True)
class SuggestionRow:
    """One suggested TWSTRS grade, ready to display next to its caveats."""

    item: str
    label: str
    grade: int
    maximum: int
    measured: str
    basis: str
    approximate: bool
    near_boundary: bool


def _whole(value: float) -> int:
    return int(math.floor(abs(value) + 0.5))


def gettext_noop(message: str) -> str:
    """Marks a text for the translation catalogue (makemessages); callers pass ``translate``."""
    return message


def _same(text: str) -> str:
    return text


Translate = Callable[[str], str]


def describe_rotation(rotation_deg: float, translate: Translate = _same) -> str:
    """Return e.g. "24° chin toward the left shoulder" (positive: chin to the patient's left)."""
    degrees = _whole(rotation_deg)
    if degrees == 0:
        return translate(gettext_noop("0° (facing forward)"))
    if rotation_deg > 0:
        text = gettext_noop("%(degrees)s° chin toward the left shoulder")
    else:
        text = gettext_noop("%(degrees)s° chin toward the right shoulder")
    return translate(text) % {"degrees": degrees}


def describe_laterocollis(laterocollis_deg: float, translate: Translate = _same) -> str:
    """Return e.g. "10° left ear toward the left shoulder" (positive: left ear down)."""
    degrees = _whole(laterocollis_deg)
    if degrees == 0:
        return translate(gettext_noop("0° (upright)"))
    if laterocollis_deg > 0:
        text = gettext_noop("%(degrees)s° left ear toward the left shoulder")
    else:
        text = gettext_noop("%(degrees)s° right ear toward the right shoulder")
    return translate(text) % {"degrees": degrees}


def describe_flexion(flexion_deg: float, translate: Translate = _same) -> str:
    """Return e.g. "8° chin down (anterocollis direction)" (positive: chin down)."""
    degrees = _whole(flexion_deg)
    if degrees == 0:
        return translate(gettext_noop("0° (level)"))
    if flexion_deg > 0:
        text = gettext_noop("%(degrees)s° chin down (anterocollis direction)")
    else:
        text = gettext_noop("%(degrees)s° head back (retrocollis direction)")
    return translate(text) % {"degrees": degrees}


def describe_angles(
    angles: Mapping[str, Any] | None, translate: Translate = _same
) -> tuple[tuple[str, str], ...]:
    """Return (name, text) pairs for the three head angles of a result's ``angles``, through
    ``translate`` (gettext for a page in the reader's language; English as it stands)."""
    if not angles:
        return ()
    describers = (
        (gettext_noop("Rotation"), "rotation_deg", describe_rotation),
        (gettext_noop("Laterocollis (tilt)"), "laterocollis_deg", describe_laterocollis),
        (gettext_noop("Flexion"), "flexion_deg", describe_flexion),
    )
    return tuple(
        (translate(name), describe(angles[key], translate))
        for name, key, describe in describers
        if angles.get(key) is not None
    )


def short_angles(angles: Mapping[str, Any] | None) -> str:
    """Return a one-line summary, e.g. "rotation 24° L, tilt 3° R, flexion 2° down"."""
    if not angles:
        return ""
    parts = []
    for name, key, positive, negative in (
        ("rotation", "rotation_deg", "L", "R"),
        ("tilt", "laterocollis_deg", "L", "R"),
        ("flexion", "flexion_deg", "down", "back"),
    ):
        value = angles.get(key)
        if value is None:
            continue
        degrees = _whole(value)
        direction = "" if degrees == 0 else f" {positive if value > 0 else negative}"
        parts.append(f"{name} {degrees}°{direction}")
    return ", ".join(parts)


def suggestion_rows(suggestions: Iterable[Mapping[str, Any]]) -> list[SuggestionRow]:
    """Return display rows for stored severity suggestions, in stored (TWSTRS) order."""
    rows = []
    for s in suggestions:
        spec = ITEMS_BY_KEY.get(s["item"])
        measured = s["measured"]
        if isinstance(measured, bool):
            text = "present" if measured else "absent"
        else:
            text = f"{float(measured):+.1f}°"
        rows.append(
            SuggestionRow(
                item=s["item"],
                label=spec.label if spec else s["item"].replace("_", " ").capitalize(),
                grade=int(s["grade"]),
                maximum=int(s["maximum"]),
                measured=text,
                basis=s.get("basis", ""),
                approximate=bool(s.get("approximate")),
                near_boundary=bool(s.get("near_boundary")),
            )
        )
    return rows


def suggestion_caveat(suggestion: Mapping[str, Any]) -> str:
    """Return the caveats of one stored suggestion as one line (shown beside pre-filled fields)."""
    parts = [str(suggestion.get("basis") or "")]
    if suggestion.get("approximate"):
        parts.append("approximate, not a band of the scale itself")
    if suggestion.get("near_boundary"):
        parts.append("near a band edge: the neighbouring grade is as likely")
    return "; ".join(p for p in parts if p)


def flexion_reference_text(result: Mapping[str, Any]) -> str:
    """Say what flexion was measured against: the patient's neutral or the reference face."""
    reference = result.get("flexion_reference") or {}
    if reference.get("kind") == "neutral_recording":
        return (
            f"Flexion is measured against the patient's own neutral ({reference.get('neutral')})."
        )
    return (
        "Flexion is measured against a packaged reference face, whose pitch zero is not this "
        "patient's neutral. Mark a recording of the patient's neutral posture to measure later "
        "recordings against it."
    )


_Point = TypeVar("_Point")  # a chart point, or a frame's (index, time)


def thin(points: Sequence[_Point], most: int | None = None) -> list[_Point]:
    """Return every k-th point so that at most ``most`` remain (the last one always kept).

    ``most`` defaults to MAX_CHART_POINTS.
    """
    most = MAX_CHART_POINTS if most is None else most
    if len(points) <= most:
        return list(points)
    step = math.ceil(len(points) / most)
    kept = list(points[::step])
    if kept[-1] != points[-1]:
        kept[-1] = points[-1]
    return kept


def _symmetric_range(values: Iterable[float]) -> float:
    largest = max((abs(v) for v in values), default=0.0)
    return float(min(180, max(10, math.ceil(largest / 10) * 10)))


def angles_over_time_chart(result: Mapping[str, Any]) -> Chart:
    """Return the chart of the three angles against time of a video's result."""
    title = "Head angles over time"
    if result.get("kind") != "video":
        return line_chart(
            title,
            [],
            y_min=-10,
            y_max=10,
            y_label="degrees",
            description="A photo is one moment: there is no change over time to chart.",
        )
    series_json = result.get("series") or {}
    times = series_json.get("t") or []
    # Thin the frames once for all three angles, so the table has one row per kept frame.
    frames = [i for i, _ in thin(list(enumerate(times)))]
    charted = []
    for key, name in ANGLE_NAMES.items():
        values = series_json.get(key) or []
        points = [
            (times[i], values[i])
            for i in frames
            if i < len(values) and times[i] is not None and values[i] is not None
        ]
        charted.append(Series(name, tuple(points)))
    # Laterocollis with the trunk's lean taken out, when the trunk was seen (DESIGN.md: the
    # clinic's charts use head-on-trunk angles; rotation and flexion are the same on both).
    on_trunk = ((result.get("head_on_trunk") or {}).get("series") or {}).get("laterocollis_deg")
    if on_trunk:
        points = [
            (times[i], on_trunk[i])
            for i in frames
            if i < len(on_trunk) and times[i] is not None and on_trunk[i] is not None
        ]
        charted.append(Series("Laterocollis on the trunk", tuple(points)))
    limit = _symmetric_range(v for s in charted for _, v in s.points)
    return line_chart(
        title,
        charted,
        y_min=-limit,
        y_max=limit,
        y_label="degrees (+ left / chin down)",
        x_label="Time (s)",
        x_unit=" s",
        point_markers=False,
        description="" if any(s.points for s in charted) else "No frame had a measurable face.",
    )


def _series_of(result: Mapping[str, Any]) -> AngleSeries:
    series_json = result.get("series") or {}

    def column(key: str) -> np.ndarray:
        return np.array(
            [np.nan if v is None else float(v) for v in series_json.get(key) or []],
            dtype=np.float64,
        )

    return AngleSeries(
        column("t"), column("rotation_deg"), column("laterocollis_deg"), column("flexion_deg")
    )


def tremor_spectrum_chart(result: Mapping[str, Any]) -> Chart:
    """Return the Welch spectrum of each angle (as % of the highest peak), 0–12 Hz.

    Computed from the stored series with the engine's own estimator (``angle_spectra`` on the
    Hampel-cleaned series, as the tremor estimate itself), so the chart shows what it measured.
    """
    title = "Tremor spectrum"

    def empty(description: str) -> Chart:
        return line_chart(
            title, [], y_min=0, y_max=100, y_label="% of the highest peak", description=description
        )

    if result.get("kind") != "video":
        return empty("Tremor needs a video of at least 4 seconds.")
    spectra = angle_spectra(clean_series(_series_of(result)))
    if spectra.unmeasured is not None:
        return empty(f"No spectrum: {spectra.unmeasured}.")
    shown = spectra.freqs <= (spectra.band_high_hz or BAND_HIGH_HZ)
    peak = max(float(np.max(psd[shown])) for psd in spectra.psd.values())
    freqs = spectra.freqs[shown]
    # Zero-padding oversamples the spectrum; keep the highest bin of each group so no peak is
    # lost to thinning.
    highest = np.max([psd[shown] for psd in spectra.psd.values()], axis=0)
    step = max(1, math.ceil(len(freqs) / MAX_CHART_POINTS))
    kept = [
        start + int(np.argmax(highest[start : start + step]))
        for start in range(0, len(freqs), step)
    ]
    charted = []
    for key, name in ANGLE_NAMES.items():
        if key not in spectra.psd:
            continue
        relative = 100 * spectra.psd[key][shown] / peak if peak > 0 else spectra.psd[key][shown]
        charted.append(Series(name, tuple((float(freqs[i]), float(relative[i])) for i in kept)))
    tremor = result.get("tremor") or {}
    markers = []
    if tremor.get("frequency_hz") is not None:
        markers.append(Marker(float(tremor["frequency_hz"]), "Tremor peak"))
    return line_chart(
        title,
        charted,
        y_min=0,
        y_max=100,
        y_label="% of the highest peak",
        x_label="Frequency (Hz)",
        x_unit=" Hz",
        point_markers=False,
        markers=markers,
    )


def angles_across_visits(points: Iterable[tuple[date, Mapping[str, float | None]]]) -> list[Series]:
    """Return one Series per angle from (visit date, angles) pairs, one value per date.

    When a date has several analyses, the last one given wins (pass them oldest first).
    """
    by_date: dict[str, dict[date, float]] = {key: {} for key in ANGLE_NAMES}
    for on, angles in points:
        for key in ANGLE_NAMES:
            value = angles.get(key)
            if value is not None:
                by_date[key][on] = round(float(value), 1)
    return [Series(name, tuple(sorted(by_date[key].items()))) for key, name in ANGLE_NAMES.items()]
