"""Pages: patient self-booking, the emailed manage links, and the front-desk calendar."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from collis.audit.actions import Action, record_access
from collis.lib.throttle import rate_limit
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location
from collis.scheduling import actions, availability
from collis.scheduling import slots as core
from collis.scheduling.access import (
    access_appointment,
    access_appointment_by_token,
    access_feed,
    require_schedule_staff,
)
from collis.scheduling.calendar_grid import build_grid
from collis.scheduling.errors import InvalidLinkError, SchedulingError, SlotTakenError
from collis.scheduling.forms import (
    FIRST_AVAILABLE,
    BookingDetailsForm,
    CalendarFilterForm,
    CancelForm,
    DeskBookingForm,
    MoveForm,
    StatusForm,
    WaitlistForm,
)
from collis.scheduling.ics import appointment_ics, clinician_feed_ics
from collis.scheduling.links import manage_token, patient_from_token
from collis.scheduling.models import Appointment, AppointmentType, BookingPolicy
from collis.scheduling.recall import clinic_today, due_recalls

DAYS_PER_PAGE = 7


# --- the booking journey: type → clinician → location → slot → details → confirmation ---


class BookingChoice:
    """The choices so far, carried in the query string from step to step."""

    def __init__(self, request: HttpRequest) -> None:
        # The choices ride in the query string; a form posted to the same URL keeps them.
        params = request.GET
        self.params = params
        self.type = AppointmentType.objects.filter(
            slug=params.get("type", ""), is_active=True, bookable_online=True
        ).first()
        clinician_slug = params.get("clinician", "")
        self.clinician = (
            Clinician.objects.active().filter(slug=clinician_slug).first()
            if clinician_slug and clinician_slug != FIRST_AVAILABLE
            else None
        )
        location_slug = params.get("location", "")
        self.location = (
            Location.objects.filter(slug=location_slug, is_active=True).first()
            if location_slug and location_slug != FIRST_AVAILABLE
            else None
        )
        self.token = params.get("token", "")
        self.patient = _linked_patient(request, self.token)

    def query(self, extra: dict[str, str] | None = None) -> str:
        values = {
            "type": self.type.slug if self.type else "",
            "clinician": self.clinician.slug if self.clinician else FIRST_AVAILABLE,
            "location": self.location.slug if self.location else FIRST_AVAILABLE,
        }
        if self.token:
            values["token"] = self.token
        values.update(extra or {})
        return urlencode({k: v for k, v in values.items() if v})


def _linked_patient(request: HttpRequest, token: str) -> Patient | None:
    """The signed-in patient, or the one a signed recall/waitlist link names."""
    if request.user.is_authenticated:
        patient = Patient.objects.filter(user=request.user).first()
        if patient is not None:
            return patient
    if token:
        try:
            return Patient.objects.filter(pk=int(patient_from_token(token)["p"])).first()
        except InvalidLinkError:
            return None
    return None


def _slot_rows(slots: list[core.Slot], link: Callable[[dict], str] | None = None) -> list[dict]:
    """Decorate core slots with the names and local times the templates show."""
    zone = availability.clinic_zone()
    clinicians = Clinician.objects.in_bulk([int(s.clinician) for s in slots])
    locations = Location.objects.in_bulk([int(s.place) for s in slots if s.place])
    rows = []
    for slot in slots:
        clinician = clinicians[int(slot.clinician)]
        location = locations.get(int(slot.place)) if slot.place else None
        row = {
            "slot": slot,
            "local": slot.start.astimezone(zone),
            "clinician": clinician,
            "location": location,
            "iso": slot.start.isoformat(),
        }
        row["url"] = link(row) if link else ""
        rows.append(row)
    return rows


def _details_link(choice: BookingChoice) -> Callable[[dict], str]:
    base = reverse("scheduling:book-details")

    def link(row: dict) -> str:
        extra = {"start": row["iso"], "clinician": row["clinician"].slug}
        if row["location"] is not None:
            extra["location"] = row["location"].slug
        return f"{base}?{choice.query(extra)}"

    return link


def _desk_link(row: dict) -> str:
    local = row["local"]
    query = {
        "clinician": row["clinician"].pk,
        "date": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
    }
    if row["location"] is not None:
        query["location"] = row["location"].pk
    return f"{reverse('scheduling:desk-book')}?{urlencode(query)}"


def book_start(request: HttpRequest) -> HttpResponse:
    choice = BookingChoice(request)
    if choice.type is not None:
        return redirect(f"{reverse('scheduling:book-choose')}?{choice.query()}")
    types = AppointmentType.objects.filter(is_active=True, bookable_online=True)
    return render(
        request,
        "scheduling/booking_start.html",
        {"types": types, "choice": choice, "clinician_slug": request.GET.get("clinician", "")},
    )


def book_choose(request: HttpRequest) -> HttpResponse:
    choice = BookingChoice(request)
    if choice.type is None:
        messages.error(request, "Please choose the kind of appointment first.")
        return redirect("scheduling:book-start")
    clinicians = availability.bookable_clinicians(choice.type)
    locations = Location.objects.filter(is_active=True, clinicians__in=clinicians).distinct()
    return render(
        request,
        "scheduling/booking_choose.html",
        {"choice": choice, "clinicians": clinicians, "locations": locations},
    )


def book_slots(request: HttpRequest) -> HttpResponse:
    choice = BookingChoice(request)
    if choice.type is None:
        return redirect("scheduling:book-start")
    zone = availability.clinic_zone()
    now = timezone.now()
    first_day, since, until = _week_from(request)
    clinicians = [choice.clinician] if choice.clinician else None
    slots = availability.find_slots(
        choice.type, clinicians=clinicians, location=choice.location, since=since, until=until
    )
    days: OrderedDict[date, list[dict]] = OrderedDict()
    for row in _slot_rows(slots, _details_link(choice)):
        days.setdefault(row["local"].date(), []).append(row)
    next_free = None
    if not slots:
        upcoming = availability.find_slots(
            choice.type, clinicians=clinicians, location=choice.location, since=until, limit=1
        )
        next_free = _slot_rows(upcoming, _details_link(choice))[0] if upcoming else None
    today = now.astimezone(zone).date()
    context = {
        "choice": choice,
        "days": days,
        "first_day": first_day,
        "last_day": first_day + timedelta(days=DAYS_PER_PAGE - 1),
        "next_free": next_free,
        "previous_query": (
            choice.query({"from": (first_day - timedelta(days=DAYS_PER_PAGE)).isoformat()})
            if first_day > today
            else ""
        ),
        "next_query": choice.query(
            {"from": (first_day + timedelta(days=DAYS_PER_PAGE)).isoformat()}
        ),
        "zone_name": str(zone),
    }
    return render(request, "scheduling/booking_slots.html", context)


@require_http_methods(["GET", "POST"])
@rate_limit(lambda: settings.BOOKING_RATE_LIMIT, scope="booking", methods=("POST",))
def book_details(request: HttpRequest) -> HttpResponse:
    choice = BookingChoice(request)
    start = _parse_start(choice.params.get("start", ""))
    if choice.type is None or start is None:
        messages.error(request, "Please pick a time first.")
        return redirect("scheduling:book-start")
    form = BookingDetailsForm(request.POST or None, patient=choice.patient)
    problem: SchedulingError | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contact = actions.Contact(
            given_name=data["given_name"],
            family_name=data["family_name"],
            email=data["email"],
            phone=data["phone"],
            birth_date=data["birth_date"],
        )
        try:
            appointment = actions.book_appointment(
                appointment_type=choice.type,
                start=start,
                clinician=choice.clinician,
                location=choice.location,
                contact=contact,
                patient=choice.patient,
                reason=data["reason"],
                idempotency_key=data["idempotency_key"],
                actor=request.user,
                request=request,
            )
        except SchedulingError as exc:
            problem = exc
        else:
            url = reverse("scheduling:appointment-manage", args=[manage_token(appointment)])
            return redirect(f"{url}?booked=1")
    alternatives = (
        _slot_rows(problem.alternatives, _details_link(choice))
        if isinstance(problem, SlotTakenError)
        else []
    )
    zone = availability.clinic_zone()
    return render(
        request,
        "scheduling/booking_details.html",
        {
            "choice": choice,
            "form": form,
            "start_iso": start.isoformat(),
            "local_start": start.astimezone(zone),
            "local_end": (start + choice.type.duration).astimezone(zone),
            "problem": problem,
            "alternatives": alternatives,
        },
        status=409 if isinstance(problem, SlotTakenError) else 200,
    )


def _parse_start(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


@require_http_methods(["GET", "POST"])
def book_waitlist(request: HttpRequest) -> HttpResponse:
    choice = BookingChoice(request)
    if choice.type is None:
        return redirect("scheduling:book-start")
    form = WaitlistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.join_waitlist_online(
            contact=actions.Contact(
                data["given_name"],
                data["family_name"],
                data["email"],
                data["phone"],
                data["birth_date"],
            ),
            appointment_type=choice.type,
            clinician=choice.clinician,
            earliest=data["earliest"],
            latest=data["latest"],
            actor=request.user,
            request=request,
        )
        messages.success(
            request, "You are on the waitlist. We will email you if an earlier time frees up."
        )
        return redirect("scheduling:book-start")
    return render(request, "scheduling/booking_waitlist.html", {"choice": choice, "form": form})


# --- the emailed links: view, cancel, reschedule, calendar file ---


def appointment_manage(request: HttpRequest, token: str) -> HttpResponse:
    appointment = access_appointment_by_token(request, token)
    policy = BookingPolicy.current()
    can_change = appointment.status in (
        Appointment.Status.REQUESTED,
        Appointment.Status.CONFIRMED,
    ) and appointment.start - timezone.now() >= timedelta(hours=policy.cancellation_window_hours)
    zone = availability.clinic_zone()
    return render(
        request,
        "scheduling/appointment_manage.html",
        {
            "appointment": appointment,
            "token": token,
            "just_booked": request.GET.get("booked") == "1",
            "local_start": appointment.start.astimezone(zone),
            "local_end": appointment.end.astimezone(zone),
            "can_change": can_change,
            "window_hours": policy.cancellation_window_hours,
        },
    )


@require_http_methods(["GET", "POST"])
def appointment_cancel(request: HttpRequest, token: str) -> HttpResponse:
    appointment = access_appointment_by_token(request, token)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_appointment(
                appointment,
                reason=form.cleaned_data["reason"],
                by_patient=True,
                actor=request.user,
                request=request,
            )
        except SchedulingError as exc:
            messages.error(request, exc.user_message)
        else:
            messages.success(request, "Your appointment is cancelled. We emailed you a note.")
        return redirect("scheduling:appointment-manage", token=token)
    return render(
        request,
        "scheduling/appointment_cancel.html",
        {
            "appointment": appointment,
            "token": token,
            "form": form,
            "local_start": appointment.start.astimezone(availability.clinic_zone()),
        },
    )


@require_http_methods(["GET", "POST"])
def appointment_reschedule(request: HttpRequest, token: str) -> HttpResponse:
    appointment = access_appointment_by_token(request, token)
    if request.method == "POST":
        new_start = _parse_start(request.POST.get("start", ""))
        if new_start is None:
            messages.error(request, "Please pick one of the times shown.")
        else:
            try:
                actions.reschedule_appointment(
                    appointment,
                    new_start=new_start,
                    by_patient=True,
                    actor=request.user,
                    request=request,
                )
            except SchedulingError as exc:
                messages.error(request, exc.user_message)
            else:
                messages.success(request, "Your appointment has moved. We emailed the new time.")
                return redirect("scheduling:appointment-manage", token=token)
    first_day, since, until = _week_from(request)
    slots = availability.find_slots(
        appointment.appointment_type, clinicians=[appointment.clinician], since=since, until=until
    )
    days: OrderedDict[date, list[dict]] = OrderedDict()
    for row in _slot_rows(slots):
        days.setdefault(row["local"].date(), []).append(row)
    return render(
        request,
        "scheduling/appointment_reschedule.html",
        {
            "appointment": appointment,
            "token": token,
            "days": days,
            "next_query": urlencode({"from": first_day + timedelta(days=DAYS_PER_PAGE)}),
            "previous_query": urlencode({"from": first_day - timedelta(days=DAYS_PER_PAGE)}),
        },
    )


def _week_from(request: HttpRequest) -> tuple[date, datetime, datetime]:
    """The page of days to show: from ?from= (never before today), DAYS_PER_PAGE long."""
    zone = availability.clinic_zone()
    today = timezone.now().astimezone(zone).date()
    try:
        first_day = max(date.fromisoformat(request.GET.get("from", "")), today)
    except ValueError:
        first_day = today
    since = core.wall_to_utc(first_day, datetime.min.time(), zone)
    until = core.wall_to_utc(first_day + timedelta(days=DAYS_PER_PAGE), datetime.min.time(), zone)
    return first_day, since, until


def appointment_ics_download(request: HttpRequest, token: str) -> HttpResponse:
    appointment = access_appointment_by_token(request, token)
    response = HttpResponse(appointment_ics(appointment), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


def clinician_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = access_feed(token)
    since = timezone.now() - timedelta(days=30)
    appointments = (
        Appointment.objects.active()
        .filter(clinician=feed.clinician, start__gte=since)
        .select_related("appointment_type", "location", "clinician")
    )
    record_access(request, Action.EXPORT, feed, detail={"via": "calendar feed"})
    body = clinician_feed_ics(f"{feed.clinician.display_name} – Collis", appointments)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- front desk ---


@login_required
def desk_calendar(request: HttpRequest) -> HttpResponse:
    require_schedule_staff(request.user)
    form = CalendarFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    zone = availability.clinic_zone()
    day = data.get("date") or timezone.now().astimezone(zone).date()
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
    clinicians = list(Clinician.objects.active())
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
    form = DeskBookingForm(request.POST or None, initial=request.GET.dict())
    problem: SchedulingError | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        patient = data["patient"]
        try:
            appointment = actions.book_appointment(
                appointment_type=data["appointment_type"],
                start=form.local_start(),
                clinician=data["clinician"],
                location=data["location"],
                patient=patient,
                contact=actions.Contact(
                    patient.given_name, patient.family_name, patient.email, patient.phone
                ),
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
            return redirect("scheduling:desk-appointment", pk=appointment.pk)
    alternatives = (
        _slot_rows(problem.alternatives, _desk_link) if isinstance(problem, SlotTakenError) else []
    )
    return render(
        request,
        "scheduling/desk_book.html",
        {"form": form, "problem": problem, "alternatives": alternatives},
    )


@login_required
def desk_appointment(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = access_appointment(request, pk)
    zone = availability.clinic_zone()
    local = appointment.start.astimezone(zone)
    move_form = MoveForm(
        initial={"clinician": appointment.clinician, "date": local.date(), "time": local.time()}
    )
    return render(
        request,
        "scheduling/desk_appointment.html",
        {
            "appointment": appointment,
            "local_start": local,
            "local_end": appointment.end.astimezone(zone),
            "move_form": move_form,
            "cancel_form": CancelForm(),
            "next_statuses": sorted(actions.TRANSITIONS.get(appointment.status, set())),
            "status_labels": dict(Appointment.Status.choices),
            "manage_token": manage_token(appointment),
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
    return render(request, "scheduling/desk_recalls.html", {"rows": rows, "today": today})


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
