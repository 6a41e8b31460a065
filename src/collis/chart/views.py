"""The clinician's view of a whole chart: the record timeline and the visit summary (page, PDF).

These pages gather visits, scale scores, injections, diary entries and posture analyses, so they
sit on the top floor and import the clinical apps downward. Their URL names stay under the
``patients:`` namespace (see ``chart/urls.py``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.chart import timeline
from collis.chart.summary import build_visit_summary
from collis.chart.summary_pdf import render_visit_summary_pdf
from collis.checkins import record as checkin_record
from collis.injections import actions as injection_actions
from collis.injections.forms import AntibodyTestForm
from collis.patients.access import access_patient_record, access_visit
from collis.recordings.record import posture_chart


@login_required
def patient_detail(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access_patient_record(request.user, patient_id)
    record_access(request, Action.READ, patient, detail={"view": "clinical record"})
    sessions = list(timeline.injection_sessions(patient))
    cycles = timeline.build_cycles(patient, sessions)
    markers = [timeline.Marker(s.injected_on, "Injection") for s in sessions]
    context = {
        "patient": patient,
        "diagnosis": getattr(patient, "diagnosis", None),
        "timeline": timeline.build_timeline(patient),
        "cycles": list(reversed(cycles)),
        "current_cycle": cycles[-1] if cycles else None,
        "twstrs_chart": timeline.twstrs_chart(patient, cycles),
        "diary_chart": timeline.diary_chart(patient, markers=markers),
        "posture_chart": posture_chart(patient),
        "latest_visit": patient.visits.order_by("-occurred_at").first(),
        "drafts": patient.assessments.filter(status="draft"),
        "wearing_off": checkin_record.wearing_off_flag(patient),
        "wearing_off_suggestion": checkin_record.SUGGESTION,
    }
    return render(request, "chart/patient_detail.html", context)


@login_required
def visit_summary(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit(request.user, visit_id)
    record_access(request, Action.READ, visit, detail={"view": "summary"})
    summary = build_visit_summary(visit, include_notes=True, include_claims=True)
    context = {"summary": summary, "visit": visit, "pdf_url": "patients:visit-summary-pdf"}
    return render(request, "chart/visit_summary.html", context)


@login_required
def visit_summary_pdf(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_visit(request.user, visit_id)
    record_access(request, Action.EXPORT, visit, detail={"format": "pdf"})
    pdf = render_visit_summary_pdf(
        build_visit_summary(visit, include_notes=True, include_claims=True)
    )
    return pdf_response(pdf, visit)


def pdf_response(pdf: bytes, visit) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"visit-summary-{timezone.localtime(visit.occurred_at):%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def toxin_response(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Response across cycles: dose per muscle beside TWSTRS and posture; antibody tests."""
    patient = access_patient_record(request.user, patient_id)
    form = AntibodyTestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        injection_actions.record_antibody_test(
            request, actor=request.user, patient=patient, **form.cleaned_data
        )
        return redirect("patients:toxin-response", patient_id=patient.pk)
    record_access(request, Action.READ, patient, detail={"view": "toxin response"})
    context = {"patient": patient, "antibody_form": form, **timeline.response_overview(patient)}
    return render(request, "chart/toxin_response.html", context)


@login_required
def record_delete(request: HttpRequest, kind: str, record_id: int) -> HttpResponse:
    """Delete a clinical record entered in error: soft delete with a reason (kept, audited,
    hidden everywhere else; administrators see it in the admin)."""
    from collis.audit.softdelete import DeletionReasonError, delete_record
    from collis.chart.records import access_deletable

    record, label = access_deletable(request.user, kind, record_id)
    error = ""
    if request.method == "POST":
        try:
            delete_record(
                request, actor=request.user, record=record, reason=request.POST.get("reason", "")
            )
        except DeletionReasonError as exc:
            error = exc.user_message
        else:
            return redirect("patients:patient-detail", record.patient_id)
    else:
        record_access(request, Action.READ, record, detail={"view": "delete confirmation"})
    context = {"record": record, "label": label, "error": error, "kind": kind}
    return render(request, "chart/record_delete.html", context)
