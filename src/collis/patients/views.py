"""The clinician workspace: patient list, diagnosis and visits.

The record timeline and the visit summaries assemble other apps' data: they live in ``chart``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.patients import actions
from collis.patients.access import access_patient_record, access_visit, require_clinician
from collis.patients.errors import InvalidWorkupError
from collis.patients.forms import DiagnosisForm, VisitForm, VisitNotesForm
from collis.patients.models import Diagnosis, Patient
from collis.patients.ports import list_flags

SEARCH_MAX_LENGTH = 100


@login_required
def patient_list(request: HttpRequest) -> HttpResponse:
    require_clinician(request.user)
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    patients = Patient.objects.filter(is_pending_contact=False).select_related(
        "diagnosis__treating_clinician"
    )
    if query:
        patients = patients.filter(
            Q(family_name__icontains=query) | Q(given_name__icontains=query) | Q(mrn__iexact=query)
        )
    record_access(
        request,
        Action.READ,
        object_type="patients.Patient",
        detail={"view": "search" if query else "list", "query": query},
    )
    shown = list(patients[:100])
    flags = list_flags(p.pk for p in shown)
    rows = [(p, flags.get(p.pk, [])) for p in shown]
    return render(
        request,
        "patients/patient_list.html",
        {"patients": shown, "rows": rows, "query": query},
    )


@login_required
def diagnosis_edit(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access_patient_record(request.user, patient_id)
    instance = getattr(patient, "diagnosis", None) or Diagnosis(patient=patient)
    form = DiagnosisForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_diagnosis(
                request, actor=request.user, patient=patient, data=form.cleaned_data
            )
        except InvalidWorkupError as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            return redirect("patients:patient-detail", patient_id=patient.pk)
    record_access(request, Action.READ, instance if instance.pk else patient)
    return render(request, "patients/diagnosis_form.html", {"patient": patient, "form": form})


@login_required
def visit_create(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access_patient_record(request.user, patient_id)
    own = getattr(request.user, "clinician", None)
    initial = {
        "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
        "clinician": own,
    }
    form = VisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        visit = actions.record_visit(
            request, actor=request.user, patient=patient, **form.cleaned_data
        )
        return redirect(visit)
    return render(request, "patients/visit_form.html", {"patient": patient, "form": form})


@login_required
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit(request.user, visit_id)
    form = VisitNotesForm(request.POST or None, initial={"notes": visit.notes})
    if request.method == "POST" and form.is_valid():
        actions.update_visit_notes(
            request, actor=request.user, visit=visit, notes=form.cleaned_data["notes"]
        )
        return redirect(visit)
    record_access(request, Action.READ, visit)
    context = {
        "visit": visit,
        "patient": visit.patient,
        "form": form,
        "sessions": visit.injection_sessions.select_related("product"),
        "assessments": visit.assessments.all(),
    }
    return render(request, "patients/visit_detail.html", context)
