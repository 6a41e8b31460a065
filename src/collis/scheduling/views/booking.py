"""The public booking journey: type → clinician → location → slot → details → confirmation."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from collis.accounts.roles import Role, has_role
from collis.lib.throttle import rate_limit
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location
from collis.scheduling import actions, availability
from collis.scheduling.errors import InvalidLinkError, SchedulingError, SlotTakenError
from collis.scheduling.forms import (
    FIRST_AVAILABLE,
    BookingDetailsForm,
    WaitlistForm,
)
from collis.scheduling.links import manage_token, patient_from_token
from collis.scheduling.models import Appointment, AppointmentType, InjectionRecall
from collis.scheduling.views.slot_pages import DAYS_PER_PAGE, parse_start, slot_rows, week_from

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
    if has_role(request.user, Role.PATIENT):  # never a staff account (see has_role)
        patient = Patient.objects.filter(user=request.user).first()
        if patient is not None:
            return patient
    if token:
        try:
            return Patient.objects.filter(pk=int(patient_from_token(token)["p"])).first()
        except InvalidLinkError:
            return None
    return None


def _details_link(choice: BookingChoice) -> Callable[[dict], str]:
    base = reverse("scheduling:book-details")

    def link(row: dict) -> str:
        extra = {"start": row["iso"], "clinician": row["clinician"].slug}
        if row["location"] is not None:
            extra["location"] = row["location"].slug
        return f"{base}?{choice.query(extra)}"

    return link


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
        messages.error(request, _("Please choose the kind of appointment first."))
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
    first_day, since, until = week_from(request)
    due_on = _reinjection_due(choice)
    if due_on is not None and first_day < due_on:
        # The minimum interval has not passed: start the picker on the first day allowed.
        first_day, since, until = week_from(request, earliest=due_on)
    slots = availability.free_slots(
        choice.type, clinician=choice.clinician, location=choice.location, since=since, until=until
    )
    days: OrderedDict[date, list[dict]] = OrderedDict()
    for row in slot_rows(slots, _details_link(choice)):
        days.setdefault(row["local"].date(), []).append(row)
    next_free = None
    if not slots:
        upcoming = availability.free_slots(
            choice.type, clinician=choice.clinician, location=choice.location, since=until, limit=1
        )
        next_free = slot_rows(upcoming, _details_link(choice))[0] if upcoming else None
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
        "due_on": due_on,
    }
    return render(request, "scheduling/booking_slots.html", context)


def _reinjection_due(choice: BookingChoice):
    """The first day a known patient may have the next toxin injection, if still ahead."""
    if choice.type is None or not choice.type.is_reinjection or choice.patient is None:
        return None
    recall = InjectionRecall.objects.filter(patient=choice.patient).first()
    if (
        recall is None
        or recall.due_on <= timezone.now().astimezone(availability.clinic_zone()).date()
    ):
        return None
    return recall.due_on


BOOKED_IN_SESSION = "scheduling.booked"


def _remember_booking(request: HttpRequest, appointment: Appointment) -> None:
    """Keep the last few bookings made in this browser session (ids only)."""
    booked = [pk for pk in request.session.get(BOOKED_IN_SESSION, []) if pk != appointment.pk]
    request.session[BOOKED_IN_SESSION] = [*booked, appointment.pk][-10:]


def _booked_here(request: HttpRequest, appointment_id: int | None) -> Appointment | None:
    if appointment_id is None or appointment_id not in request.session.get(BOOKED_IN_SESSION, []):
        return None
    return Appointment.objects.filter(pk=appointment_id).first()


@require_http_methods(["GET", "POST"])
@rate_limit(lambda: settings.BOOKING_RATE_LIMIT, scope="booking", methods=("POST",))
def book_details(request: HttpRequest) -> HttpResponse:
    choice = BookingChoice(request)
    start = parse_start(choice.params.get("start", ""))
    if choice.type is None or start is None:
        messages.error(request, _("Please pick a time first."))
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
            birth_date=data.get("birth_date"),
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
                language=translation.get_language() or "",
            )
        except SchedulingError as exc:
            problem = exc
            own = _booked_here(request, getattr(exc, "conflict_id", None))
            if own is not None:
                # Back, then Book again: this browser booked that time a moment ago.
                messages.info(request, _("You already booked this time. Here is your booking."))
                return redirect("scheduling:appointment-manage", token=manage_token(own))
        else:
            _remember_booking(request, appointment)
            url = reverse("scheduling:appointment-manage", args=[manage_token(appointment)])
            return redirect(f"{url}?booked=1")
    alternatives = (
        slot_rows(problem.alternatives, _details_link(choice))
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


@require_http_methods(["GET", "POST"])
@rate_limit(lambda: settings.WAITLIST_RATE_LIMIT, scope="waitlist", methods=("POST",))
def book_waitlist(request: HttpRequest) -> HttpResponse:
    choice = BookingChoice(request)
    if choice.type is None:
        return redirect("scheduling:book-start")
    form = WaitlistForm(request.POST or None, patient=choice.patient)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.join_waitlist_online(
                contact=actions.Contact(
                    data.get("given_name", ""),
                    data.get("family_name", ""),
                    data.get("email", ""),
                    data.get("phone", ""),
                    data.get("birth_date"),
                ),
                patient=choice.patient,
                appointment_type=choice.type,
                clinician=choice.clinician,
                earliest=data["earliest"],
                latest=data["latest"],
                actor=request.user,
                request=request,
            )
        except SchedulingError as exc:
            form.add_error(None, _(exc.user_message))
        else:
            messages.success(
                request,
                _(
                    "You are on the waitlist. We emailed you a confirmation, and will email you "
                    "again if a time between your dates frees up."
                ),
            )
            return redirect("scheduling:book-start")
    return render(request, "scheduling/booking_waitlist.html", {"choice": choice, "form": form})


# --- the emailed links: view, cancel, reschedule, calendar file ---
