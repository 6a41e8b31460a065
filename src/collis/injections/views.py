"""Toxin sessions in the clinician workspace: record (with label checks), read, follow up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.injections import actions, dosing, response, safety
from collis.injections.access import (
    access_session,
    access_side_effect_report,
    access_triage_list,
)
from collis.injections.diagram import neck_diagram_svg
from collis.injections.errors import (
    InvalidPlanError,
    ProductMismatchError,
    UnacknowledgedWarningsError,
)
from collis.injections.forms import (
    AdverseEventForm,
    CycleOutcomeForm,
    CycleReportForm,
    GasGoalForm,
    InjectionRowFormSet,
    ScreeningForm,
    SessionForm,
    SideEffectReviewForm,
)
from collis.injections.models import InjectionSession, ToxinLot, ToxinProduct
from collis.injections.triage import triage_row
from collis.patients.access import access_patient_record

MIN_ROWS = 6


def _start_rows(patient, start: str, last: InjectionSession | None):
    """Return (initial rows, notes, units_product) for a new session's plan."""
    if start == "copy" and last is not None:
        label = last.product.label()
        copied = dosing.copy_forward(last.planned(), label, label, last.dilution_units_per_ml)
        rows = [_row(d) for d in copied.injections]
        note = f"Copied from the session of {last.injected_on:%Y-%m-%d} ({last.product.brand})."
        return rows, [note], last.product.code
    diagnosis = getattr(patient, "diagnosis", None)
    if start == "suggested" and diagnosis is not None and diagnosis.colcap_pattern:
        suggestions = dosing.suggest_muscles(diagnosis.components())
        rows = [_row(d) for d in dosing.suggestions_as_drafts(suggestions)]
        optional = [f"{s.label} ({s.side.value})" for s in suggestions.muscles if s.optional]
        notes = [
            "Suggested starting muscles for " + diagnosis.pattern_display + ": accept, change "
            "or remove each one, and enter your own doses."
        ] + list(suggestions.notes)
        if optional:
            notes.append("Also consider: " + ", ".join(optional) + ".")
        if any(not r["guidance"] for r in rows):
            notes.append(
                "Deep muscles need ultrasound or EMG guidance: choose the guidance for each."
            )
        return rows, notes, ""
    return [], [], ""


def _row(d: dosing.DraftInjection) -> dict:
    return {
        "muscle": d.muscle,
        "side": d.side.value,
        "units": d.units,
        "sites": d.sites,
        "guidance": d.guidance,
    }


def _product_changed(formset, units_product: str, lot: ToxinLot) -> tuple[list[dict], list[str]]:
    """Return the plan's rows with doses cleared, and orientation notes, after a product change."""
    drafts = [
        dosing.DraftInjection(
            f.cleaned_data["muscle"],
            dosing.Side(f.cleaned_data["side"]),
            f.cleaned_data.get("units"),
            f.cleaned_data.get("sites") or 1,
            f.cleaned_data.get("guidance") or "",
        )
        for f in formset
        if f.cleaned_data.get("muscle")
    ]
    old = ToxinProduct.objects.get(code=units_product)
    changed = dosing.change_product(drafts, old.label(), lot.product.label())
    notes = [changed.note] + [
        f"{dosing.MUSCLES[d.muscle]} ({d.side.value}): {d.orientation}. Orientation only: "
        "never a dose to give."
        for d in changed.injections
        if d.orientation
    ]
    return [_row(d) for d in changed.injections], notes


@login_required
def session_create(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = access_patient_record(request.user, patient_id)
    last = patient.injection_sessions.select_related("product").first()
    rows, notes, units_product = _start_rows(patient, request.GET.get("start", ""), last)
    copying = bool(last and units_product)
    initial = {
        "injected_on": timezone.localdate(),
        "clinician": getattr(request.user, "clinician", None),
        "lot": _default_lot(last.product if copying else None),
        # Dilution is copied only with the units of the same product (dosing.copy_forward).
        "dilution_units_per_ml": last.dilution_units_per_ml if copying else None,
    }
    form = SessionForm(request.POST or None, initial=initial)
    formset = InjectionRowFormSet(
        request.POST or None, initial=rows + [{}] * max(MIN_ROWS - len(rows), 3)
    )
    screening = ScreeningForm(
        request.POST or None, prefix="screening", initial={"toxin_naive": not last}
    )
    warnings = ()
    units_product = request.POST.get("units_product", units_product)
    valid = request.method == "POST" and all(
        [form.is_valid(), formset.is_valid(), screening.is_valid()]
    )
    if valid:
        planned = [p for p in (f.planned() for f in formset) if p is not None]
        lot = form.cleaned_data["lot"]
        try:
            session = actions.record_injection_session(
                request,
                actor=request.user,
                patient=patient,
                lot=lot,
                # Blank: the doses were entered fresh for the chosen product.
                units_product=units_product or lot.product.code,
                injected_on=form.cleaned_data["injected_on"],
                dilution_units_per_ml=form.cleaned_data["dilution_units_per_ml"],
                injections=planned,
                clinician=form.cleaned_data["clinician"],
                notes=form.cleaned_data["notes"],
                acknowledged=form.cleaned_data["acknowledged"],
                acknowledgement_reason=form.cleaned_data["acknowledgement_reason"],
                screening=screening.answers(),
                switch_reason=form.cleaned_data["switch_reason"],
            )
        except ProductMismatchError as exc:
            # Clear every dose and the dilution; show the old doses as orientation text only.
            rows, notes = _product_changed(formset, units_product, lot)
            data = form.data.copy()
            data["dilution_units_per_ml"] = ""
            form = SessionForm(data, initial=initial)
            form.is_valid()
            form.add_error("lot", exc.problems[0])
            formset = InjectionRowFormSet(initial=rows + [{}] * max(MIN_ROWS - len(rows), 3))
            units_product = lot.product.code
        except InvalidPlanError as exc:
            units_product = units_product or lot.product.code
            for problem in exc.problems:
                form.add_error(None, problem)
        except UnacknowledgedWarningsError as exc:
            # From now on the doses on the page were entered for this lot's product.
            units_product = units_product or lot.product.code
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
        "screening": screening,
        "warnings": warnings,
        "notes": notes,
        "last": last,
        "units_product": units_product,
        "recent_events": actions.recent_events(patient),
        "guidance_rules": safety.guidance_rows(),
        "range_tables": [
            {
                "brand": p.brand,
                "source": next(iter(safety.MUSCLE_DOSE_RANGES[p.code].values())).source,
                "rows": safety.range_rows(p.code),
            }
            for p in ToxinProduct.objects.filter(is_active=True)
            if p.code in safety.MUSCLE_DOSE_RANGES
        ],
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
    goals = list(session.gas_goals.all())
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
        "screening": getattr(session, "screening", None),
        "outcome": getattr(session, "outcome", None),
        "outcome_form": _outcome_form(session),
        "gas_goals": goals,
        "gas_t": response.gas_t_score(
            [
                response.Goal(g.weight, g.attained_level)
                for g in goals
                if g.attained_level is not None
            ]
        ),
        "gas_form": GasGoalForm(),
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


def _outcome_form(session, data=None) -> CycleOutcomeForm:
    outcome = getattr(session, "outcome", None)
    initial = {"assessed_on": timezone.localdate()}
    if outcome is not None:
        initial = {
            f: getattr(outcome, f)
            for f in ("assessed_on", "cgi_c", "pgi_c", "pain_nrs_peak", "cdip58_score", "note")
        }
    return CycleOutcomeForm(data, initial=initial)


@login_required
def cycle_outcome_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    form = _outcome_form(session, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_cycle_outcome(
                request, actor=request.user, session=session, **form.cleaned_data
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Outcome measures saved.")
            return redirect(session)
    record_access(request, Action.READ, session, detail={"view": "outcome measures"})
    return render(request, "injections/simple_form.html", _page(session, form, "Outcome measures"))


@login_required
def gas_goal_edit(
    request: HttpRequest, session_id: int, goal_id: int | None = None
) -> HttpResponse:
    session = access_session(request.user, session_id)
    goal = session.gas_goals.filter(pk=goal_id).first() if goal_id else None
    if goal_id and goal is None:
        raise Http404("No such goal.")
    initial = (
        {
            "description": goal.description,
            "weight": goal.weight,
            "baseline_level": goal.baseline_level,
            "attained_level": goal.attained_level,
        }
        if goal
        else {}
    )
    form = GasGoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.set_gas_goal(
            request, actor=request.user, session=session, goal=goal, **form.cleaned_data
        )
        messages.success(request, "Goal saved.")
        return redirect(session)
    record_access(request, Action.READ, goal or session, detail={"view": "GAS goal"})
    return render(request, "injections/simple_form.html", _page(session, form, "GAS goal"))


def _page(session, form, title):
    return {"session": session, "patient": session.patient, "form": form, "title": title}


@login_required
def side_effect_triage(request: HttpRequest) -> HttpResponse:
    """Open side-effect reports from patients, emergencies first, with time since injection."""
    rows = access_triage_list(request.user)
    record_access(
        request, Action.READ, object_type="injections.SideEffectReport", detail={"view": "triage"}
    )
    return render(request, "injections/triage_list.html", {"rows": rows})


@login_required
def side_effect_review(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_side_effect_report(request.user, report_id)
    form = SideEffectReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.review_side_effect_report(
                request, actor=request.user, report=report, **form.cleaned_data
            )
        except ValueError as exc:
            form.add_error("record_as", str(exc))
        else:
            messages.success(request, "Report reviewed.")
            return redirect("injections:side-effect-triage")
    row = triage_row(report, timezone.now())
    record_access(request, Action.READ, report, detail={"view": "side-effect review"})
    return render(request, "injections/side_effect_review.html", {"row": row, "form": form})
