"""Privacy hooks of injections: sessions, doses and side effects in the export; notes erased."""

from __future__ import annotations

from typing import Any

from collis.injections.models import AdverseEvent, CycleReport, Injection, InjectionSession
from collis.patients.models import Patient


def export_injections(patient: Patient) -> list[dict[str, Any]]:
    sessions = InjectionSession.objects.filter(patient=patient).select_related("product")
    doses: dict[int, list[dict[str, Any]]] = {}
    for dose in Injection.objects.filter(session__patient=patient).order_by("pk"):
        doses.setdefault(dose.session_id, []).append(
            {"muscle": dose.muscle, "side": dose.side, "units": dose.units, "sites": dose.sites}
        )
    effects: dict[int, list[dict[str, Any]]] = {}
    for event in AdverseEvent.objects.filter(session__patient=patient).order_by("pk"):
        effects.setdefault(event.session_id, []).append(
            {
                "kind": event.kind,
                "severity": event.severity,
                "reported_on": event.reported_on,
                "note": event.note,
            }
        )
    return [
        {
            "injected_on": s.injected_on,
            "product": s.product.brand,
            "total_units": s.total_units,
            "injections": doses.get(s.pk, []),
            "side_effects": effects.get(s.pk, []),
            "notes": s.notes,
        }
        for s in sessions.order_by("injected_on", "pk")
    ]


def anonymise_notes(patient: Patient) -> dict[str, int]:
    sessions = InjectionSession.objects.filter(patient=patient)
    count = sessions.exclude(notes="", acknowledgement_reason="").update(
        notes="", acknowledgement_reason=""
    )
    count += AdverseEvent.objects.filter(session__patient=patient).exclude(note="").update(note="")
    count += CycleReport.objects.filter(session__patient=patient).exclude(note="").update(note="")
    return {"injection notes": count}
