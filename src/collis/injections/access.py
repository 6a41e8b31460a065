"""Guarded reads of toxin sessions: clinicians only (see patients.access)."""

from __future__ import annotations

from django.http import Http404

from collis.injections.models import InjectionSession, SideEffectReport
from collis.patients.access import access_own_patient, require_clinician


def access_session(user, session_id: int) -> InjectionSession:
    require_clinician(user)
    try:
        return (
            InjectionSession.objects.select_related("patient", "product", "lot", "visit")
            .prefetch_related("injections", "adverse_events")
            .get(pk=session_id)
        )
    except InjectionSession.DoesNotExist:
        raise Http404("No such injection session.") from None


def access_triage_list(user) -> list:
    """Return the open side-effect reports as triage rows (clinicians only)."""
    from django.utils import timezone

    from collis.injections.triage import triage_rows

    require_clinician(user)
    return triage_rows(timezone.now())


def access_side_effect_report(user, report_id: int) -> SideEffectReport:
    require_clinician(user)
    try:
        return SideEffectReport.objects.select_related("patient", "session__product").get(
            pk=report_id
        )
    except SideEffectReport.DoesNotExist:
        raise Http404("No such report.") from None


def access_own_side_effect_reports(user):
    """The signed-in patient's own side-effect reports, newest first (patient role only)."""
    patient = access_own_patient(user)
    return patient, SideEffectReport.objects.filter(patient=patient).select_related(
        "session__product"
    )


def access_own_side_effect_report(user, report_id: int) -> SideEffectReport:
    """One of the signed-in patient's own reports; another patient's answers 404."""
    _, reports = access_own_side_effect_reports(user)
    try:
        return reports.get(pk=report_id)
    except SideEffectReport.DoesNotExist:
        raise Http404("No such report.") from None
