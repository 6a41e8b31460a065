"""The guided home protocol and its per-segment reading of an engine result. Pure: no Django.

The prompts are timed; the recorder (static/checkins/checkin.js) shows them on the same clock, so
the seconds below give the segments of the video.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from collis.posture.series import AngleSeries
from collis.posture.tremor import estimate_tremor

PROTOCOL_VERSION = "home-v1"


@dataclass(frozen=True)
class Segment:
    key: str
    prompt: str
    start_s: float
    end_s: float
    axis: str | None  # the angle this movement moves; None for the resting segment
    sign: int  # +1: the movement makes the DESIGN.md angle positive (left, chin down)


def gettext_noop(message: str) -> str:
    """Marks a prompt for the translation catalogue; pages pass ``translate`` (gettext)."""
    return message


def _same(text: str) -> str:
    return text


# Neutral 5 s (issue #16), then one movement every 4 s: ~25 s in all. The first 0.5 s of each
# movement is the turn itself, so range of motion is read from the whole window's extreme.
_ = gettext_noop
SEGMENTS: tuple[Segment, ...] = (
    Segment("neutral", _("Sit still and look straight ahead"), 0.0, 5.0, None, 0),
    Segment("turn_left", _("Turn your head to the left, as far as is comfortable"), 5.0, 9.0,
            "rotation_deg", 1),
    Segment("turn_right", _("Turn your head to the right, as far as is comfortable"), 9.0, 13.0,
            "rotation_deg", -1),
    Segment("tilt_left", _("Tilt your left ear toward your left shoulder"), 13.0, 17.0,
            "laterocollis_deg", 1),
    Segment("tilt_right", _("Tilt your right ear toward your right shoulder"), 17.0, 21.0,
            "laterocollis_deg", -1),
    Segment("chin_down", _("Chin down toward your chest"), 21.0, 24.0, "flexion_deg", 1),
    Segment("chin_up", _("Chin up, looking at the ceiling"), 24.0, 27.0, "flexion_deg", -1),
)  # fmt: skip
del _
DURATION_S = SEGMENTS[-1].end_s
AXES = ("rotation_deg", "laterocollis_deg", "flexion_deg")
# A segment read from fewer than half of its frames is flagged (the engine's own warnings are
# for the whole clip).
MIN_FACE_FRACTION = 0.5
FEW_FRAMES = gettext_noop("face seen in fewer than half of the frames")
MISSING = gettext_noop("the video ended before this part")
# A 5-s resting segment is short: a "peak" smaller than the frame-to-frame landmark jitter
# (0.1-0.5°, posture/series.py) is jitter, not tremor [U: our floor].
MIN_TREMOR_DEG = 0.5
JITTER_NOTE = gettext_noop("no tremor: peak below the landmark jitter")


def protocol_json(translate: Callable[[str], str] = _same) -> list[dict[str, Any]]:
    """The prompts (through ``translate``) and timings for the recorder page (json_script)."""
    return [
        {"key": s.key, "prompt": translate(s.prompt), "start": s.start_s, "end": s.end_s}
        for s in SEGMENTS
    ]


def _array(values: list[Any] | None) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in values or ()], dtype=float)


def analyse_segments(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return {segment key: reading} from a DESIGN.md result with its ``series``.

    neutral: median resting angles and the tremor at rest (estimated on that segment only, so
    voluntary turns cannot pass for tremor). Movements: range of motion = the extreme of the
    moved angle in the direction asked, in degrees (positive = moved as asked). Each reading
    carries ``flags``, and ``still_t`` (seconds) where a frame was measured: the moment its
    annotated still shows (the resting frame nearest the medians, the movement's extreme).
    """
    series = result.get("series") or {}
    t = _array(series.get("t"))
    angles = {axis: _array(series.get(axis)) for axis in AXES}
    fps = result.get("fps") or 0.0
    readings: dict[str, dict[str, Any]] = {}
    for segment in SEGMENTS:
        mask = (t >= segment.start_s) & (t < segment.end_s) if len(t) else np.zeros(0, bool)
        valid = mask & ~np.isnan(angles["rotation_deg"]) if len(t) else mask
        expected = max(1.0, (segment.end_s - segment.start_s) * fps) if fps else mask.sum()
        flags: list[str] = []
        reading: dict[str, Any] = {"prompt": segment.prompt, "frames": int(valid.sum())}
        if not mask.any():
            flags.append(MISSING)
        elif valid.sum() < MIN_FACE_FRACTION * expected:
            flags.append(FEW_FRAMES)
        if segment.axis is None:
            for axis in AXES:
                reading[axis] = _round(np.median(angles[axis][valid])) if valid.any() else None
            reading["tremor"] = _tremor(t[mask], {a: angles[a][mask] for a in AXES})
            if valid.any():
                # The still: the frame closest to the resting medians on all three axes.
                distance = sum(np.abs(angles[a][valid] - np.median(angles[a][valid])) for a in AXES)
                reading["still_t"] = _round_t(t[valid][int(np.nanargmin(distance))])
        else:
            values = angles[segment.axis][valid] * segment.sign
            reading["axis"] = segment.axis
            reading["range_deg"] = _round(values.max()) if valid.any() else None
            if valid.any():
                # The still: the frame of the extreme, where the range was read.
                reading["still_t"] = _round_t(t[valid][int(np.argmax(values))])
        reading["flags"] = flags
        readings[segment.key] = reading
    return readings


def _tremor(t: np.ndarray, angles: dict[str, np.ndarray]) -> dict[str, Any]:
    if len(t) < 4:
        return {"detected": None, "frequency_hz": None, "amplitude_deg": None, "note": MISSING}
    estimate = estimate_tremor(AngleSeries(t, *(angles[a] for a in AXES)))
    if estimate.detected and (estimate.amplitude_deg or 0.0) < MIN_TREMOR_DEG:
        return {"detected": False, "frequency_hz": None, "amplitude_deg": None,
                "note": JITTER_NOTE}  # fmt: skip
    return {
        "detected": estimate.detected,
        "frequency_hz": _round(estimate.frequency_hz),
        "amplitude_deg": _round(estimate.amplitude_deg),
        "note": estimate.note,
    }


def _round_t(value: float) -> float:
    return round(float(value), 3)


def still_times(segments: dict[str, dict[str, Any]]) -> dict[str, float]:
    """{segment key: seconds} of the frame to show for each measured segment."""
    return {
        key: float(reading["still_t"])
        for key, reading in (segments or {}).items()
        if reading.get("still_t") is not None
    }


def _round(value: float | None) -> float | None:
    if value is None or not math.isfinite(float(value)):
        return None
    return round(float(value), 1)
