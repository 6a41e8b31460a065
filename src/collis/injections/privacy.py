"""Privacy hooks: toxin sessions and the records around them in the patient's data export;
identifying free text erased on anonymisation (clinical values stay, for statistics)."""

from __future__ import annotations

from typing import Any

from collis.injections.models import (
    AdverseEvent,
    AntibodyTest,
    CycleOutcome,
    CycleReport,
    GasGoal,
    InjectionSession,
    Screening,
    SideEffectReport,
)


def export_injections(patient) -> dict[str, Any]:  # noqa: ANN001 (patients.Patient)
    """Return every toxin record of the patient as plain JSON types."""
    sessions = (
        InjectionSession.objects.filter(patient=patient)
        .select_related("product", "lot")
        .prefetch_related("injections", "adverse_events", "gas_goals")
        .order_by("injected_on", "pk")
    )
    outcomes = {o.session_id: o for o in CycleOutcome.objects.filter(session__patient=patient)}
    screenings = {s.session_id: s for s in Screening.objects.filter(session__patient=patient)}
    reports = {r.session_id: r for r in CycleReport.objects.filter(session__patient=patient)}
    return {
        "sessions": [_session(s, outcomes, screenings, reports) for s in sessions],
        "side_effect_reports": [
            {
                "reported_at": r.reported_at,
                "session_injected_on": (
                    r.session.injected_on if r.session and not r.session.is_deleted else None
                ),
                "symptoms": r.symptoms,
                "severe": r.severe,
                "started_on": r.started_on,
                "note": r.note,
                "urgency": r.urgency,
                "status": r.status,
                "review_note": r.review_note,
            }
            for r in SideEffectReport.objects.filter(patient=patient).select_related("session")
        ],
        "antibody_tests": [
            {
                "tested_on": t.tested_on,
                "toxin_type": t.toxin_type,
                "method": t.method,
                "result": t.result,
                "titre": t.titre,
                "note": t.note,
            }
            for t in AntibodyTest.objects.filter(patient=patient)
        ],
    }


def _session(s, outcomes, screenings, reports) -> dict[str, Any]:  # noqa: ANN001
    outcome, screening, report = outcomes.get(s.pk), screenings.get(s.pk), reports.get(s.pk)
    return {
        "injected_on": s.injected_on,
        "product": s.product.code,
        "brand": s.product.brand,
        "lot": s.lot.lot_number,
        "dilution_units_per_ml": s.dilution_units_per_ml,
        "total_units": s.total_units,
        "unit": s.product.unit_label,
        "switch_reason": s.switch_reason,
        "warnings_acknowledged": s.warnings,
        "acknowledgement_reason": s.acknowledgement_reason,
        "notes": s.notes,
        "injections": [
            {
                "muscle": i.muscle,
                "side": i.side,
                "units": i.units,
                "volume_ml": i.volume_ml,
                "sites": i.sites,
                "guidance": i.guidance,
            }
            for i in s.injections.all()
        ],
        "adverse_events": [
            {
                "kind": e.kind,
                "severity": e.severity,
                "onset_days": e.onset_days,
                "duration_days": e.duration_days,
                "reported_on": e.reported_on,
                "muscles": e.muscles,
                "note": e.note,
            }
            for e in s.adverse_events.all()
        ],
        "screening": (
            {
                "toxin_naive": screening.toxin_naive,
                "answers": screening.answers,
                "toxins_elsewhere": screening.toxins_elsewhere,
                "note": screening.note,
            }
            if screening
            else None
        ),
        "outcome": (
            {
                "assessed_on": outcome.assessed_on,
                "cgi_c": outcome.cgi_c,
                "pgi_c": outcome.pgi_c,
                "pain_nrs_peak": outcome.pain_nrs_peak,
                "cdip58_score": outcome.cdip58_score,
                "note": outcome.note,
            }
            if outcome
            else None
        ),
        "cycle_report": (
            {
                "onset_week": report.onset_week,
                "peak_week": report.peak_week,
                "wearing_off_week": report.wearing_off_week,
                "note": report.note,
            }
            if report
            else None
        ),
        "goals": [
            {
                "description": g.description,
                "weight": g.weight,
                "baseline_level": g.baseline_level,
                "attained_level": g.attained_level,
            }
            for g in s.gas_goals.all()
        ],
    }


def anonymise_injections(patient) -> dict[str, int]:  # noqa: ANN001
    """Erase free text that may identify the patient; doses, dates and ratings stay.

    Soft-deleted records are erased too (``all_objects``): they are copies of the identity.

    Returns how many rows had their free text erased (listed to the administrator).
    """
    count = InjectionSession.all_objects.filter(patient=patient).update(
        notes="", acknowledgement_reason=""
    )
    count += AdverseEvent.all_objects.filter(session__patient=patient).update(note="")
    count += Screening.all_objects.filter(session__patient=patient).update(note="")
    count += CycleOutcome.all_objects.filter(session__patient=patient).update(note="")
    count += CycleReport.all_objects.filter(session__patient=patient).update(note="")
    count += GasGoal.all_objects.filter(session__patient=patient).update(
        description="(goal text removed)"
    )
    count += SideEffectReport.objects.filter(patient=patient).update(note="", review_note="")
    count += AntibodyTest.objects.filter(patient=patient).update(note="")
    return {"injection notes": count}
