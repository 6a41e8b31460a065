"""Privacy hooks: the diagnosis and work-up in the patient's data export; its free text erased
on anonymisation (the coded work-up stays, for statistics)."""

from __future__ import annotations

from typing import Any

from collis.patients.models import Diagnosis


def export_diagnosis(patient) -> dict[str, Any] | None:  # noqa: ANN001 (patients.Patient)
    diagnosis = Diagnosis.objects.filter(patient=patient).first()
    if diagnosis is None:
        return None
    fields = (
        "condition",
        "colcap_pattern",
        "primary_form",
        "onset_date",
        "onset_age",
        "has_tremor",
        "sensory_trick",
        "sensory_tricks",
        "cause",
        "dopamine_blocker_exposure",
        "dopamine_blocker_detail",
        "family_history",
        "family_history_detail",
        "spread",
        "spread_detail",
        "referral_kind",
        "referred_on",
        "referral_outcome",
        "referral_outcome_on",
        "allergies",
        "relevant_history",
    )
    return {name: getattr(diagnosis, name) for name in fields}


def anonymise_diagnosis(patient) -> None:  # noqa: ANN001
    Diagnosis.objects.filter(patient=patient).update(
        relevant_history="",
        dopamine_blocker_detail="",
        family_history_detail="",
        spread_detail="",
    )
