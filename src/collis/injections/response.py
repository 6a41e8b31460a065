"""Response to toxin across cycles, and Goal Attainment Scaling (pure: no Django imports).

Decision support only. Thresholds below are not in clinical.md and are marked [U]: a clinic
confirms or changes them here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

# A cycle responds when TWSTRS improves by at least this share from baseline to peak [U]
# (a common trial responder cut-off; not in clinical.md), or when the patient rates it
# "much" or "very much improved" (PGI-C 1–2) [U].
RESPONSE_IMPROVEMENT_PERCENT = 25
RESPONSE_PGI_C_MAX = 2
# PGI-C 4 "no change" or worse counts against a response [U].
NON_RESPONSE_PGI_C_MIN = 4
# Finding the optimal dose takes 2–4 visits (clinical.md §4 [V]): two rated cycles at least
# before calling non-response [U].
MIN_RATED_CYCLES = 2


@dataclass(frozen=True)
class CycleResponse:
    session_id: int
    injected_on: date
    product: str
    improvement_percent: int | None
    pgi_c: int | None = None
    cgi_c: int | None = None

    @property
    def verdict(self) -> str | None:
        """Return "response", "no_response" or None when the cycle was not rated."""
        responded = (
            self.improvement_percent is not None
            and self.improvement_percent >= RESPONSE_IMPROVEMENT_PERCENT
        ) or (self.pgi_c is not None and self.pgi_c <= RESPONSE_PGI_C_MAX)
        if responded:
            return "response"
        rated = self.improvement_percent is not None or self.pgi_c is not None
        if not rated:
            return None
        if self.pgi_c is not None and self.pgi_c < NON_RESPONSE_PGI_C_MIN:
            return None  # minimally improved: neither
        return "no_response"


@dataclass(frozen=True)
class ResponseAssessment:
    kind: str  # "responding", "primary_non_response", "secondary_non_response", "unclear"
    label: str
    reasons: tuple[str, ...]


def assess_response(cycles: Sequence[CycleResponse]) -> ResponseAssessment:
    """Classify the course so far: primary non-response (never responded in the first rated
    cycles) or secondary non-response (responded before, not in the last rated cycles)."""
    ordered = sorted(cycles, key=lambda c: c.injected_on)
    rated = [c for c in ordered if c.verdict is not None]
    if len(rated) < MIN_RATED_CYCLES:
        return ResponseAssessment(
            "unclear",
            "Too few rated cycles",
            (f"{len(rated)} rated cycle(s); at least {MIN_RATED_CYCLES} are needed.",),
        )
    verdicts = [c.verdict for c in rated]
    last = rated[-MIN_RATED_CYCLES:]
    if "response" not in verdicts:
        return ResponseAssessment(
            "primary_non_response",
            "Possible primary non-response",
            tuple(_why(c) for c in rated)
            + ("Check dose, muscle selection and guidance before calling it non-response.",),
        )
    if all(c.verdict == "no_response" for c in last):
        first = next(c for c in rated if c.verdict == "response")
        return ResponseAssessment(
            "secondary_non_response",
            "Possible secondary non-response",
            (f"Responded after {first.injected_on.isoformat()} ({_why(first)})",)
            + tuple(_why(c) for c in last)
            + ("Consider antibody testing and the causes of secondary non-response.",),
        )
    return ResponseAssessment("responding", "Responding", tuple(_why(c) for c in last))


def _why(c: CycleResponse) -> str:
    parts = [f"{c.injected_on.isoformat()} {c.product}"]
    if c.improvement_percent is not None:
        parts.append(f"TWSTRS {c.improvement_percent:+d} % improvement")
    if c.pgi_c is not None:
        parts.append(f"PGI-C {c.pgi_c}")
    return ", ".join(parts)


# --- Goal Attainment Scaling -------------------------------------------------------------------

# Kiresuk & Sherman 1968 summary T-score with the customary inter-goal correlation 0.3 [S]
# (standard formula; not in clinical.md).
GAS_RHO = 0.3


@dataclass(frozen=True)
class Goal:
    weight: int
    attained: int  # −2 … +2


def gas_t_score(goals: Sequence[Goal]) -> float | None:
    """Return the GAS T-score (50 = goals met as expected), or None without rated goals."""
    rated = [g for g in goals if g.attained is not None]
    if not rated:
        return None
    for g in rated:
        if not -2 <= g.attained <= 2 or g.weight < 1:
            raise ValueError("GAS levels are −2 … +2 and weights at least 1")
    weighted = sum(g.weight * g.attained for g in rated)
    squares = sum(g.weight**2 for g in rated)
    total = sum(g.weight for g in rated)
    return round(50 + 10 * weighted / math.sqrt((1 - GAS_RHO) * squares + GAS_RHO * total**2), 1)
