"""Clinician side of the home programme: assign exercises and see adherence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.diary import actions
from collis.diary.forms import ProgrammeForm
from collis.diary.models import HomeProgramme
from collis.patients.access import access_patient_record


@login_required
def programme_edit(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access_patient_record(request.user, patient_id)
    programme = HomeProgramme.objects.filter(patient=patient).first()
    current = {i.exercise_id: i for i in programme.items.all()} if programme else {}
    initial = {
        "starts_on": programme.starts_on if programme else timezone.localdate(),
        "notes": programme.notes if programme else "",
    }
    form = ProgrammeForm(request.POST or None, current=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.assign_home_programme(
            request,
            actor=request.user,
            patient=patient,
            assigned_by=getattr(request.user, "clinician", None),
            starts_on=form.cleaned_data["starts_on"],
            notes=form.cleaned_data["notes"],
            lines=[actions.ProgrammeLine(e, freq, dose) for e, freq, dose in form.chosen()],
        )
        messages.success(request, "Home programme saved.")
        return redirect("patients:patient-detail", patient_id=patient.pk)
    record_access(request, Action.READ, programme or patient, detail={"view": "programme edit"})
    context = {"patient": patient, "form": form, "programme": programme}
    return render(request, "diary/programme_form.html", context)
