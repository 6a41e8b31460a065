"""Original TWSTRS (Consky & Lang 1990/1994), 0–85: items, validation and scoring.

Severity 0–35 + disability 0–30 + pain 0–20 (clinical.md §1.1 [V]; BMJ Clinical Evidence and MDS
use 35/30/20 = 85, so that is the version stored with every score). Details marked [U]/[S] in
clinical.md come from ``reference.py``. Pure: no Django imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from collis.scales import reference
from collis.scales.grading import ItemSpec, check_answers

__all__ = [
    "DISABILITY",
    "ITEMS",
    "ITEMS_BY_KEY",
    "PAIN",
    "POSTURE_ITEM_KEYS",
    "SEVERITY",
    "SEVERITY_KEYS",
    "SUBSCALE_MAXIMA",
    "TOTAL_MAXIMUM",
    "TWSTRS_VERSION",
    "TWSTRS_VERSION_LABEL",
    "TwstrsScore",
    "check_twstrs_draft",
    "score_twstrs",
]

TWSTRS_VERSION = "TWSTRS-original-1990/85"
TWSTRS_VERSION_LABEL = "Original TWSTRS (Consky & Lang), severity 35 + disability 30 + pain 20"

SEVERITY, DISABILITY, PAIN = "severity", "disability", "pain"
SUBSCALE_MAXIMA = {SEVERITY: 35, DISABILITY: 30, PAIN: 20}  # clinical.md §1.1 [V]
TOTAL_MAXIMUM = 85

_PRESENCE = ("absent", "present")
_DISABILITY_GRADES = ("0 no difficulty", "1", "2", "3", "4", "5 unable / most severe")

# Grades quoted from clinical.md §1.1 [V] unless the entry says otherwise.
ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(
        "rotation",
        "Rotation (maximal excursion)",
        SEVERITY,
        0,
        4,
        ("none (0°)", "< ¼ range (1–22°)", "¼–½ (23–45°)", "½–¾ (46–67°)", "> ¾ (68–90°)"),
    ),
    ItemSpec(
        "laterocollis",
        "Laterocollis (shoulder elevation excluded)",
        SEVERITY,
        0,
        3,
        ("none", "1–15°", "16–35°", "> 35°"),
    ),
    ItemSpec(
        "anterocollis_retrocollis",
        "Antero- or retrocollis",
        SEVERITY,
        0,
        3,
        ("none", "mild", "about half the possible range", "chin near chest / about full range"),
    ),
    ItemSpec("lateral_shift", "Lateral shift", SEVERITY, 0, 1, _PRESENCE),
    ItemSpec("sagittal_shift", "Sagittal shift", SEVERITY, 0, 1, _PRESENCE),
    ItemSpec(
        "duration",
        "Duration factor (weighted × 2)",
        SEVERITY,
        0,
        5,
        (
            "none",
            "occasional (< 25 % of the time), mostly submaximal",
            "occasional and often maximal, or intermittent (25–50 %) and submaximal",
            "intermittent and often maximal, or frequent (50–75 %) and submaximal",
            "frequent and often maximal, or constant (> 75 %) and submaximal",
            "constant and often maximal",
        ),
        weight=2,
    ),
    ItemSpec(
        "sensory_trick",
        "Effect of sensory tricks",
        SEVERITY,
        0,
        2,
        ("complete relief", "partial or limited relief", "little or no relief"),
    ),
    ItemSpec(
        "shoulder_elevation",
        "Shoulder elevation / anterior displacement",
        SEVERITY,
        0,
        3,
        (
            "absent",
            "< ⅓ range, intermittent or constant",
            "⅓–⅔ and constant, or > ⅔ and intermittent",
            "severe and constant",
        ),
    ),
    ItemSpec(
        "range_of_motion",
        "Range of motion without sensory tricks",
        SEVERITY,
        0,
        4,
        reference.TWSTRS_ROM_GRADES,
    ),
    ItemSpec(
        "time_at_midline",
        "Time within 10° of neutral, without tricks (up to 60 s)",
        SEVERITY,
        0,
        4,
        reference.TWSTRS_TIME_GRADES,
    ),
    ItemSpec("work", "Work (occupation or housework)", DISABILITY, 0, 5, _DISABILITY_GRADES),
    ItemSpec("daily_living", "Activities of daily living", DISABILITY, 0, 5, _DISABILITY_GRADES),
    ItemSpec(
        "driving",
        "Driving (0 also if the patient never drove)",
        DISABILITY,
        0,
        5,
        _DISABILITY_GRADES,
    ),
    ItemSpec("reading", "Reading", DISABILITY, 0, 5, _DISABILITY_GRADES),
    ItemSpec("television", "Watching television", DISABILITY, 0, 5, _DISABILITY_GRADES),
    ItemSpec(
        "outside_activities", "Activities outside the home", DISABILITY, 0, 5, _DISABILITY_GRADES
    ),
    ItemSpec(
        "pain_severity",
        "Pain severity (best, worst and usual, past week)",
        PAIN,
        0,
        10,
        tuple(str(n) for n in range(11)),
    ),
    ItemSpec(
        "pain_duration",
        "Pain duration",
        PAIN,
        0,
        5,
        ("0 none", "1", "2", "3", "4", "5 constant"),
    ),
    ItemSpec(
        "pain_disability",
        "Disability due to pain",
        PAIN,
        0,
        5,
        ("0 none", "1", "2", "3", "4", "5 most severe"),
    ),
)
ITEMS_BY_KEY = {item.key: item for item in ITEMS}
SEVERITY_KEYS = tuple(item.key for item in ITEMS if item.group == SEVERITY)
# Items a posture analysis can estimate (DESIGN.md "twstrs_severity" of the posture contract).
POSTURE_ITEM_KEYS = (
    "rotation",
    "laterocollis",
    "anterocollis_retrocollis",
    "lateral_shift",
    "sagittal_shift",
    "shoulder_elevation",
)


@dataclass(frozen=True)
class TwstrsScore:
    """A complete TWSTRS: the graded items, the three subscales and the total."""

    answers: Mapping[str, int]
    severity: int
    disability: int
    pain: int
    version: str = TWSTRS_VERSION

    @property
    def total(self) -> int:
        return self.severity + self.disability + self.pain

    @property
    def subscores(self) -> dict[str, int]:
        return {SEVERITY: self.severity, DISABILITY: self.disability, PAIN: self.pain}


def check_twstrs_draft(answers: Mapping[str, object]) -> dict[str, int]:
    """Return the answered items of a draft; missing items are fine, bad grades raise."""
    return check_answers(ITEMS, answers, require_all=False)


def score_twstrs(answers: Mapping[str, object]) -> TwstrsScore:
    """Score a complete original TWSTRS.

    Raises ``InvalidAnswersError`` naming every missing, unknown or out-of-range item: an
    incomplete form is never given a total.
    """
    clean = check_answers(ITEMS, answers, require_all=True)
    sums = {SEVERITY: 0, DISABILITY: 0, PAIN: 0}
    for item in ITEMS:
        sums[item.group] += clean[item.key] * item.weight
    return TwstrsScore(
        answers=clean, severity=sums[SEVERITY], disability=sums[DISABILITY], pain=sums[PAIN]
    )
