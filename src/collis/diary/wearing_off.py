"""Detect a toxin effect wearing off well before the next due injection (pure: no Django).

Definitions, from clinical.md §4:
- baseline: diary severity in the 14 days before the injection (the trough) [clinic choice];
- peak: the best (lowest) 7-day mean severity in weeks 2–8 after injection (peak at week 4–6 [V]);
- worn off: the 7-day mean has lost ≥ 80 % of the peak improvement (ASPEN-1's definition of
  duration [V]);
- "well before": at least ``EARLY_MARGIN_DAYS`` before the next due date. Patients report symptoms
  returning before the ≥12-week interval (clinical.md §4 [V]); 14 days is a clinic setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "BASELINE_DAYS",
    "EARLY_MARGIN_DAYS",
    "MIN_IMPROVEMENT",
    "PEAK_WINDOW",
    "SMOOTHING_DAYS",
    "WORN_OFF_FRACTION",
    "WearingOff",
    "assess_wearing_off",
]

BASELINE_DAYS = 14
PEAK_WINDOW = (14, 56)  # days after injection searched for the best 7-day mean
SMOOTHING_DAYS = 7
WORN_OFF_FRACTION = 0.8  # ASPEN-1: loss of ≥ 80 % of the peak improvement (clinical.md §4 [V])
MIN_IMPROVEMENT = 1.0  # points of 0–10 severity; less is "no clear response", never flagged
EARLY_MARGIN_DAYS = 14


@dataclass(frozen=True)
class WearingOff:
    injected_on: date
    next_due: date
    baseline: float
    peak: float
    peak_on: date
    worn_off_on: date | None

    @property
    def improvement(self) -> float:
        return self.baseline - self.peak

    @property
    def weeks_to_wear_off(self) -> int | None:
        if self.worn_off_on is None:
            return None
        return (self.worn_off_on - self.injected_on).days // 7

    @property
    def days_before_due(self) -> int | None:
        if self.worn_off_on is None:
            return None
        return (self.next_due - self.worn_off_on).days

    @property
    def is_early(self) -> bool:
        days = self.days_before_due
        return days is not None and days >= EARLY_MARGIN_DAYS


def _smoothed(entries: Sequence[tuple[date, float]]) -> dict[date, float]:
    """Return, for each entry date, the mean of the entries in the 7 days ending that date."""
    means: dict[date, float] = {}
    start, total = 0, 0.0
    for end, (day, value) in enumerate(entries):
        total += value
        while entries[start][0] < day - timedelta(days=SMOOTHING_DAYS - 1):
            total -= entries[start][1]
            start += 1
        # Several entries on one day: the window ends with the day's last entry.
        means[day] = total / (end - start + 1)
    return means


def assess_wearing_off(
    injected_on: date, next_due: date, severities: Sequence[tuple[date, float]]
) -> WearingOff | None:
    """Return the cycle's wearing-off assessment, or None without enough diary data.

    ``severities`` are (date, 0–10 severity) diary values in any order. Entries on or after
    ``next_due`` belong to the next cycle and are ignored.
    """
    entries = sorted((d, float(v)) for d, v in severities if d < next_due)
    before = [
        v for d, v in entries if injected_on - timedelta(days=BASELINE_DAYS) <= d <= injected_on
    ]
    if not before:
        return None
    baseline = sum(before) / len(before)
    peak_days = [
        d
        for d, _ in entries
        if injected_on + timedelta(days=PEAK_WINDOW[0])
        <= d
        <= injected_on + timedelta(days=PEAK_WINDOW[1])
    ]
    if not peak_days:
        return None
    means = _smoothed(entries)
    peak_on = min(peak_days, key=lambda d: (means[d], d))
    peak = means[peak_on]
    if baseline - peak < MIN_IMPROVEMENT:
        return WearingOff(injected_on, next_due, baseline, peak, peak_on, None)
    threshold = peak + WORN_OFF_FRACTION * (baseline - peak)
    worn_off_on = next((d for d in means if d > peak_on and means[d] >= threshold), None)
    return WearingOff(injected_on, next_due, baseline, peak, peak_on, worn_off_on)
