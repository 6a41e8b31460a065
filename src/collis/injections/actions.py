"""Writes of toxin sessions, adverse events and cycle reports. Atomic and audited.

``record_injection_session`` is the one way a session is recorded: the web form, the API, the
admin and the demo seeder all call it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.injections import dosing, safety
from collis.injections.errors import (
    InvalidLabelError,
    UnacknowledgedWarningsError,
)
from collis.injections.models import (
    AdverseEvent,
    AntibodyTest,
    CycleOutcome,
    CycleReport,
    GasGoal,
    Injection,
    InjectionSession,
    Screening,
    SideEffectReport,
    ToxinLot,
    ToxinProduct,
)
from collis.patients.actions import record_visit
from collis.patients.models import Patient, Visit
from collis.providers.models import Clinician
from collis.scheduling.actions import record_injection_cycle

# Adverse events of this many most recent sessions are shown beside a new plan and checked.
EVENT_LOOKBACK_SESSIONS = 3


def history_for(patient: Patient, *, excluding: int | None = None) -> list[dosing.PastSession]:
    sessions = InjectionSession.objects.filter(patient=patient).select_related("product")
    if excluding is not None:
        sessions = sessions.exclude(pk=excluding)
    return [dosing.PastSession(s.product.code, s.injected_on, s.total_units) for s in sessions]


def recent_events(patient: Patient, before: date | None = None) -> list[dosing.PastEvent]:
    """Return the adverse events of the patient's last sessions (up to ``before``), newest first."""
    sessions = InjectionSession.objects.filter(patient=patient)
    if before is not None:
        sessions = sessions.filter(injected_on__lte=before)
    session_ids = list(sessions.values_list("pk", flat=True)[:EVENT_LOOKBACK_SESSIONS])
    events = (
        AdverseEvent.objects.filter(session_id__in=session_ids)
        .select_related("session__product")
        .prefetch_related("session__injections")
        .order_by("-session__injected_on", "-reported_on", "-pk")
    )
    return [
        dosing.PastEvent(
            kind=e.kind,
            kind_label=e.get_kind_display(),
            severity=e.severity,
            session_on=e.session.injected_on,
            product_code=e.session.product.code,
            doses=tuple(
                dosing.PastDose(i.muscle, dosing.Side(i.side), i.units)
                for i in e.session.injections.all()
            ),
            muscles=tuple(e.muscles or ()),
        )
        for e in events
    ]


def check_plan(
    patient: Patient,
    lot: ToxinLot,
    injected_on: date,
    injections: Sequence[dosing.PlannedInjection],
    *,
    units_product: str | None = None,
    dilution_units_per_ml: Decimal | None = None,
    screening: safety.ScreeningAnswers | None = None,
) -> tuple[dosing.DoseWarning, ...]:
    """Validate a plan and return its warnings (raises ``InvalidPlanError``).

    ``units_product`` is the product the doses were entered for; another product than the
    lot's raises ``ProductMismatchError``.
    """
    plan = dosing.SessionPlan(
        lot.product.label(),
        injected_on,
        tuple(injections),
        lot.expires_on,
        units_product=units_product,
        dilution_units_per_ml=(
            Decimal(str(dilution_units_per_ml)) if dilution_units_per_ml is not None else None
        ),
    )
    dosing.validate_plan(plan)
    return dosing.check_session(
        plan, history_for(patient), recent_events(patient, before=injected_on), screening
    )


@transaction.atomic
def record_injection_session(
    request: HttpRequest | None,
    *,
    actor: Any,
    patient: Patient,
    lot: ToxinLot,
    units_product: str,
    injected_on: date,
    dilution_units_per_ml,
    injections: Sequence[dosing.PlannedInjection],
    visit: Visit | None = None,
    clinician: Clinician | None = None,
    notes: str = "",
    acknowledged: Collection[str] = (),
    acknowledgement_reason: str = "",
    screening: safety.ScreeningAnswers | None = None,
    switch_reason: str = "",
) -> InjectionSession:
    """Record a toxin session with its per-muscle injections.

    ``units_product`` is the code of the product the doses were entered for, and must be the
    lot's product: every caller (form, API, admin, import) states it, so doses planned in one
    product's units can never be saved under another (``ProductMismatchError``).
    Warnings (dosing.check_session) must each be in ``acknowledged`` and come with a reason,
    else ``UnacknowledgedWarningsError`` is raised and nothing is written. Without a ``visit``,
    an injection visit with ``clinician`` is created for the day. ``screening`` (the
    pre-injection checklist) is stored with the session and feeds the checks; toxins given
    elsewhere count toward the window and interval. ``switch_reason`` says why the product
    differs from the last session's.
    Raises ``InvalidPlanError`` for plans that cannot be recorded at all.
    """
    # Lock the patient so two sessions recorded at once each see the other in their checks.
    Patient.objects.select_for_update().get(pk=patient.pk)
    warnings = check_plan(
        patient,
        lot,
        injected_on,
        injections,
        units_product=units_product,
        dilution_units_per_ml=dilution_units_per_ml,
        screening=screening,
    )
    if switch_reason and switch_reason not in safety.SWITCH_REASONS:
        raise ValueError(f"unknown switch reason {switch_reason!r}")
    reason = acknowledgement_reason.strip()
    unacknowledged = tuple(w for w in warnings if str(w.code) not in set(acknowledged))
    if warnings and (unacknowledged or not reason):
        raise UnacknowledgedWarningsError(warnings)
    if visit is None:
        if clinician is None:
            raise ValueError("record_injection_session needs a visit or a clinician")
        occurred_at = timezone.make_aware(datetime.combine(injected_on, time(9)))
        visit = record_visit(
            request,
            actor=actor,
            patient=patient,
            clinician=clinician,
            occurred_at=occurred_at,
            kind=Visit.Kind.INJECTION,
        )
    product = lot.product
    session = InjectionSession.objects.create(
        patient=patient,
        visit=visit,
        product=product,
        lot=lot,
        injected_on=injected_on,
        dilution_units_per_ml=dilution_units_per_ml,
        total_units=sum(i.units for i in injections),
        notes=notes,
        switch_reason=switch_reason,
        warnings=[w.as_dict() for w in warnings],
        acknowledgement_reason=reason if warnings else "",
        acknowledged_by=actor if warnings else None,
        created_by=actor,
    )
    Injection.objects.bulk_create(
        Injection(
            session=session,
            muscle=i.muscle,
            side=str(i.side),
            units=i.units,
            volume_ml=i.volume_ml,
            sites=i.sites,
            guidance=str(i.guidance),
        )
        for i in injections
    )
    if screening is not None:
        Screening.objects.create(
            session=session,
            toxin_naive=screening.toxin_naive,
            toxins_elsewhere=[vars(t) for t in screening.toxins_elsewhere],
            answers=dict(screening.answers),
            recorded_by=actor,
        )
    record_access(
        request,
        Action.CREATE,
        session,
        user=actor,
        detail={"total_units": session.total_units, "warnings": [str(w.code) for w in warnings]},
    )
    # The next cycle becomes due at the product's minimum interval (scheduling owns recall).
    record_injection_cycle(
        patient=patient,
        injected_on=injected_on,
        min_interval_days=product.min_interval_days,
        product_name=product.brand,
        actor=actor,
    )
    return session


@transaction.atomic
def record_adverse_event(
    request: HttpRequest | None,
    *,
    actor: Any,
    session: InjectionSession,
    kind: str,
    severity: str,
    reported_on: date,
    onset_days: int | None = None,
    duration_days: int | None = None,
    note: str = "",
    muscles: Sequence[str] = (),
) -> AdverseEvent:
    """Record an adverse event after ``session``; ``muscles`` link it to injected muscles.

    Raises ``ValueError`` for a kind or muscle outside the catalogue.
    """
    if kind not in set(AdverseEvent.Kind.values):
        raise ValueError(f"unknown adverse-event kind {kind!r}")
    unknown = [m for m in muscles if m not in dosing.MUSCLES]
    if unknown:
        raise ValueError(f"unknown muscles {unknown!r}")
    event = AdverseEvent.objects.create(
        session=session,
        kind=kind,
        severity=severity,
        reported_on=reported_on,
        onset_days=onset_days,
        duration_days=duration_days,
        note=note,
        muscles=list(muscles),
        recorded_by=actor,
    )
    record_access(
        request,
        Action.CREATE,
        event,
        user=actor,
        patient_id=session.patient_id,
        detail={"kind": kind},
    )
    return event


@transaction.atomic
def record_cycle_report(
    request: HttpRequest | None,
    *,
    actor: Any,
    session: InjectionSession,
    onset_week: int | None,
    peak_week: int | None,
    wearing_off_week: int | None,
    note: str = "",
) -> CycleReport:
    """Store what the patient reports about this cycle (weeks after the injection)."""
    report, created = CycleReport.objects.select_for_update().get_or_create(session=session)
    report.onset_week, report.peak_week, report.wearing_off_week = (
        onset_week,
        peak_week,
        wearing_off_week,
    )
    report.note = note
    report.save()
    record_access(
        request,
        Action.CREATE if created else Action.UPDATE,
        report,
        user=actor,
        patient_id=session.patient_id,
    )
    return report


LABEL_FIELDS = (
    "session_limit_units",
    "limit_window_days",
    "recommended_max_units",
    "scm_advisory_units",
    "min_interval_days",
    "vial_sizes",
    "is_active",
)


@transaction.atomic
def update_product_label(
    request: HttpRequest | None, *, actor: Any, product: ToxinProduct, **changes: Any
) -> ToxinProduct:
    """Change a product's label figures: validated (``dosing.validate_label``) and audited.

    Raises ``InvalidLabelError`` listing every problem; nothing is written then. The audit entry
    keeps each changed field's old and new value.
    """
    unknown = set(changes) - set(LABEL_FIELDS)
    if unknown:
        raise ValueError(f"not label figures: {sorted(unknown)}")
    locked = ToxinProduct.objects.select_for_update().get(pk=product.pk)
    before = {f: getattr(locked, f) for f in changes}
    for name, value in changes.items():
        setattr(locked, name, value)
    vials = locked.vial_sizes
    if not isinstance(vials, list):
        raise InvalidLabelError(("Vial sizes must be a list of whole numbers of units.",))
    problems = dosing.validate_label(locked.label())
    if problems:
        raise InvalidLabelError(problems)
    changed = {f: [before[f], getattr(locked, f)] for f in changes if before[f] != changes[f]}
    if changed:
        locked.save(update_fields=list(changed))
        record_access(request, Action.UPDATE, locked, user=actor, detail={"changed": changed})
    return locked


@transaction.atomic
def report_side_effect(
    request: HttpRequest | None,
    *,
    actor: Any,
    patient: Patient,
    symptoms: Sequence[str],
    severe: bool = False,
    started_on: date | None = None,
    note: str = "",
) -> SideEffectReport:
    """Store a side effect the patient reports after an injection and flag the clinic.

    Breathing trouble, an allergic reaction or severe swallowing trouble make it an emergency
    (``safety.triage_urgency``): the portal tells the patient to call emergency services now,
    and the report tops the clinic's triage list. Raises ``ValueError`` for unknown symptoms or
    none at all.
    """
    if not symptoms:
        raise ValueError("choose at least one symptom")
    unknown = [s for s in symptoms if s not in safety.PATIENT_SYMPTOMS]
    if unknown:
        raise ValueError(f"unknown symptoms {unknown!r}")
    session = InjectionSession.objects.filter(patient=patient).first()
    report = SideEffectReport.objects.create(
        patient=patient,
        session=session,
        symptoms=list(dict.fromkeys(symptoms)),
        severe=severe,
        started_on=started_on,
        note=note,
        urgency=safety.triage_urgency(list(symptoms), severe),
    )
    record_access(
        request,
        Action.CREATE,
        report,
        user=actor,
        detail={"urgency": report.urgency, "symptoms": report.symptoms},
    )
    return report


@transaction.atomic
def review_side_effect_report(
    request: HttpRequest | None,
    *,
    actor: Any,
    report: SideEffectReport,
    review_note: str = "",
    record_as: str = "",
    severity: str = AdverseEvent.Severity.MODERATE,
) -> SideEffectReport:
    """Close a report from the triage list; ``record_as`` also records an adverse event of that
    kind against the report's session (so later plans see it)."""
    locked = SideEffectReport.objects.select_for_update().get(pk=report.pk)
    if record_as:
        if locked.session is None:
            raise ValueError("the report has no injection session to record the event against")
        onset = (locked.started_on - locked.session.injected_on).days if locked.started_on else None
        record_adverse_event(
            request,
            actor=actor,
            session=locked.session,
            kind=record_as,
            severity=severity,
            reported_on=timezone.localdate(locked.reported_at),
            onset_days=onset if onset is not None and onset >= 0 else None,
            note=f"Reported by the patient in the portal: {locked.note}".strip(),
        )
    locked.status = SideEffectReport.Status.REVIEWED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.review_note = review_note
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    record_access(request, Action.UPDATE, locked, user=actor, detail={"reviewed": True})
    return locked


@transaction.atomic
def record_antibody_test(
    request: HttpRequest | None,
    *,
    actor: Any,
    patient: Patient,
    tested_on: date,
    toxin_type: str,
    method: str,
    result: str,
    titre: str = "",
    note: str = "",
) -> AntibodyTest:
    test = AntibodyTest(
        patient=patient,
        tested_on=tested_on,
        toxin_type=toxin_type,
        method=method,
        result=result,
        titre=titre,
        note=note,
        recorded_by=actor,
    )
    test.full_clean(exclude=["recorded_by"])
    test.save()
    record_access(request, Action.CREATE, test, user=actor, detail={"result": result})
    return test


@transaction.atomic
def record_cycle_outcome(
    request: HttpRequest | None,
    *,
    actor: Any,
    session: InjectionSession,
    assessed_on: date,
    cgi_c: int | None = None,
    pgi_c: int | None = None,
    pain_nrs_peak: int | None = None,
    cdip58_score: Decimal | None = None,
    note: str = "",
) -> CycleOutcome:
    """Store CGI-C, PGI-C (1–7), pain NRS at peak (0–10) and a paper CDIP-58 total (0–100).

    CDIP-58 is entered from the licensed paper form only; Collis does not reproduce its items.
    Raises ``ValueError`` for values outside those ranges or an assessment before the session.
    """
    problems = []
    for name, value, low, high in (
        ("CGI-C", cgi_c, 1, 7),
        ("PGI-C", pgi_c, 1, 7),
        ("Pain NRS", pain_nrs_peak, 0, 10),
        ("CDIP-58", cdip58_score, 0, 100),
    ):
        if value is not None and not low <= value <= high:
            problems.append(f"{name} must be {low}–{high}")
    if assessed_on < session.injected_on:
        problems.append("the outcome is rated after the injection")
    if problems:
        raise ValueError("; ".join(problems))
    outcome, created = CycleOutcome.objects.select_for_update().get_or_create(
        session=session, defaults={"assessed_on": assessed_on}
    )
    outcome.assessed_on = assessed_on
    outcome.cgi_c, outcome.pgi_c, outcome.pain_nrs_peak = cgi_c, pgi_c, pain_nrs_peak
    outcome.cdip58_score, outcome.note, outcome.recorded_by = cdip58_score, note, actor
    outcome.save()
    record_access(
        request,
        Action.CREATE if created else Action.UPDATE,
        outcome,
        user=actor,
        patient_id=session.patient_id,
    )
    return outcome


@transaction.atomic
def set_gas_goal(
    request: HttpRequest | None,
    *,
    actor: Any,
    session: InjectionSession,
    description: str,
    weight: int = 1,
    baseline_level: int = -1,
    attained_level: int | None = None,
    goal: GasGoal | None = None,
) -> GasGoal:
    """Add a GAS goal to a cycle, or rate/edit ``goal``. Levels: baseline −2 … 0, attained
    −2 … +2 (0 = the expected outcome)."""
    if not description.strip():
        raise ValueError("describe the goal")
    if not -2 <= baseline_level <= 0 or weight < 1:
        raise ValueError("baseline level is −2 … 0 and weight at least 1")
    if attained_level is not None and not -2 <= attained_level <= 2:
        raise ValueError("attained level is −2 … +2")
    if goal is None:
        goal = GasGoal(session=session)
    elif goal.session_id != session.pk:
        raise ValueError("the goal belongs to another session")
    goal.description, goal.weight = description.strip(), weight
    goal.baseline_level, goal.attained_level = baseline_level, attained_level
    created = goal.pk is None
    goal.save()
    record_access(
        request,
        Action.CREATE if created else Action.UPDATE,
        goal,
        user=actor,
        patient_id=session.patient_id,
    )
    return goal
