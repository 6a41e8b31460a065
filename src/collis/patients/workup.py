"""Dystonia work-up: cause, exposure to dopamine blockers, family history, onset, spread,
sensory tricks and referral for surgery (pure: no Django imports).

Choices only; the clinic's notes stay free text. Sensory-trick effect uses the TWSTRS-2
"alleviating manoeuvre" grades (clinical.md §1.2 [V]: complete / moderate / mild / minimal /
none, benefit lasting ≥ 5 s).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

CAUSES = {
    "idiopathic": "Idiopathic (no cause found)",
    "genetic": "Genetic (confirmed or suspected)",
    "tardive": "Tardive (after dopamine-blocking drugs)",
    "post_traumatic": "Post-traumatic",
    "other": "Other",
    "unknown": "Not yet known",
}
EXPOSURE = {
    "never": "Never",
    "past": "In the past",
    "current": "Currently",
    "unknown": "Not asked / unknown",
}
FAMILY_HISTORY = {
    "none": "None known",
    "dystonia": "Dystonia in the family",
    "tremor": "Tremor in the family",
    "other": "Other movement disorder",
    "unknown": "Unknown",
}
SPREAD = {
    "focal": "Focal (neck only)",
    "segmental": "Segmental (neck and a next region)",
    "multifocal": "Multifocal",
    "generalised": "Generalised",
    "unknown": "Not assessed",
}
SENSORY_TRICKS = {
    "touch_chin": "Touching the chin",
    "touch_cheek": "Touching the cheek",
    "touch_back_of_head": "Touching the back of the head",
    "hand_on_head": "Hand on top of the head",
    "lean_against_wall": "Leaning the head against a wall or headrest",
    "other": "Other",
}
# clinical.md §1.2 [V]: TWSTRS-2 sensory trick 0–4.
TRICK_EFFECT = {
    0: "Complete relief",
    1: "Moderate relief",
    2: "Mild relief",
    3: "Minimal relief",
    4: "No relief",
}
REFERRAL_KINDS = {
    "gpi_dbs": "Deep brain stimulation (GPi)",
    "selective_denervation": "Selective peripheral denervation",
    "other": "Other surgery",
}
REFERRAL_OUTCOMES = {
    "pending": "Awaiting assessment",
    "not_candidate": "Not a candidate",
    "declined": "Patient declined",
    "operated": "Operated",
}


@dataclass(frozen=True)
class SensoryTrick:
    trick: str
    effect: int
    note: str = ""


def check_workup(
    *,
    birth_date: date | None,
    onset_date: date | None,
    onset_age: int | None,
    cause: str,
    dopamine_blocker_exposure: str,
    tricks: Sequence[Mapping[str, object]],
    referred_on: date | None,
    referral_kind: str,
    referral_outcome: str,
    outcome_on: date | None,
    today: date,
) -> list[str]:
    """Return the problems of a work-up (empty when consistent)."""
    problems = []
    if onset_age is not None:
        if not 0 <= onset_age <= 120:
            problems.append("Age at onset must be 0–120.")
        elif birth_date is not None:
            age_now = (
                today.year
                - birth_date.year
                - ((today.month, today.day) < (birth_date.month, birth_date.day))
            )
            if onset_age > age_now:
                problems.append(
                    f"Age at onset ({onset_age}) is above the patient's age ({age_now})."
                )
    if onset_date is not None and birth_date is not None and onset_date < birth_date:
        problems.append("The onset date is before the birth date.")
    if cause == "tardive" and dopamine_blocker_exposure in {"never", "unknown"}:
        problems.append("A tardive cause needs a recorded exposure to dopamine-blocking drugs.")
    for row in tricks:
        if row.get("trick") not in SENSORY_TRICKS:
            problems.append(f"Unknown sensory trick {row.get('trick')!r}.")
        if row.get("effect") not in TRICK_EFFECT:
            problems.append("Sensory-trick effect must be 0–4 (TWSTRS-2 grades).")
    if referral_kind and referred_on is None:
        problems.append("Give the referral date.")
    if referral_outcome and not referral_kind:
        problems.append("An outcome needs a referral.")
    if outcome_on is not None and referred_on is not None and outcome_on < referred_on:
        problems.append("The outcome date is before the referral.")
    for day, name in ((referred_on, "referral"), (outcome_on, "outcome")):
        if day is not None and day > today:
            problems.append(f"The {name} date is in the future.")
    return problems
