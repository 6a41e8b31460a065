"""Portal pages. A patient sees only their own record; anything else answers 404.

Every view starts from ``access_own_patient``, which requires the patient role (never held by
a staff account) as well as the link to the record.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collis.audit.actions import Action, record_access
from collis.audit.softdelete import delete_record
from collis.chart import timeline
from collis.chart.summary import build_visit_summary
from collis.chart.summary_pdf import render_visit_summary_pdf
from collis.chart.views import pdf_response
from collis.diary import actions as diary_actions
from collis.diary.adherence import week_of
from collis.diary.errors import FutureEntryError
from collis.diary.forms import DiaryEntryForm
from collis.diary.models import HomeProgramme, ProgrammeItem
from collis.injections import actions as injection_actions
from collis.injections import safety
from collis.injections.access import (
    access_own_side_effect_report,
    access_own_side_effect_reports,
)
from collis.injections.forms import SideEffectReportForm
from collis.lib.charts import Marker
from collis.patients.access import access_own_patient, access_own_visit
from collis.scheduling.access import upcoming_appointments
from collis.scheduling.links import manage_token

DIARY_PAGE_SIZE = 30


@login_required
def home(request: HttpRequest) -> HttpResponse:
    patient = access_own_patient(request.user)
    record_access(request, Action.READ, patient, detail={"view": "portal home"})
    cycles = timeline.build_cycles(patient)
    context = {
        "patient": patient,
        "recent": patient.diary_entries.all()[:3],
        "today_logged": patient.diary_entries.filter(entry_date=timezone.localdate()).exists(),
        "current_cycle": cycles[-1] if cycles else None,
        "visits": patient.visits.select_related("clinician")[:5],
        "upcoming": [
            (appointment, manage_token(appointment))
            for appointment in upcoming_appointments(patient.pk)
        ],
    }
    return render(request, "portal/home.html", context)


@login_required
def diary_list(request: HttpRequest) -> HttpResponse:
    patient = access_own_patient(request.user)
    record_access(
        request, Action.READ, patient, object_type="diary.DiaryEntry", detail={"view": "list"}
    )
    page = Paginator(patient.diary_entries.all(), DIARY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/diary_list.html",
        {"patient": patient, "entries": page.object_list, "page": page},
    )


@login_required
def diary_create(request: HttpRequest) -> HttpResponse:
    patient = access_own_patient(request.user)
    form = DiaryEntryForm(request.POST or None, initial={"entry_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            diary_actions.record_diary_entry(
                request, actor=request.user, patient=patient, **form.cleaned_data
            )
        except FutureEntryError as exc:
            form.add_error("entry_date", str(exc))
        else:
            messages.success(request, _("Thank you: your diary entry is saved."))
            return redirect("portal:charts")
    return render(request, "portal/diary_form.html", {"patient": patient, "form": form})


# The reason kept with a diary entry its patient removed (soft delete, audited: issue #12).
PATIENT_REMOVED_DIARY_ENTRY = "Removed by the patient in the portal"


@login_required
def diary_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Remove one of the patient's own diary entries, e.g. one logged on the wrong day."""
    patient = access_own_patient(request.user)
    entry = patient.diary_entries.filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    if request.method == "POST":
        delete_record(
            request,
            actor=request.user,
            record=entry,
            reason=PATIENT_REMOVED_DIARY_ENTRY,
            via="portal",
        )
        messages.success(request, _("The diary entry is removed."))
        return redirect("portal:diary-list")
    record_access(request, Action.READ, entry, detail={"view": "portal remove"})
    return render(request, "portal/diary_delete.html", {"patient": patient, "entry": entry})


@login_required
def programme(request: HttpRequest) -> HttpResponse:
    patient = access_own_patient(request.user)
    plan = HomeProgramme.objects.filter(patient=patient).first()
    today = timezone.localdate()
    if request.method == "POST" and plan is not None:
        item = _own_item(plan, request.POST.get("item"))
        try:
            done_on = date.fromisoformat(request.POST.get("day", ""))
            diary_actions.set_adherence(
                request,
                actor=request.user,
                item=item,
                done_on=done_on,
                done=request.POST.get("done") == "1",
            )
        except (ValueError, FutureEntryError):
            messages.error(request, _("That day cannot be ticked."))
        # Back to the exercise just ticked, not the top of the page.
        return redirect(f"{reverse('portal:programme')}#ex-{item.pk}")
    record_access(request, Action.READ, plan or patient, detail={"view": "portal programme"})
    weeks = week_of(plan, today) if plan else []
    return render(
        request,
        "portal/programme.html",
        {"patient": patient, "plan": plan, "weeks": weeks, "today": today},
    )


def _own_item(plan: HomeProgramme, item_id: str | None) -> ProgrammeItem:
    try:
        return plan.items.select_related("programme").get(pk=int(item_id or ""))
    except (ValueError, ProgrammeItem.DoesNotExist):
        raise Http404("No such exercise.") from None


@login_required
def charts(request: HttpRequest) -> HttpResponse:
    patient = access_own_patient(request.user)
    record_access(request, Action.READ, patient, detail={"view": "portal charts"})
    sessions = list(timeline.injection_sessions(patient))
    cycles = timeline.build_cycles(patient, sessions)
    markers = [Marker(s.injected_on, _("Injection")) for s in sessions]
    context = {
        "patient": patient,
        "diary_chart": timeline.diary_chart(patient, markers=markers),
        "twstrs_chart": timeline.twstrs_chart(patient, cycles),
        "current_cycle": cycles[-1] if cycles else None,
    }
    return render(request, "portal/charts.html", context)


@login_required
def visit_summary(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_own_visit(request.user, visit_id)
    record_access(request, Action.READ, visit, detail={"view": "portal summary"})
    summary = build_visit_summary(visit, include_notes=False)
    context = {"summary": summary, "visit": visit, "pdf_url": "portal:visit-summary-pdf"}
    return render(request, "chart/visit_summary.html", context)


@login_required
def visit_summary_pdf(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = access_own_visit(request.user, visit_id)
    record_access(request, Action.EXPORT, visit, detail={"format": "pdf", "via": "portal"})
    return pdf_response(
        render_visit_summary_pdf(build_visit_summary(visit, include_notes=False)), visit
    )


@login_required
def side_effect_report(request: HttpRequest) -> HttpResponse:
    """A patient reports a side effect after an injection. Breathing trouble, an allergic
    reaction or severe swallowing trouble: the answer is to call emergency services now."""
    patient = access_own_patient(request.user)
    form = SideEffectReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = injection_actions.report_side_effect(
            request, actor=request.user, patient=patient, **form.cleaned_data
        )
        return render(request, "portal/side_effect_sent.html", {"report": report})
    return render(request, "portal/side_effect_form.html", {"patient": patient, "form": form})


# The patient's words for each symptom: safety.PATIENT_SYMPTOMS marks them for the catalogue
# (injections' locale); they are translated here, per request.
SYMPTOM_WORDS = {kind: gettext_lazy(text) for kind, text in safety.PATIENT_SYMPTOMS.items()}
REPORT_STATUS_WORDS = {
    "open": gettext_lazy("Sent: waiting for a clinician"),
    "reviewed": gettext_lazy("Read by a clinician"),
}


def _report_row(report) -> dict:  # noqa: ANN001
    return {
        "report": report,
        "symptoms": [SYMPTOM_WORDS.get(s, s) for s in report.symptoms],
        "status": REPORT_STATUS_WORDS.get(report.status, report.status),
    }


@login_required
def side_effect_list(request: HttpRequest) -> HttpResponse:
    """The patient's own side-effect reports, newest first, with where each one stands."""
    patient, reports = access_own_side_effect_reports(request.user)
    record_access(
        request,
        Action.READ,
        patient,
        object_type="injections.SideEffectReport",
        detail={"view": "portal list"},
    )
    rows = [_report_row(r) for r in reports]
    return render(request, "portal/side_effect_list.html", {"patient": patient, "rows": rows})


@login_required
def side_effect_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    """One of the patient's own reports; another patient's answers 404."""
    report = access_own_side_effect_report(request.user, report_id)
    record_access(request, Action.READ, report, detail={"view": "portal"})
    return render(request, "portal/side_effect_detail.html", _report_row(report))
