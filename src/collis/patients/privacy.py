"""Privacy hooks of the patients app: visits and diagnosis in the export; notes erased."""

from __future__ import annotations

from typing import Any

from collis.patients.models import Diagnosis, Patient, Visit


def export_clinical_record(patient: Patient) -> dict[str, Any]:
    """The patient's diagnosis and visits (dates, kinds, clinicians)."""
    diagnosis = Diagnosis.objects.filter(patient=patient).first()
    return {
        "diagnosis": None
        if diagnosis is None
        else {
            "condition": diagnosis.condition,
            "pattern": diagnosis.colcap_pattern,
            "primary_form": diagnosis.primary_form,
            "onset_date": diagnosis.onset_date,
            "head_tremor": diagnosis.has_tremor,
            "sensory_trick": diagnosis.sensory_trick,
            "allergies": diagnosis.allergies,
        },
        "visits": [
            {
                "occurred_at": v.occurred_at,
                "kind": v.kind,
                "clinician": v.clinician.display_name,
                "notes": v.notes,
            }
            for v in Visit.objects.filter(patient=patient).select_related("clinician")
        ],
    }


def anonymise_notes(patient: Patient) -> dict[str, int]:
    """Clear free text that may name people (visit notes, history); clinical values stay."""
    visits = Visit.objects.filter(patient=patient).exclude(notes="").update(notes="")
    history = (
        Diagnosis.objects.filter(patient=patient)
        .exclude(relevant_history="")
        .update(relevant_history="")
    )
    return {"visit notes": visits, "history notes": history}
