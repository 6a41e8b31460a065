"""Toxin sessions in the clinician workspace: record (with label checks), read, follow up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.injections import actions, dosing
from collis.injections.access import access_session
from collis.injections.diagram import neck_diagram_svg
from collis.injections.errors import InvalidPlanError, UnacknowledgedWarningsError
from collis.injections.forms import (
    AdverseEventForm,
    CycleReportForm,
    InjectionRowFormSet,
    SessionForm,
)
from collis.injections.models import InjectionSession, ToxinLot, ToxinProduct
from collis.patients.access import access_patient_record

MIN_ROWS = 6


def _start_rows(patient, start: str, last: InjectionSession | None):
    """Return (initial rows, notes, units_product) for a new session's plan."""
    if start == "copy" and last is not None:
        label = last.product.label()
        copied = dosing.copy_forward(last.planned(), label, label)
        rows = [
            {
                "muscle": d.muscle,
                "side": d.side.value,
                "units": d.units,
                "sites": d.sites,
                "guidance": d.guidance,
            }
            for d in copied.injections
        ]
        note = f"Copied from the session of {last.injected_on:%Y-%m-%d} ({last.product.brand})."
        return rows, [note], last.product.code
    diagnosis = getattr(patient, "diagnosis", None)
    if start == "suggested" and diagnosis is not None and diagnosis.colcap_pattern:
        suggestions = dosing.suggest_muscles(diagnosis.components())
        rows = [
            {"muscle": d.muscle, "side": d.side.value, "sites": 1, "guidance": d.guidance}
            for d in dosing.suggestions_as_drafts(suggestions)
        ]
        optional = [f"{s.label} ({s.side.value})" for s in suggestions.muscles if s.optional]
        notes = [
            "Suggested starting muscles for " + diagnosis.pattern_display + ": accept, change "
            "or remove each one, and enter your own doses."
        ] + list(suggestions.notes)
        if optional:
            notes.append("Also consider: " + ", ".join(optional) + ".")
        return rows, notes, ""
    return [], [], ""


@login_required
def session_create(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access_patient_record(request.user, patient_id)
    last = patient.injection_sessions.select_related("product").first()
    rows, notes, units_product = _start_rows(patient, request.GET.get("start", ""), last)
    initial = {
        "injected_on": timezone.localdate(),
        "clinician": getattr(request.user, "clinician", None),
        "lot": _default_lot(last.product if last and units_product else None),
        "dilution_units_per_ml": last.dilution_units_per_ml if last else None,
    }
    form = SessionForm(request.POST or None, initial=initial)
    formset = InjectionRowFormSet(
        request.POST or None, initial=rows + [{}] * max(MIN_ROWS - len(rows), 3)
    )
    warnings = ()
    units_product = request.POST.get("units_product", units_product)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        planned = [p for p in (f.planned() for f in formset) if p is not None]
        lot = form.cleaned_data["lot"]
        if units_product and units_product != lot.product.code:
            form.add_error(
                "lot",
                f"The units were copied from a {ToxinProduct.objects.get(code=units_product).brand}"
                f" session, but you chose {lot.product.brand}: units are not interchangeable. "
                "Re-enter every dose in the new product's units.",
            )
            units_product = lot.product.code  # the next submission means the new product
        else:
            try:
                session = actions.record_injection_session(
                    request,
                    actor=request.user,
                    patient=patient,
                    lot=lot,
                    injected_on=form.cleaned_data["injected_on"],
                    dilution_units_per_ml=form.cleaned_data["dilution_units_per_ml"],
                    injections=planned,
                    clinician=form.cleaned_data["clinician"],
                    notes=form.cleaned_data["notes"],
                    acknowledged=form.cleaned_data["acknowledged"],
                    acknowledgement_reason=form.cleaned_data["acknowledgement_reason"],
                )
            except InvalidPlanError as exc:
                for problem in exc.problems:
                    form.add_error(None, problem)
            except UnacknowledgedWarningsError as exc:
                warnings = exc.warnings
                form.data = form.data.copy()
                form.data.setlist("acknowledged", [str(w.code) for w in warnings])
                if form.cleaned_data["acknowledgement_reason"].strip():
                    form.add_error(None, "New warnings appeared: read them and confirm again.")
                else:
                    form.add_error(
                        "acknowledgement_reason",
                        "Read the warnings and give your reason to go ahead, or change the plan.",
                    )
            else:
                messages.success(request, f"Injection session saved: {session.total_units} units.")
                return redirect(session)
    # The form shows the last session's doses and the label checks: a read of the record.
    record_access(request, Action.READ, patient, detail={"view": "new injection session"})
    context = {
        "patient": patient,
        "form": form,
        "formset": formset,
        "warnings": warnings,
        "notes": notes,
        "last": last,
        "units_product": units_product,
        "has_pattern": bool(getattr(getattr(patient, "diagnosis", None), "colcap_pattern", None)),
    }
    return render(request, "injections/session_form.html", context)


def _default_lot(product: ToxinProduct | None) -> ToxinLot | None:
    if product is None:
        return None
    return (
        ToxinLot.objects.filter(product=product, expires_on__gte=timezone.localdate())
        .order_by("expires_on")
        .first()
    )


@login_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    record_access(request, Action.READ, session)
    label = session.product.label()
    planned = session.planned()
    equivalents = [
        eq
        for product in ToxinProduct.objects.exclude(pk=session.product_id)
        if (eq := dosing.approximate_equivalent(session.total_units, label, product.label()))
    ]
    context = {
        "session": session,
        "patient": session.patient,
        "diagram": neck_diagram_svg(planned, session.product.unit_label),
        "equivalents": equivalents,
        "next_due": dosing.next_due_date(session.injected_on, label),
        "report": getattr(session, "cycle_report", None),
        "adverse_form": AdverseEventForm(initial={"reported_on": timezone.localdate()}),
        "report_form": _report_form(session),
    }
    return render(request, "injections/session_detail.html", context)


def _report_form(session, data=None) -> CycleReportForm:
    report = getattr(session, "cycle_report", None)
    initial = (
        {
            "onset_week": report.onset_week,
            "peak_week": report.peak_week,
            "wearing_off_week": report.wearing_off_week,
            "note": report.note,
        }
        if report
        else {}
    )
    return CycleReportForm(data, initial=initial)


@login_required
def adverse_event_create(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    form = AdverseEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.record_adverse_event(
            request, actor=request.user, session=session, **form.cleaned_data
        )
        messages.success(request, "Adverse event recorded.")
        return redirect(session)
    record_access(request, Action.READ, session, detail={"view": "adverse event form"})
    return render(request, "injections/adverse_event_form.html", {"session": session, "form": form})


@login_required
def cycle_report_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    form = _report_form(session, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.record_cycle_report(
            request, actor=request.user, session=session, **form.cleaned_data
        )
        messages.success(request, "Cycle report saved.")
        return redirect(session)
    record_access(request, Action.READ, session, detail={"view": "cycle report"})
    return render(request, "injections/cycle_report_form.html", {"session": session, "form": form})
