"""Writes of toxin sessions, adverse events and cycle reports. Atomic and audited.

``record_injection_session`` is the one way a session is recorded: the web form, the API, the
admin and the demo seeder all call it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.injections import dosing
from collis.injections.errors import UnacknowledgedWarningsError
from collis.injections.models import (
    AdverseEvent,
    CycleReport,
    Injection,
    InjectionSession,
    ToxinLot,
)
from collis.patients.actions import record_visit
from collis.patients.models import Patient, Visit
from collis.providers.models import Clinician
from collis.scheduling.actions import record_injection_cycle


def history_for(patient: Patient, *, excluding: int | None = None) -> list[dosing.PastSession]:
    sessions = InjectionSession.objects.filter(patient=patient).select_related("product")
    if excluding is not None:
        sessions = sessions.exclude(pk=excluding)
    return [dosing.PastSession(s.product.code, s.injected_on, s.total_units) for s in sessions]


def check_plan(
    patient: Patient,
    lot: ToxinLot,
    injected_on: date,
    injections: Sequence[dosing.PlannedInjection],
) -> tuple[dosing.DoseWarning, ...]:
    """Validate a plan and return its label warnings (raises ``InvalidPlanError``)."""
    plan = dosing.SessionPlan(lot.product.label(), injected_on, tuple(injections), lot.expires_on)
    dosing.validate_plan(plan)
    return dosing.check_session(plan, history_for(patient))


@transaction.atomic
def record_injection_session(
    request: HttpRequest | None,
    *,
    actor: Any,
    patient: Patient,
    lot: ToxinLot,
    injected_on: date,
    dilution_units_per_ml,
    injections: Sequence[dosing.PlannedInjection],
    visit: Visit | None = None,
    clinician: Clinician | None = None,
    notes: str = "",
    acknowledged: Collection[str] = (),
    acknowledgement_reason: str = "",
) -> InjectionSession:
    """Record a toxin session with its per-muscle injections.

    Label warnings (dosing.check_session) must each be in ``acknowledged`` and come with a
    reason, else ``UnacknowledgedWarningsError`` is raised and nothing is written. Without a
    ``visit``, an injection visit with ``clinician`` is created for the day.
    Raises ``InvalidPlanError`` for plans that cannot be recorded at all.
    """
    # Lock the patient so two sessions recorded at once each see the other in their checks.
    Patient.objects.select_for_update().get(pk=patient.pk)
    warnings = check_plan(patient, lot, injected_on, injections)
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
) -> AdverseEvent:
    event = AdverseEvent.objects.create(
        session=session,
        kind=kind,
        severity=severity,
        reported_on=reported_on,
        onset_days=onset_days,
        duration_days=duration_days,
        note=note,
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
