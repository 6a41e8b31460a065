"""Scale assessments in the clinician workspace: new, finish a draft, read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.patients.access import access_patient_record
from collis.scales import actions
from collis.scales.access import access_assessment
from collis.scales.errors import InvalidAnswersError
from collis.scales.forms import SCALE_ITEMS, SCALE_TITLES, ScaleForm
from collis.scales.models import Assessment
from collis.scales.ports import posture_caveats_for_visit, posture_severity_for_visit
from collis.scales.posture_grades import initial_values, suggest_twstrs_from_posture


def _save(request, form, patient, assessment=None):
    """Validate with the scoring core; on bad input re-render with errors and keep the input."""
    visit = None
    if form.cleaned_data.get("visit"):
        visit = patient.visits.filter(pk=form.cleaned_data["visit"]).first()
        if visit is None:
            form.add_error("visit", "Choose one of this patient's visits.")
            return None
    try:
        return actions.save_assessment(
            request,
            actor=request.user,
            patient=patient,
            scale=form.scale,
            answers=form.answers(),
            assessed_on=form.cleaned_data["assessed_on"],
            timepoint=form.cleaned_data["timepoint"],
            complete="save_complete" in request.POST,
            visit=visit,
            suggestions=form.suggestions,
            details=form.details(),
            assessment=assessment,
        )
    except InvalidAnswersError as exc:
        for problem in exc.problems:
            form.add_error(problem.item if problem.item in form.fields else None, problem.message)
        form.add_error(None, "Not saved: " + str(exc))
        return None


def _render_form(request, form, patient, assessment=None) -> HttpResponse:
    context = {
        "form": form,
        "patient": patient,
        "assessment": assessment,
        "title": SCALE_TITLES[form.scale],
        "scale": form.scale,
    }
    return render(request, "scales/assessment_form.html", context)


@login_required
def assessment_create(request: HttpRequest, patient_id: int, scale: str) -> HttpResponse:
    patient = access_patient_record(request.user, patient_id)
    if scale not in Assessment.Scale.values:
        raise Http404("Unknown scale.")
    visits = list(patient.visits.all()[:30])
    visit = next((v for v in visits if str(v.pk) == request.GET.get("visit")), None)
    suggestions = {}
    caveats: dict[str, str] = {}
    if scale == Assessment.Scale.TWSTRS and visit is not None:
        suggestions = initial_values(suggest_twstrs_from_posture(posture_severity_for_visit(visit)))
        caveats = posture_caveats_for_visit(visit)
    initial = {
        "assessed_on": timezone.localdate(),
        "timepoint": request.GET.get("timepoint", Assessment.Timepoint.OTHER),
        "visit": visit.pk if visit else None,
        **suggestions,
    }
    form = ScaleForm(
        request.POST or None,
        scale=scale,
        visits=visits,
        suggestions=suggestions,
        caveats=caveats,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        assessment = _save(request, form, patient)
        if assessment is not None:
            messages.success(request, _saved_message(assessment))
            return redirect(assessment)
    record_access(request, Action.READ, patient, detail={"view": f"new {scale}"})
    return _render_form(request, form, patient)


@login_required
def assessment_edit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = access_assessment(request.user, assessment_id)
    if assessment.is_complete:
        messages.info(request, "A complete assessment is kept as scored; record a new one instead.")
        return redirect(assessment)
    patient = assessment.patient
    initial = {
        "assessed_on": assessment.assessed_on,
        "timepoint": assessment.timepoint,
        "visit": assessment.visit_id,
        **assessment.answers,
        **assessment.details,
    }
    form = ScaleForm(
        request.POST or None,
        scale=assessment.scale,
        visits=list(patient.visits.all()[:30]),
        suggestions=assessment.suggestions,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, patient, assessment)
        if saved is not None:
            messages.success(request, _saved_message(saved))
            return redirect(saved)
    else:
        record_access(request, Action.READ, assessment)
    return _render_form(request, form, patient, assessment)


@login_required
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = access_assessment(request.user, assessment_id)
    record_access(request, Action.READ, assessment)
    rows = [
        (
            item,
            assessment.answers.get(item.key),
            item.grade_label(assessment.answers[item.key])
            if item.key in assessment.answers
            else "",
            item.key in assessment.suggestions,
        )
        for item in SCALE_ITEMS[assessment.scale]
    ]
    context = {"assessment": assessment, "patient": assessment.patient, "rows": rows}
    return render(request, "scales/assessment_detail.html", context)


def _saved_message(assessment: Assessment) -> str:
    if assessment.is_complete:
        return f"{assessment.get_scale_display()} saved: total {assessment.total}."
    return f"{assessment.get_scale_display()} saved as a draft (not scored)."
