"""Supply pages: stock, vials, session draws and claim lines, authorisations, reports."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from collis.accounts.guards import staff_member_required
from collis.accounts.roles import is_administrator
from collis.audit.actions import Action, record_access
from collis.supply import actions, inventory, reports
from collis.supply.access import (
    CLINICIANS,
    MANAGERS,
    VIAL_HANDLERS,
    get_lot,
    get_session,
    get_vial,
)
from collis.supply.errors import SupplyError
from collis.supply.forms import (
    AdjustForm,
    AuthorisationForm,
    CountForm,
    DayForm,
    DrawForm,
    MonthForm,
    OpenVialForm,
    PolicyForm,
    RecallForm,
    ReceiveForm,
    TransferForm,
)
from collis.supply.models import StockReceipt, SupplyPolicy, Vial


@staff_member_required(role=VIAL_HANDLERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = inventory.stock_rows(today)
    context = {
        "rows": rows,
        "expiring": [r for r in rows if (r.expiring_soon or r.expired) and r.unopened],
        "reorder": inventory.below_reorder_rows(today),
        "open_vials": Vial.objects.filter(closed_at__isnull=True).select_related(
            "lot__product", "location"
        ),
        "now": timezone.now(),
        "authorisations": inventory.expiring_authorisations(today),
        "is_manager": is_administrator(request.user),
    }
    # The page names patients whose authorisations end soon: an audited read.
    record_access(
        request,
        Action.READ,
        object_type="supply.PriorAuthorization",
        detail={"view": "stock", "expiring": [a.pk for a in context["authorisations"]]},
    )
    return render(request, "supply/dashboard.html", context)


@staff_member_required(role=MANAGERS)
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest) -> HttpResponse:
    form = ReceiveForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            receipt = actions.receive_stock(request, actor=request.user, **form.cleaned_data)
        except SupplyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Received {receipt}.")
            return redirect("supply:lot-detail", lot_id=receipt.lot_id)
    return render(
        request,
        "supply/form_page.html",
        {"form": form, "heading": "Receive stock", "submit": "Receive"},
    )


@staff_member_required(role=MANAGERS)
def lot_detail(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = get_lot(lot_id)
    context = {
        "lot": lot,
        "balance": inventory.lot_balance(lot),
        "receipts": StockReceipt.objects.filter(lot=lot).select_related("location"),
        "adjustments": lot.adjustments.select_related("location", "adjusted_by"),
        "vials": lot.opened_vials.select_related("location", "reconstituted_by"),
        "adjust_form": AdjustForm(),
        "count_form": CountForm(),
        "recall_form": RecallForm(),
        "transfer_form": TransferForm(),
    }
    return render(request, "supply/lot_detail.html", context)


def _lot_change(request: HttpRequest, lot_id: int, form_class, change) -> HttpResponse:
    lot = get_lot(lot_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = change(lot, form.cleaned_data)
        except SupplyError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
    else:
        messages.error(request, "Check the form: " + form.errors.as_text())
    return redirect("supply:lot-detail", lot_id=lot.pk)


@staff_member_required(role=MANAGERS)
@require_POST
def lot_adjust(request: HttpRequest, lot_id: int) -> HttpResponse:
    def change(lot, data):
        actions.adjust_stock(request, actor=request.user, lot=lot, **data)
        return "Adjustment recorded."

    return _lot_change(request, lot_id, AdjustForm, change)


@staff_member_required(role=MANAGERS)
@require_POST
def lot_count(request: HttpRequest, lot_id: int) -> HttpResponse:
    def change(lot, data):
        found = actions.count_stock(request, actor=request.user, lot=lot, **data)
        return "Count matches the records." if found is None else f"Count recorded: {found}."

    return _lot_change(request, lot_id, CountForm, change)


@staff_member_required(role=MANAGERS)
@require_POST
def lot_transfer(request: HttpRequest, lot_id: int) -> HttpResponse:
    def change(lot, data):
        actions.transfer_stock(request, actor=request.user, lot=lot, **data)
        return f"{data['vials']} vial(s) moved to {data['to_location']}."

    return _lot_change(request, lot_id, TransferForm, change)


@staff_member_required(role=MANAGERS)
@require_http_methods(["GET", "POST"])
def lot_recall(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = get_lot(lot_id)
    if request.method == "POST":
        return _lot_change(
            request,
            lot_id,
            RecallForm,
            lambda lot, data: (
                f"{len(actions.recall_lot(request, actor=request.user, lot=lot, **data))} "
                "location(s) emptied."
            ),
        )
    patients = inventory.recall_patients(lot)
    record_access(request, Action.READ, lot, detail={"view": "recall", "patients": len(patients)})
    return render(request, "supply/lot_recall.html", {"lot": lot, "patients": patients})


@staff_member_required(role=VIAL_HANDLERS)
@require_http_methods(["GET", "POST"])
def vial_open(request: HttpRequest) -> HttpResponse:
    form = OpenVialForm(request.POST or None, initial=request.GET.dict())
    form.fields["lot"].queryset = (
        form.fields["lot"]
        .queryset.filter(expires_on__gte=timezone.localdate(), receipts__isnull=False)
        .distinct()
    )
    if request.method == "POST" and form.is_valid():
        try:
            vial = actions.open_vial(request, actor=request.user, **form.cleaned_data)
        except SupplyError as exc:
            form.add_error(None, exc.message)
        else:
            local = timezone.localtime(vial.beyond_use_at)
            messages.success(request, f"{vial} opened; use before {local:%Y-%m-%d %H:%M}.")
            return redirect(_safe_next(request) or "supply:dashboard")
    intro = (
        "Record the reconstitution: the beyond-use time comes from the product's label "
        "(Botox, Dysport, Xeomin 24 h; Daxxify 72 h [S]; Myobloc 4 h [U])."
    )
    return render(
        request,
        "supply/form_page.html",
        {"form": form, "heading": "Open a vial", "submit": "Open vial", "intro": intro},
    )


@staff_member_required(role=VIAL_HANDLERS)
@require_POST
def vial_close(request: HttpRequest, vial_id: int) -> HttpResponse:
    vial = get_vial(vial_id)
    try:
        vial = actions.close_vial(request, actor=request.user, vial=vial)
    except SupplyError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{vial} closed; {vial.discarded_units} U discarded.")
    return redirect(_safe_next(request) or "supply:dashboard")


def _safe_next(request: HttpRequest) -> str | None:
    """A same-site path to go back to after a form, or None."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else None


@staff_member_required(role=CLINICIANS)
@require_http_methods(["GET", "POST"])
def session_supply(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_session(session_id)
    draws = list(session.vial_draws.select_related("vial__lot"))
    vials = [] if draws else inventory.selectable_vials(session.product, session.patient)
    form = DrawForm(request.POST or None, vials=vials)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_draws(
                request, actor=request.user, session=session, draws=form.draws(vials)
            )
        except SupplyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Vial draws recorded.")
            return redirect("supply:session", session_id=session.pk)
    record_access(request, Action.READ, session, detail={"view": "supply"})
    context = {
        "session": session,
        "draws": draws,
        "form": form,
        "has_vials": bool(vials),
        "claim": inventory.session_claim(session),
    }
    return render(request, "supply/session.html", context)


def _day(request: HttpRequest) -> date:
    form = DayForm(request.GET or None)
    return (form.cleaned_data.get("date") if form.is_valid() else None) or timezone.localdate()


CSV_FIELDS = [
    "date", "mrn", "patient", "session", "code", "modifiers", "billing_units",
    "product_units", "ndc", "diagnosis", "description", "evidence", "problems",
]  # fmt: skip


def _claim_rows(day: date):
    table = inventory.code_table()
    for session in inventory.sessions_on(day):
        claim = inventory.session_claim(session, table)
        for line in claim.lines:
            yield session, claim, line


@staff_member_required(role=MANAGERS)
def claims_day(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    rows = list(_claim_rows(day))
    record_access(request, Action.READ, object_type="supply.ClaimLines", object_id=day.isoformat())
    return render(
        request, "supply/claims_day.html", {"day": day, "rows": rows, "form": DayForm(request.GET)}
    )


@staff_member_required(role=MANAGERS)
def claims_csv(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="claim-lines-{day}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.DictWriter(response, fieldnames=CSV_FIELDS)
    writer.writeheader()
    count = 0
    for session, claim, line in _claim_rows(day):
        writer.writerow(
            {
                "date": day.isoformat(),
                "mrn": session.patient.mrn,
                "patient": session.patient.full_name,
                "session": session.pk,
                **line.as_row(),
                "problems": " | ".join(claim.problems),
            }
        )
        count += 1
    record_access(
        request,
        Action.EXPORT,
        object_type="supply.ClaimLines",
        object_id=day.isoformat(),
        detail={"lines": count},
    )
    return response


@staff_member_required(role=MANAGERS)
def authorisation_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    record_access(
        request, Action.READ, object_type="supply.PriorAuthorization", detail={"view": "list"}
    )
    return render(
        request,
        "supply/authorisation_list.html",
        {
            "expiring": inventory.expiring_authorisations(today),
            "usage": reports.authorisation_usage(today),
            "today": today,
        },
    )


@staff_member_required(role=MANAGERS)
@require_http_methods(["GET", "POST"])
def authorisation_create(request: HttpRequest) -> HttpResponse:
    form = AuthorisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_authorisation(request, actor=request.user, **form.cleaned_data)
        except SupplyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Authorisation recorded.")
            return redirect("supply:authorisations")
    return render(
        request,
        "supply/form_page.html",
        {"form": form, "heading": "New prior authorisation", "submit": "Save authorisation"},
    )


@staff_member_required(role=MANAGERS)
def report(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.GET or None)
    today = timezone.localdate()
    chosen = form.cleaned_data.get("month") if form.is_valid() else None
    year, month = chosen or (today.year, today.month)
    start, end = reports.month_bounds(year, month)
    uses = reports.session_uses(start, end)
    previous = start - timedelta(days=1)
    return render(
        request,
        "supply/report.html",
        {
            "form": form,
            "month": f"{year:04d}-{month:02d}",
            "previous_month": f"{previous.year:04d}-{previous.month:02d}",
            "next_month": f"{end.year:04d}-{end.month:02d}",
            "products": reports.product_month(start, end),
            "clinicians": reports.waste_by_clinician(start, end),
            "uses": uses,
            "usage": reports.authorisation_usage(today),
        },
    )


@staff_member_required(role=MANAGERS)
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    current = SupplyPolicy.current()
    form = PolicyForm(
        request.POST or None,
        initial={
            "multi_patient_vials": current.multi_patient_vials,
            "multi_patient_policy": current.multi_patient_policy,
            "expiring_soon_days": current.expiring_soon_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_supply_policy(request, actor=request.user, **form.cleaned_data)
        except SupplyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Supply policy saved.")
            return redirect("supply:policy")
    intro = (
        "Single-dose vials serve one patient unless the clinic documents a multi-patient "
        "policy here."
    )
    return render(
        request,
        "supply/form_page.html",
        {"form": form, "heading": "Supply policy", "submit": "Save policy", "intro": intro},
    )
