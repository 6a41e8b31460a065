"""The visit summary for the patient and referring physicians: one data shape, two renderings
(printable HTML and PDF). Built in the active language: the portal's summary is in the patient's
language (issue #17); what a clinician typed (notes, goals, reasons) stays as typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from collis.injections import dosing
from collis.patients.colcap import FORM_LABELS, ColCapForm
from collis.patients.models import Visit
from collis.providers.models import Clinic
from collis.recordings.record import visit_angles
from collis.supply.billing import ClaimLine
from collis.supply.inventory import code_table, session_claim

# The scales' subscore keys (twstrs.py, tsui.py), as the summary names them.
SUBSCORE_NAMES = {
    "severity": gettext_lazy("severity"),
    "disability": gettext_lazy("disability"),
    "pain": gettext_lazy("pain"),
    "posture": gettext_lazy("posture"),
    "shoulder": gettext_lazy("shoulder"),
    "tremor": gettext_lazy("tremor"),
}


CONDITION_NAMES = {"Cervical dystonia": gettext_lazy("Cervical dystonia")}
# A label warning's kind, for readers of another language: the stored message (with its figures)
# is English and is what the clinician acknowledged; English readers see it whole.
WARNING_KINDS = {
    "session_limit": gettext_lazy("dose per session above the label's limit"),
    "cumulative_limit": gettext_lazy("total dose over the label's period above its limit"),
    "above_recommended": gettext_lazy("dose above the label's recommended dose"),
    "scm_dose": gettext_lazy("dose into the sternocleidomastoid (SCM)"),
    "bilateral_scm": gettext_lazy(
        "both sternocleidomastoids injected (a higher risk of swallowing problems)"
    ),
    "interval": gettext_lazy("a short interval between toxin sessions"),
    "muscle_dose": gettext_lazy("dose into one muscle above the orientation range"),
    "guidance": gettext_lazy("a muscle to inject under ultrasound or EMG guidance"),
    "repeat_after_event": gettext_lazy("a muscle injected again after a side effect"),
    "screening": gettext_lazy("an answer to the questions before the injection"),
    "toxin_naive_start": gettext_lazy("a first dose above the label's starting dose"),
}


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
                unit_label=_("%(brand)s units") % {"brand": s.product.brand},
                lot=_("%(lot)s (expires %(day)s)")
                % {"lot": s.lot.lot_number, "day": _day(s.lot.expires_on)},
                dilution=_("%(units)s units/mL") % {"units": s.dilution_units_per_ml},
                total_units=s.total_units,
                injections=tuple(
                    SummaryInjection(
                        _(i.get_muscle_display()),
                        str(i.get_side_display()),
                        i.units,
                        i.sites,
                        _(i.get_guidance_display()),
                    )
                    for i in s.injections.all()
                ),
                next_due=dosing.next_due_date(s.injected_on, s.product.label()),
                warnings=tuple(_warning_text(w) for w in s.warnings),
                acknowledgement=s.acknowledgement_reason,
                claim_lines=claim.lines if claim else (),
                claim_problems=claim.problems if claim else (),
                screening=_screening_lines(getattr(s, "screening", None)),
                adverse_events=tuple(
                    _("%(kind)s (%(severity)s), reported %(day)s")
                    % {
                        "kind": _(e.get_kind_display()),
                        "severity": str(e.get_severity_display()).lower(),
                        "day": _day(e.reported_on),
                    }
                    + (f": {e.note}" if e.note else "")
                    for e in s.adverse_events.all()
                ),
                outcome=_outcome_line(getattr(s, "outcome", None)),
                goals=tuple(
                    (
                        _("%(goal)s (expected 0; attained %(level)+d)")
                        if g.attained_level is not None
                        else _("%(goal)s (expected 0; not attained yet)")
                    )
                    % {"goal": g.description, "level": g.attained_level or 0}
                    for g in s.gas_goals.all()
                ),
            )
        )
    scores = tuple(
        SummaryScore(
            a.get_scale_display(),
            a.scale_version,
            a.total,
            {str(SUBSCORE_NAMES.get(k, k)): v for k, v in a.subscores.items()},
            str(a.get_timepoint_display()),
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
        visit_kind=str(visit.get_kind_display()),
        clinician=str(visit.clinician),
        diagnosis=_diagnosis(diagnosis),
        sessions=tuple(sessions),
        scores=scores,
        angles=visit_angles(visit, translate=_),
        notes=visit.notes if include_notes else "",
    )


def _screening_lines(screening) -> tuple[str, ...]:  # noqa: ANN001 (injections.Screening)
    if screening is None:
        return ()
    lines = [_("First botulinum toxin (toxin-naive).") if screening.toxin_naive else ""]
    lines += [_("Screening: %(answer)s.") % {"answer": _(label)} for label in screening.positives()]
    lines += [
        _("Toxin elsewhere: %(product)s %(units)s U on %(day)s")
        % {"product": t["product_code"], "units": t["units"], "day": t["given_on"]}
        + (f" ({t['indication']})" if t.get("indication") else "")
        for t in screening.toxins_elsewhere
    ]
    return tuple(line for line in lines if line) or (_("Screening: nothing to report."),)


def _outcome_line(outcome) -> str:  # noqa: ANN001 (injections.CycleOutcome)
    if outcome is None:
        return ""
    parts = [
        f"{name} {value}"
        for name, value in (
            ("CGI-C", outcome.cgi_c),
            ("PGI-C", outcome.pgi_c),
            (_("pain at peak (NRS)"), outcome.pain_nrs_peak),
            (_("CDIP-58 (paper form)"), outcome.cdip58_score),
        )
        if value is not None
    ]
    if not parts:
        return ""
    return _("Outcome on %(day)s: %(parts)s") % {
        "day": _day(outcome.assessed_on),
        "parts": ", ".join(parts),
    }


def _warning_text(warning: dict) -> str:
    """The acknowledged label warning: whole in English, its kind in another language."""
    kind = WARNING_KINDS.get(warning.get("code", ""))
    if kind is None or (get_language() or "en").split("-")[0] == "en":
        return warning["message"]
    return str(kind)


def _day(day: date) -> str:
    """A date as the active language writes it: 2026-12-09 in English, 9 de diciembre de 2026."""
    return formats.date_format(day, _("Y-m-d"))


def _diagnosis(diagnosis) -> str:  # noqa: ANN001 (patients.Diagnosis)
    if diagnosis is None:
        return _("Not recorded")
    # The default condition has a translation; a condition the clinician typed stays as typed.
    condition = str(CONDITION_NAMES.get(diagnosis.condition, diagnosis.condition))
    parts = []
    for c in diagnosis.colcap_pattern:
        label = FORM_LABELS[ColCapForm(c["form"])].split(" (")[0]
        side = {"left": _("to the left"), "right": _("to the right")}.get(c.get("side") or "")
        parts.append(f"{label} {side}" if side else label)
    return f"{condition}: {', '.join(parts)}" if parts else condition
