"""The wearing-off curve and the objective early wearing-off flag. Pure: no Django.

Deviation at rest is the length of the resting (rotation, laterocollis, flexion) vector in
degrees: one number that falls when the toxin works whichever way the head is pulled
[U: our choice for issue #16; no published home-video threshold exists].
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

# Defaults of issue #16 [U: the proposal, clinic-configurable in settings]:
# deviation back to >= 80 % of the pre-injection baseline before week 10, on two consecutive
# check-ins.
DEFAULT_FRACTION = 0.8
DEFAULT_BEFORE_WEEK = 10.0
CONFIRMATIONS = 2
# A baseline check-in is one made in the 14 days up to and including the injection day.
BASELINE_WINDOW_DAYS = 14
# Below 5° at baseline there is no deviation to wear back to [U].
MIN_BASELINE_DEG = 5.0


@dataclass(frozen=True)
class CheckinPoint:
    on: date
    rotation_deg: float | None
    laterocollis_deg: float | None
    flexion_deg: float | None
    tremor_amplitude_deg: float | None = None
    checkin_id: int | None = None

    @property
    def deviation_deg(self) -> float | None:
        rotation, tilt, flexion = self.rotation_deg, self.laterocollis_deg, self.flexion_deg
        if rotation is None or tilt is None or flexion is None:
            return None
        return math.sqrt(sum(float(v) ** 2 for v in (rotation, tilt, flexion)))


@dataclass(frozen=True)
class Cycle:
    injected_on: date
    ends_on: date | None  # the next injection, or None for the current cycle
    baseline: CheckinPoint | None
    points: tuple[CheckinPoint, ...]
    flagged: bool = False
    flagged_week: float | None = None  # the week of the confirming check-in
    reasons: tuple[str, ...] = field(default=())

    def weeks(self, point: CheckinPoint) -> float:
        return (point.on - self.injected_on).days / 7


def build_cycles(
    injections: Sequence[date],
    checkins: Sequence[CheckinPoint],
    *,
    fraction: float = DEFAULT_FRACTION,
    before_week: float = DEFAULT_BEFORE_WEEK,
) -> list[Cycle]:
    """Split check-ins into injection cycles, each with its baseline and flag."""
    injected = sorted(set(injections))
    ordered = sorted(checkins, key=lambda p: (p.on, p.checkin_id or 0))
    cycles = []
    for index, start in enumerate(injected):
        end = injected[index + 1] if index + 1 < len(injected) else None
        points = tuple(p for p in ordered if p.on > start and (end is None or p.on < end))
        before = [
            p
            for p in ordered
            if 0 <= (start - p.on).days <= BASELINE_WINDOW_DAYS and p.deviation_deg is not None
        ]
        baseline = before[-1] if before else None
        cycle = Cycle(start, end, baseline, points)
        cycles.append(flag_cycle(cycle, fraction=fraction, before_week=before_week))
    return cycles


def flag_cycle(cycle: Cycle, *, fraction: float, before_week: float) -> Cycle:
    """Return the cycle with ``flagged`` set when it wears off objectively early."""
    base = cycle.baseline.deviation_deg if cycle.baseline else None
    if base is None or base < MIN_BASELINE_DEG:
        return cycle
    run = 0
    for point in cycle.points:
        week = cycle.weeks(point)
        deviation = point.deviation_deg
        if week >= before_week:
            break
        if deviation is None:  # an unmeasured check-in neither confirms nor breaks the run
            continue
        run = run + 1 if deviation >= fraction * base else 0
        if run >= CONFIRMATIONS:
            reason = (
                f"Resting deviation {deviation:.0f}° at week {week:.0f} is back to "
                f"{deviation / base:.0%} of the pre-injection {base:.0f}° "
                f"(threshold {fraction:.0%} before week {before_week:.0f}, "
                f"{CONFIRMATIONS} check-ins in a row)."
            )
            return Cycle(
                cycle.injected_on, cycle.ends_on, cycle.baseline, cycle.points,
                flagged=True, flagged_week=round(week, 1), reasons=(reason,),
            )  # fmt: skip
    return cycle
