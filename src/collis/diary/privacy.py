"""Privacy hooks of the diary: entries and home programme in the export; notes erased."""

from __future__ import annotations

from typing import Any

from collis.diary.models import AdherenceCheck, DiaryEntry, HomeProgramme, ProgrammeItem
from collis.patients.models import Patient


def export_diary(patient: Patient) -> dict[str, Any]:
    plan = HomeProgramme.objects.filter(patient=patient).first()
    return {
        "entries": [
            {
                "date": e.entry_date,
                "period": e.period,
                "pain": e.pain,
                "severity": e.severity,
                "tremor": e.tremor,
                "used_sensory_trick": e.used_sensory_trick,
                "note": e.note,
            }
            for e in DiaryEntry.objects.filter(patient=patient).order_by("entry_date", "pk")
        ],
        "home_programme": None
        if plan is None
        else {
            "starts_on": plan.starts_on,
            "notes": plan.notes,
            "exercises": [
                {
                    "exercise": item.exercise.name,
                    "frequency": item.frequency,
                    "note": item.personal_note,
                    "done_on": [
                        c.done_on
                        for c in AdherenceCheck.objects.filter(item=item).order_by("done_on")
                    ],
                }
                for item in ProgrammeItem.objects.filter(programme=plan).select_related("exercise")
            ],
        },
    }


def anonymise_notes(patient: Patient) -> dict[str, int]:
    # Soft-deleted entries too: their notes identify the patient as much as any other.
    count = DiaryEntry.all_objects.filter(patient=patient).exclude(note="").update(note="")
    count += HomeProgramme.objects.filter(patient=patient).exclude(notes="").update(notes="")
    count += (
        ProgrammeItem.objects.filter(programme__patient=patient)
        .exclude(personal_note="")
        .update(personal_note="")
    )
    return {"diary notes": count}
