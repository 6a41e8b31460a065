"""The front desk: day/week calendar, staff booking, status changes, recalls, feeds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from collis.audit.actions import Action, record_access
from collis.lib.booking_checks import booking_warnings
from collis.lib.inputs import parse_date as parse_sane_date
from collis.lib.inputs import parse_id
from collis.patients.models import Patient
from collis.providers.models import Clinician
from collis.scheduling import actions, availability
from collis.scheduling import slots as core
from collis.scheduling.access import (
    access_appointment,
    require_schedule_staff,
)
from collis.scheduling.advice import booking_advice
from collis.scheduling.calendar_grid import build_grid
from collis.scheduling.errors import SchedulingError, SlotTakenError
from collis.scheduling.forms import (
    CalendarFilterForm,
    CancelForm,
    DeskBookingForm,
    FreeTimesForm,
    MoveForm,
    NewPatientForm,
    RecallActionForm,
    StatusForm,
    UndoStatusForm,
)
from collis.scheduling.links import manage_token
from collis.scheduling.models import Appointment, AppointmentType, BookingPolicy
from collis.scheduling.ports import recall_notes
from collis.scheduling.recall import clinic_today, due_recalls
from collis.scheduling.views.slot_pages import slot_rows


def _desk_link(keep: dict[str, str]):
    """Links to the desk form for a nearby time, keeping the patient and type already chosen."""

    def link(row: dict) -> str:
        local = row["local"]
        query = {
            **keep,
            "clinician": row["clinician"].pk,
            "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
        }
        if row["location"] is not None:
            query["location"] = row["location"].pk
        return f"{reverse('scheduling:desk-book')}?{urlencode(query)}"

    return link


@login_required
def desk_calendar(request: HttpRequest) -> HttpResponse:
    require_schedule_staff(request.user)
    zone = availability.clinic_zone()
    today = timezone.now().astimezone(zone).date()
    params = request.GET.copy()
    if not params.get("date"):  # the date box shows the day on screen, not an empty mm/dd/yyyy
        params["date"] = today.isoformat()
    form = CalendarFilterForm(params)
    data = form.cleaned_data if form.is_valid() else {}
    day = data.get("date") or today
    view = data.get("view") or "day"
    clinician = data.get("clinician")
    location = data.get("location")
    if view == "week":
        day = day - timedelta(days=day.weekday())
        days = [day + timedelta(days=i) for i in range(7)]
    else:
        days = [day]
    since = core.wall_to_utc(days[0], datetime.min.time(), zone)
    until = core.wall_to_utc(days[-1] + timedelta(days=1), datetime.min.time(), zone)
    appointments = (
        Appointment.objects.filter(start__gte=since, start__lt=until)
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("patient", "clinician", "location", "appointment_type")
    )
    clinicians = list(Clinician.objects.active().prefetch_related("locations"))
    if location is not None:
        appointments = appointments.filter(location=location)
        clinicians = [c for c in clinicians if location in c.locations.all()]
    if clinician is not None:
        appointments = appointments.filter(clinician=clinician)
        clinicians = [clinician]
    if view == "week":
        columns = days
        items = [
            (a.start.astimezone(zone).date(), a.start.astimezone(zone), a) for a in appointments
        ]
        headers = [d.strftime("%a %b ") + str(d.day) for d in days]
    else:
        columns = [c.pk for c in clinicians]
        items = [(a.clinician_id, a.start.astimezone(zone), a) for a in appointments]
        headers = [c.display_name for c in clinicians]
    record_access(
        request, Action.READ, object_type="scheduling.Calendar", detail={"from": str(days[0])}
    )
    step = timedelta(days=7 if view == "week" else 1)
    base = {"view": view}
    if clinician:
        base["clinician"] = clinician.slug
    if location:
        base["location"] = location.slug
    return render(
        request,
        "scheduling/desk_calendar.html",
        {
            "form": form,
            "rows": build_grid(columns, items),
            "headers": headers,
            "days": days,
            "view": view,
            "count": len(items),
            "previous_query": urlencode({**base, "date": (days[0] - step).isoformat()}),
            "next_query": urlencode({**base, "date": (days[0] + step).isoformat()}),
            "zone": zone,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk_book(request: HttpRequest) -> HttpResponse:
    require_schedule_staff(request.user)
    # Prefill from the query string, keeping only ids that are ids (odd input is ignored).
    initial = {
        k: v
        for k, v in request.GET.dict().items()
        if k not in {"patient", "clinician", "location", "appointment_type"} or parse_id(v)
    }
    form = DeskBookingForm(request.POST or None, initial=initial)
    query = request.GET.get("q", "").strip()[:100]
    if request.method == "GET":
        # A patient picker, not a list of every patient: the matches, and the one chosen.
        chosen = request.GET.get("patient", "")
        matches = matching_patients(query) if query else Patient.objects.none()
        if parse_id(chosen):
            matches = matches | Patient.objects.filter(pk=parse_id(chosen))
        form.fields["patient"].queryset = matches.distinct()
        if not chosen and query and len(found := list(matches[:2])) == 1:
            form.initial["patient"] = found[0].pk  # one match: chosen already
    problem: SchedulingError | None = None
    advice: list[str] | None = None
    if request.method == "POST" and "check" in request.POST and form.is_valid():
        # "Check first": show other apps' advice (prior authorisation) without booking.
        data = form.cleaned_data
        advice = booking_warnings(
            data["patient"].pk,
            data["date"],
            is_injection=data["appointment_type"].is_reinjection,
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        patient = data["patient"]
        try:
            appointment = actions.book_appointment(
                appointment_type=data["appointment_type"],
                start=form.local_start(),
                clinician=data["clinician"],
                location=data["location"],
                patient=patient,
                contact=actions.Contact.of(patient),
                reason=data["reason"],
                source=Appointment.Source.STAFF,
                override_reason=data["override_reason"],
                actor=request.user,
                request=request,
            )
        except SchedulingError as exc:
            problem = exc
        else:
            messages.success(request, f"Booked: {appointment}.")
            for warning in booking_advice(appointment):
                messages.warning(request, warning)
            return redirect("scheduling:desk-appointment", pk=appointment.pk)
    keep = {
        k: request.POST[k] for k in ("patient", "appointment_type", "reason") if request.POST.get(k)
    }
    alternatives = (
        slot_rows(problem.alternatives, _desk_link(keep))
        if isinstance(problem, SlotTakenError)
        else []
    )
    return render(
        request,
        "scheduling/desk_book.html",
        {
            "form": form,
            "problem": problem,
            "alternatives": alternatives,
            "advice": advice,
            "patient_query": query,
            "picked": form.fields["patient"].queryset if request.method == "GET" else None,
            "free_times": _free_times(request.GET),
            "new_patient_form": NewPatientForm(prefix="new"),
            "free_form": FreeTimesForm(initial=request.GET.dict(), auto_id="free_%s"),
            "keep": {k: v for k, v in request.GET.items() if k not in ("q", "time")},
        },
    )


@login_required
@require_POST
def desk_new_patient(request: HttpRequest) -> HttpResponse:
    """Add a patient from the booking form, then come back with them chosen."""
    from collis.patients import actions as patient_actions
    from collis.patients.errors import DuplicatePatientError, PatientsError

    require_schedule_staff(request.user)
    form = NewPatientForm(request.POST, prefix="new")
    keep = {
        k: request.POST[k] for k in ("appointment_type", "clinician", "date") if request.POST.get(k)
    }
    book = reverse("scheduling:desk-book")
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[k].label if k in form.fields else ''} {' '.join(v)}".strip()
            for k, v in form.errors.items()
        )
        messages.error(request, f"The new patient was not added: {problems}")
        return redirect(f"{book}?{urlencode(keep)}#new-patient-h")
    try:
        patient = patient_actions.register_patient(
            **form.cleaned_data, actor=request.user, request=request
        )
    except DuplicatePatientError as exc:
        messages.warning(request, f"{exc} It is chosen below.")
        return redirect(f"{book}?{urlencode({**keep, 'patient': exc.existing_id})}")
    except PatientsError as exc:
        messages.error(request, str(exc))
        return redirect(f"{book}?{urlencode(keep)}#new-patient-h")
    messages.success(request, f"Added {patient.full_name} ({patient.mrn}).")
    return redirect(f"{book}?{urlencode({**keep, 'patient': patient.pk})}")


def matching_patients(query: str):
    """Patients whose name, MRN, birth date (YYYY-MM-DD) or phone matches ``query``."""
    found = Patient.objects.none()
    try:
        born = date.fromisoformat(query)
    except ValueError:
        born = None
    digits = "".join(ch for ch in query if ch.isdigit())
    condition = Q(mrn__iexact=query)
    for word in query.split():
        condition |= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    if born is not None:
        condition |= Q(birth_date=born)
    if len(digits) >= 4 and born is None:
        condition |= Q(phone_digits__contains=digits)
    found = (
        Patient.objects.annotate(
            phone_digits=Replace(
                Replace(
                    Replace(Replace(F("phone"), Value("("), Value("")), Value(")"), Value("")),
                    Value("-"),
                    Value(""),
                ),
                Value(" "),
                Value(""),
            )
        )
        .filter(condition)
        .order_by("family_name", "given_name")
    )
    return Patient.objects.filter(pk__in=found.values("pk")[:50])


def _free_times(params) -> list[dict]:
    """Free times on one day for a clinician and visit type (the desk's slot picker)."""
    from collis.scheduling.models import AppointmentType

    kind = AppointmentType.objects.filter(pk=parse_id(params.get("appointment_type")) or 0).first()
    keep = {k: v for k, v in params.items() if k in ("patient", "appointment_type", "reason")}
    return free_slot_rows(kind, params, _desk_link(keep))


def free_slot_rows(
    kind, params, link, *, owner: int | None = None, exclude: Appointment | None = None
) -> list[dict]:
    """A clinician's free times for ``kind`` on ``params['date']`` as rows linked by ``link``.

    The slot picker the desk booking, move and waitlist-offer pages share. Times held for a
    waitlisted patient (other than ``owner``, a patient id) are left out; ``exclude`` is an
    appointment being moved, whose own time counts as free.
    """
    from collis.providers.models import Location

    clinician = Clinician.objects.filter(pk=parse_id(params.get("clinician")) or 0).first()
    try:
        day = parse_sane_date(params.get("date", ""))
        if day is None:
            raise ValueError("not a date in range")
    except ValueError:
        return []
    if kind is None or clinician is None:
        return []
    location = Location.objects.filter(pk=parse_id(params.get("location")) or 0).first()
    zone = availability.clinic_zone()
    since = core.wall_to_utc(day, datetime.min.time(), zone)
    slots = availability.find_slots(
        kind,
        clinicians=[clinician],
        location=location,
        since=since,
        until=since + timedelta(days=1),
        for_staff=True,
        exclude_appointment=exclude,
        hold_owner=owner,
    )
    return slot_rows(slots, link)


@login_required
def desk_appointment(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = access_appointment(request, pk)
    zone = availability.clinic_zone()
    local = appointment.start.astimezone(zone)
    # The move form's slot picker: ?clinician=&date= lists free times; a chosen ?time= fills it.
    picked = {k: request.GET[k] for k in ("clinician", "date", "time") if request.GET.get(k)}
    move_initial = {
        "clinician": appointment.clinician.pk,
        "date": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
        **picked,
    }
    move_form = MoveForm(initial=move_initial)
    move_times = []
    if "clinician" in picked or "date" in picked:

        def move_link(row: dict) -> str:
            query = {
                "clinician": row["clinician"].pk,
                "date": row["local"].date().isoformat(),
                "time": row["local"].strftime("%H:%M"),
            }
            path = reverse("scheduling:desk-appointment", args=[appointment.pk])
            return f"{path}?{urlencode(query)}#move-h"

        move_times = free_slot_rows(
            appointment.appointment_type,
            {**move_initial, "location": ""},
            move_link,
            owner=appointment.patient_id,
            exclude=appointment,
        )
    return render(
        request,
        "scheduling/desk_appointment.html",
        {
            "appointment": appointment,
            "local_start": local,
            "local_end": appointment.end.astimezone(zone),
            "move_form": move_form,
            "move_times": move_times,
            "move_picker": FreeTimesForm(initial=move_initial, auto_id="move_%s"),
            "move_searched": "clinician" in picked or "date" in picked,
            "cancel_form": CancelForm(),
            "undo_form": UndoStatusForm(),
            "next_statuses": actions.allowed_statuses(appointment),
            "can_undo": appointment.status in actions.UNDO,
            "undo_to": Appointment.Status(actions.UNDO[appointment.status]).label.lower()
            if appointment.status in actions.UNDO
            else "",
            "status_labels": dict(Appointment.Status.choices),
            "manage_token": manage_token(appointment),
            "booking_warnings": booking_advice(appointment),
        },
    )


def _desk_change(request: HttpRequest, pk: int, change) -> HttpResponse:
    appointment = access_appointment(request, pk)
    try:
        message = change(appointment)
    except SchedulingError as exc:
        messages.error(request, exc.user_message)
    else:
        messages.success(request, message)
    return redirect("scheduling:desk-appointment", pk=pk)


@login_required
@require_POST
def desk_status(request: HttpRequest, pk: int) -> HttpResponse:
    require_schedule_staff(request.user)  # before reading input: outsiders learn nothing
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Unknown status.")
        return redirect("scheduling:desk-appointment", pk=pk)
    status = form.cleaned_data["status"]

    def change(appointment: Appointment) -> str:
        actions.set_appointment_status(appointment, status, actor=request.user, request=request)
        return f"Marked {Appointment.Status(status).label.lower()}."

    return _desk_change(request, pk, change)


@login_required
@require_POST
def desk_status_undo(request: HttpRequest, pk: int) -> HttpResponse:
    require_schedule_staff(request.user)  # before reading input: outsiders learn nothing
    form = UndoStatusForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def change(appointment: Appointment) -> str:
        undone = actions.undo_appointment_status(
            appointment, reason=reason, actor=request.user, request=request
        )
        return f"Status set back to {undone.get_status_display().lower()}. The reason is recorded."

    return _desk_change(request, pk, change)


@login_required
@require_POST
def desk_move(request: HttpRequest, pk: int) -> HttpResponse:
    require_schedule_staff(request.user)  # before reading input: outsiders learn nothing
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a clinician, a date and a time.")
        return redirect("scheduling:desk-appointment", pk=pk)

    def change(appointment: Appointment) -> str:
        actions.reschedule_appointment(
            appointment,
            new_start=form.local_start(),
            clinician=form.cleaned_data["clinician"],
            override_reason=form.cleaned_data["override_reason"],
            actor=request.user,
            request=request,
        )
        return "Moved. The patient was emailed the new time."

    return _desk_change(request, pk, change)


@login_required
@require_POST
def desk_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    require_schedule_staff(request.user)  # before reading input: outsiders learn nothing
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def change(appointment: Appointment) -> str:
        actions.cancel_appointment(appointment, reason=reason, actor=request.user, request=request)
        return "Cancelled. The patient was emailed and the time offered to the waitlist."

    return _desk_change(request, pk, change)


@login_required
def desk_recalls(request: HttpRequest) -> HttpResponse:
    require_schedule_staff(request.user)
    today = clinic_today()
    rows = due_recalls(today, within_days=BookingPolicy.current().recall_lead_days)
    record_access(request, Action.READ, object_type="scheduling.InjectionRecall", detail={})
    notes = recall_notes(row.recall.patient_id for row in rows)
    rows = [replace(row, notes=tuple(notes.get(row.recall.patient_id, ()))) for row in rows]
    reinjection = AppointmentType.objects.filter(is_reinjection=True, is_active=True).first()
    return render(
        request,
        "scheduling/desk_recalls.html",
        {
            "rows": rows,
            "today": today,
            "reinjection": reinjection,
            "snooze_default": today + timedelta(days=7),
        },
    )


@login_required
@require_POST
def desk_recall_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Send a recall now, snooze it with a reason, or mark the patient unreachable."""
    from collis.scheduling.models import InjectionRecall

    require_schedule_staff(request.user)
    recall = InjectionRecall.objects.select_related("patient").filter(pk=pk).first()
    if recall is None:
        raise Http404("No such recall.")
    form = RecallActionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        if action == "send":
            actions.send_recall_now(recall, actor=request.user, request=request)
            messages.success(request, f"Recall emailed to {recall.patient.full_name}.")
        elif action == "snooze":
            until = data.get("until") or clinic_today() + timedelta(days=7)
            actions.snooze_recall(
                recall, until=until, reason=data.get("reason", ""), actor=request.user,
                request=request,
            )  # fmt: skip
            messages.success(request, f"{recall.patient.full_name} is back on the list {until}.")
        elif action == "unreachable":
            actions.mark_recall_unreachable(
                recall, note=data.get("reason", ""), actor=request.user, request=request
            )
            messages.success(request, f"{recall.patient.full_name} marked unreachable.")
        else:
            raise Http404("No such action.")
    except SchedulingError as exc:
        messages.error(request, exc.user_message)
    return redirect("scheduling:desk-recalls")


@login_required
@require_http_methods(["GET", "POST"])
def desk_feed(request: HttpRequest) -> HttpResponse:
    """A clinician's own private calendar-feed URL, with a button to revoke and renew it."""
    clinician = Clinician.objects.filter(user=request.user).first()
    if clinician is None:
        raise Http404("Only clinicians have a calendar feed.")
    if request.method == "POST":
        actions.rotate_calendar_feed(clinician, actor=request.user, request=request)
        messages.success(request, "Your feed has a new address; the old one no longer works.")
        return redirect("scheduling:desk-feed")
    feed = actions.ensure_calendar_feed(clinician)
    url = request.build_absolute_uri(reverse("scheduling:clinician-feed", args=[feed.token]))
    return render(request, "scheduling/desk_feed.html", {"feed_url": url, "clinician": clinician})
