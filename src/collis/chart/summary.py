"""The visit summary for the patient and referring physicians: one data shape, two renderings
(printable HTML and PDF)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from collis.injections import dosing
from collis.patients.models import Visit
from collis.providers.models import Clinic
from collis.recordings.record import visit_angles
from collis.supply.billing import ClaimLine
from collis.supply.inventory import code_table, session_claim


@dataclass(frozen=True)
class SummaryInjection:
    muscle: str
    side: str
    units: int
    sites: int
    guidance: str


@dataclass(frozen=True)
class SummarySession:
    product: str
    unit_label: str
    lot: str
    dilution: str
    total_units: int
    injections: tuple[SummaryInjection, ...]
    next_due: date
    warnings: tuple[str, ...]
    acknowledgement: str
    # Claim lines for the billing system (staff summaries only; none in the portal).
    claim_lines: tuple[ClaimLine, ...] = ()
    claim_problems: tuple[str, ...] = ()
    # Pre-injection screening, adverse events after the session, outcome measures and goals.
    screening: tuple[str, ...] = ()
    adverse_events: tuple[str, ...] = ()
    outcome: str = ""
    goals: tuple[str, ...] = ()


@dataclass(frozen=True)
class SummaryScore:
    scale: str
    version: str
    total: int
    subscores: dict
    timepoint: str


@dataclass(frozen=True)
class VisitSummary:
    clinic_name: str
    patient_name: str
    mrn: str
    birth_date: date | None
    visit_date: date
    visit_kind: str
    clinician: str
    diagnosis: str
    sessions: tuple[SummarySession, ...]
    scores: tuple[SummaryScore, ...]
    angles: tuple[tuple[str, str], ...] = field(default=())
    notes: str = ""


def build_visit_summary(
    visit: Visit, *, include_notes: bool, include_claims: bool = False
) -> VisitSummary:
    """Gather what was injected, scored and measured at ``visit``; access is checked by callers."""
    patient = visit.patient
    diagnosis = getattr(patient, "diagnosis", None)
    sessions = []
    table = code_table() if include_claims else None
    for s in visit.injection_sessions.select_related(
        "product", "lot", "screening", "outcome"
    ).prefetch_related("injections", "adverse_events", "gas_goals"):
        claim = session_claim(s, table) if table is not None else None
        sessions.append(
            SummarySession(
                product=str(s.product),
                unit_label=s.product.unit_label,
                lot=f"{s.lot.lot_number} (expires {s.lot.expires_on:%Y-%m-%d})",
                dilution=f"{s.dilution_units_per_ml} units/mL",
                total_units=s.total_units,
                injections=tuple(
                    SummaryInjection(
                        i.get_muscle_display(),
                        i.get_side_display(),
                        i.units,
                        i.sites,
                        i.get_guidance_display(),
                    )
                    for i in s.injections.all()
                ),
                next_due=dosing.next_due_date(s.injected_on, s.product.label()),
                warnings=tuple(w["message"] for w in s.warnings),
                acknowledgement=s.acknowledgement_reason,
                claim_lines=claim.lines if claim else (),
                claim_problems=claim.problems if claim else (),
                screening=_screening_lines(getattr(s, "screening", None)),
                adverse_events=tuple(
                    f"{e.get_kind_display()} ({e.get_severity_display().lower()}), reported "
                    f"{e.reported_on:%Y-%m-%d}" + (f": {e.note}" if e.note else "")
                    for e in s.adverse_events.all()
                ),
                outcome=_outcome_line(getattr(s, "outcome", None)),
                goals=tuple(
                    f"{g.description} (expected 0; attained "
                    + (f"{g.attained_level:+d})" if g.attained_level is not None else "not yet)")
                    for g in s.gas_goals.all()
                ),
            )
        )
    scores = tuple(
        SummaryScore(
            a.get_scale_display(),
            a.scale_version,
            a.total,
            a.subscores,
            a.get_timepoint_display(),
        )
        for a in visit.assessments.filter(status="complete").order_by("scale")
    )
    clinic = Clinic.current()
    return VisitSummary(
        clinic_name=clinic.name if clinic else "Collis",
        patient_name=patient.full_name,
        mrn=patient.mrn,
        birth_date=patient.birth_date,
        visit_date=timezone.localtime(visit.occurred_at).date(),
        visit_kind=visit.get_kind_display(),
        clinician=str(visit.clinician),
        diagnosis=(
            f"{diagnosis.condition}: {diagnosis.pattern_display}"
            if diagnosis and diagnosis.pattern_display
            else (diagnosis.condition if diagnosis else "Not recorded")
        ),
        sessions=tuple(sessions),
        scores=scores,
        angles=visit_angles(visit),
        notes=visit.notes if include_notes else "",
    )


def _screening_lines(screening) -> tuple[str, ...]:  # noqa: ANN001 (injections.Screening)
    if screening is None:
        return ()
    lines = ["First botulinum toxin (toxin-naive)." if screening.toxin_naive else ""]
    lines += [f"Screening: {label}." for label in screening.positives()]
    lines += [
        f"Toxin elsewhere: {t['product_code']} {t['units']} U on {t['given_on']}"
        + (f" ({t['indication']})" if t.get("indication") else "")
        for t in screening.toxins_elsewhere
    ]
    return tuple(line for line in lines if line) or ("Screening: nothing to report.",)


def _outcome_line(outcome) -> str:  # noqa: ANN001 (injections.CycleOutcome)
    if outcome is None:
        return ""
    parts = [
        f"{name} {value}"
        for name, value in (
            ("CGI-C", outcome.cgi_c),
            ("PGI-C", outcome.pgi_c),
            ("pain at peak (NRS)", outcome.pain_nrs_peak),
            ("CDIP-58 (paper form)", outcome.cdip58_score),
        )
        if value is not None
    ]
    return f"Outcome on {outcome.assessed_on:%Y-%m-%d}: " + ", ".join(parts) if parts else ""
