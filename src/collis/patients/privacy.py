"""Privacy hooks: the diagnosis and work-up in the patient's data export; its free text erased
on anonymisation (the coded work-up stays, for statistics)."""

from __future__ import annotations

from typing import Any

from collis.patients.models import Diagnosis, Visit


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


def export_visits(patient) -> list[dict[str, Any]]:  # noqa: ANN001 (patients.Patient)
    """The patient's visits: when, what kind, with whom, and the clinician's notes."""
    return [
        {
            "occurred_at": v.occurred_at,
            "kind": v.kind,
            "clinician": v.clinician.display_name,
            "notes": v.notes,
        }
        for v in Visit.objects.filter(patient=patient).select_related("clinician")
    ]


def anonymise_visit_notes(patient) -> dict[str, int]:  # noqa: ANN001
    """Clear visit notes: free text that may name the patient or their family."""
    return {"visit notes": Visit.objects.filter(patient=patient).exclude(notes="").update(notes="")}


def anonymise_diagnosis(patient) -> dict[str, int]:  # noqa: ANN001
    return {
        "diagnosis notes": Diagnosis.objects.filter(patient=patient).update(
            relevant_history="",
            dopamine_blocker_detail="",
            family_history_detail="",
            spread_detail="",
        )
    }
