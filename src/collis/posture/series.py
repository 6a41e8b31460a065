"""Per-frame angle series: outliers, robust central values, dropped frames, neutral time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import median_filter

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

AXES = ("rotation_deg", "laterocollis_deg", "flexion_deg")
# Hampel filter: rolling median ± 3·1.4826·MAD over ~0.4 s (posture-research.md §4.2).
HAMPEL_WINDOW_S = 0.4
HAMPEL_SIGMAS = 3.0
MAD_TO_SIGMA = 1.4826
# ... and at least 5° off: ten times the frame-to-frame landmark jitter of 0.1–0.5°
# (posture-research.md §2.4), so the peaks of real slow movements are never cut. Own choice.
MIN_OUTLIER_JUMP_DEG = 5.0
# A pts step above 1.5× the median step means frames were dropped (posture-research.md §4.1).
DROPPED_FRAME_STEP_RATIO = 1.5
# Landmarks are off for a moment after the face re-enters (issue #14: up to 29°): frames within
# 0.3 s after a gap of ≥ 0.1 s without a face are dropped. Own choice.
REENTRY_GAP_S = 0.1
REENTRY_DROP_S = 0.3
# TWSTRS rates the maximal excursion of the head (clinical.md §1.1 A; issue #14), not the median.
# The excursion is the 95th percentile, over all 1-s windows, of the level the angle stays beyond
# for the whole window (its rolling minimum on that side), after a zero-phase 1-Hz low-pass
# removes jitter and tremor (≥ 1 Hz, tremor.py's band). Own operationalisation of "sustained
# maximal excursion".
EXCURSION_HOLD_S = 1.0
EXCURSION_PERCENTILE = 95.0
EXCURSION_LOW_PASS_HZ = 1.0
# A window counts when at least this share of its frames has a measured angle. Own choice.
EXCURSION_MIN_COVERAGE = 0.8
# TWSTRS item F: time the head is held within 10° of neutral (clinical.md §1.1 F).
NEUTRAL_LIMIT_DEG = 10.0


@dataclass(frozen=True, eq=False)
class AngleSeries:
    """Per-frame times (s) and head angles (°, NaN where no face) in DESIGN.md signs."""

    t: FloatArray
    rotation_deg: FloatArray
    laterocollis_deg: FloatArray
    flexion_deg: FloatArray

    def axis(self, name: str) -> FloatArray:
        """Return one angle array by its DESIGN.md key."""
        if name not in AXES:
            raise KeyError(name)
        values: FloatArray = getattr(self, name)
        return values

    @property
    def valid(self) -> BoolArray:
        """Return the mask of frames with measured angles."""
        return ~np.isnan(self.rotation_deg)


def hampel_outliers(values: FloatArray, window: int) -> BoolArray:
    """Return the mask of samples > 3 scaled MADs and > 5° from their rolling median.

    ``values`` must be free of NaN; ``window`` is in samples (made odd, at least 3).
    """
    size = max(3, window | 1)
    if len(values) < size:
        return np.zeros(len(values), dtype=bool)
    rolling_median = median_filter(values, size=size, mode="nearest")
    deviation = np.abs(values - rolling_median)
    rolling_mad = median_filter(deviation, size=size, mode="nearest")
    limit = HAMPEL_SIGMAS * MAD_TO_SIGMA * rolling_mad
    return deviation > np.maximum(limit, MIN_OUTLIER_JUMP_DEG)


def clean_series(series: AngleSeries) -> AngleSeries:
    """Return a copy with Hampel outliers of each angle set to NaN."""
    valid = series.valid
    cleaned: dict[str, FloatArray] = {}
    if valid.sum() >= 3:
        steps = np.diff(series.t[valid])
        step = float(np.median(steps)) if len(steps) and np.median(steps) > 0 else 1 / 30
        window = int(round(HAMPEL_WINDOW_S / step))
    else:
        window = 3
    for name in AXES:
        values = series.axis(name).copy()
        present = values[valid]
        outliers = hampel_outliers(present, window)
        present[outliers] = np.nan
        values[valid] = present
        cleaned[name] = values
    return AngleSeries(series.t, **cleaned)


def robust_centre(values: FloatArray) -> float | None:
    """Return the median of the non-NaN values, or None if there are none."""
    present = values[~np.isnan(values)]
    return float(np.median(present)) if len(present) else None


def dropped_frame_count(t: FloatArray) -> int:
    """Return how many frames are missing judging by presentation-time gaps."""
    if len(t) < 3:
        return 0
    steps = np.diff(t)
    typical = float(np.median(steps))
    if typical <= 0:
        return 0
    gaps = steps[steps > DROPPED_FRAME_STEP_RATIO * typical]
    return int(np.sum(np.round(gaps / typical) - 1))


def fraction_near_neutral(series: AngleSeries) -> float | None:
    """Return the share of measured time with every angle within 10° of neutral.

    Each frame counts for its own duration (variable frame rate); the last frame gets the median
    step. A photo counts as one frame.
    """
    valid = series.valid
    if not valid.any():
        return None
    if len(series.t) > 1:
        steps = np.diff(series.t)
        durations = np.append(steps, np.median(steps))
    else:
        durations = np.ones(1)
    near = valid.copy()
    for name in AXES:
        values = series.axis(name)
        near &= np.abs(np.where(valid, values, 0.0)) <= NEUTRAL_LIMIT_DEG
    total = float(durations[valid].sum())
    return float(durations[near].sum()) / total if total > 0 else None


def representative_frame(series: AngleSeries, centre: tuple[float, float, float]) -> int:
    """Return the index of the frame whose angles are closest to ``centre`` (Euclidean, °).

    ``centre`` is (rotation, laterocollis, flexion). Frames without a face are never chosen;
    the series must hold at least one frame with a face. Ties go to the earliest frame.
    """
    angles = np.column_stack([series.axis(name) for name in AXES])
    distance = np.linalg.norm(angles - np.asarray(centre, dtype=np.float64), axis=1)
    distance[~series.valid | np.isnan(distance)] = np.inf
    if not np.isfinite(distance).any():
        raise ValueError("the series has no frame with a face")
    return int(np.argmin(distance))


def reentry_mask(t: FloatArray, valid: BoolArray) -> BoolArray:
    """Return the frames to drop: within ``REENTRY_DROP_S`` after the face re-entered.

    A re-entry follows a gap of at least ``REENTRY_GAP_S`` without a face; the start of the
    video is not one.
    """
    drop = np.zeros(len(t), dtype=bool)
    last_seen: float | None = None
    reentered_at: float | None = None
    for i in range(len(t)):
        if not valid[i]:
            continue
        if last_seen is not None and t[i] - last_seen > REENTRY_GAP_S + 1e-6:
            reentered_at = float(t[i])
        if reentered_at is not None and t[i] - reentered_at < REENTRY_DROP_S - 1e-6:
            drop[i] = True
        last_seen = float(t[i])
    return drop


def sustained_excursion(t: FloatArray, values: FloatArray) -> float | None:
    """Return the signed sustained maximal excursion of one angle, or None if unmeasurable.

    For each side, the rolling minimum of the angle's magnitude on that side over
    ``EXCURSION_HOLD_S`` windows is the level held for the whole window; the excursion is its
    ``EXCURSION_PERCENTILE`` over the windows. The side with the larger excursion is returned,
    signed. A single frame (a photo) is its own excursion.
    """
    present = ~np.isnan(values)
    if present.sum() == 0:
        return None
    if len(values) == 1:
        return float(values[0])
    steps = np.diff(t)
    step = float(np.median(steps)) if len(steps) and np.median(steps) > 0 else 1 / 30
    window = max(1, int(round(EXCURSION_HOLD_S / step)))
    if present.sum() < window:
        return robust_centre(values)  # shorter than the hold: the central value is all there is
    from numpy.lib.stride_tricks import sliding_window_view
    from scipy.signal import butter, sosfiltfilt

    filled = np.interp(t, t[present], values[present])
    smoothed = filled
    if 1 / step > 4 * EXCURSION_LOW_PASS_HZ and len(filled) > 30:
        sos = butter(4, EXCURSION_LOW_PASS_HZ, btype="lowpass", fs=1 / step, output="sos")
        smoothed = sosfiltfilt(sos, filled)

    coverage = sliding_window_view(present.astype(np.float64), window).mean(axis=1)
    usable = coverage >= EXCURSION_MIN_COVERAGE
    if not usable.any():
        return robust_centre(values)
    best = 0.0
    for side in (1.0, -1.0):
        on_side = np.where(present, np.maximum(side * smoothed, 0.0), np.inf)
        held = sliding_window_view(on_side, window).min(axis=1)[usable]
        held = held[np.isfinite(held)]
        if len(held) == 0:
            continue
        level = float(np.percentile(held, EXCURSION_PERCENTILE))
        if level > abs(best):
            best = side * level
    return best
