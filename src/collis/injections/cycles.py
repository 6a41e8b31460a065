"""Response across injection cycles (pure: no Django imports).

One cycle runs from a session to the next one. For each: TWSTRS at baseline (injection day, the
trough) and at the 4–6-week peak (clinical.md §4 [V]), the patient-reported weeks, and the
diary's wearing-off assessment against the next due date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from collis.diary.wearing_off import WearingOff, assess_wearing_off

__all__ = [
    "BASELINE_WINDOW_DAYS",
    "CycleSession",
    "CycleSummary",
    "PEAK_WINDOW_DAYS",
    "ScorePoint",
    "summarise_cycles",
]

BASELINE_WINDOW_DAYS = 14  # a baseline score up to 2 weeks before the injection still counts
PEAK_WINDOW_DAYS = (28, 42)  # clinical.md §4 [V]: clinics reassess at 4–6 weeks


@dataclass(frozen=True)
class CycleSession:
    session_id: int
    injected_on: date
    product: str
    total_units: int
    unit_label: str
    min_interval_days: int
    reported_onset_week: int | None = None
    reported_peak_week: int | None = None
    reported_wearing_off_week: int | None = None


@dataclass(frozen=True)
class ScorePoint:
    on: date
    total: int
    timepoint: str  # "baseline", "peak" or "other"


@dataclass(frozen=True)
class CycleSummary:
    session: CycleSession
    ends_on: date | None  # the next session, None for the current cycle
    next_due: date
    baseline: ScorePoint | None
    peak: ScorePoint | None
    wearing_off: WearingOff | None

    @property
    def improvement_percent(self) -> int | None:
        if self.baseline is None or self.peak is None or self.baseline.total == 0:
            return None
        return round(100 * (self.baseline.total - self.peak.total) / self.baseline.total)

    @property
    def wears_off_early(self) -> bool:
        return self.wearing_off is not None and self.wearing_off.is_early


def _pick(candidates: list[ScorePoint], preferred: str, target: date) -> ScorePoint | None:
    if not candidates:
        return None
    marked = [c for c in candidates if c.timepoint == preferred] or candidates
    return min(marked, key=lambda c: (abs((c.on - target).days), c.on))


def summarise_cycles(
    sessions: Sequence[CycleSession],
    twstrs: Sequence[ScorePoint],
    diary_severity: Sequence[tuple[date, float]],
) -> list[CycleSummary]:
    """Return one summary per session, oldest first."""
    ordered = sorted(sessions, key=lambda s: s.injected_on)
    summaries = []
    for index, session in enumerate(ordered):
        start = session.injected_on
        ends_on = ordered[index + 1].injected_on if index + 1 < len(ordered) else None
        next_due = start + timedelta(days=session.min_interval_days)
        baseline = _pick(
            [
                s
                for s in twstrs
                if start - timedelta(days=BASELINE_WINDOW_DAYS) <= s.on <= start
                and s.timepoint != "peak"
            ],
            "baseline",
            start,
        )
        peak_low, peak_high = (start + timedelta(days=d) for d in PEAK_WINDOW_DAYS)
        peak = _pick(
            [
                s
                for s in twstrs
                if s.on > start
                and (ends_on is None or s.on < ends_on)
                and (s.timepoint == "peak" or peak_low <= s.on <= peak_high)
            ],
            "peak",
            start + timedelta(days=35),
        )
        limit = ends_on or next_due
        diary = [(d, v) for d, v in diary_severity if d < limit]
        summaries.append(
            CycleSummary(
                session,
                ends_on,
                next_due,
                baseline,
                peak,
                assess_wearing_off(start, next_due, diary),
            )
        )
    return summaries
