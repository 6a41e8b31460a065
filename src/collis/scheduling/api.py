"""JSON API for booking: types, clinicians, free slots, book (201/409), cancel, reschedule."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.decorators import decorate_view

from collis.lib.inputs import sane_date
from collis.lib.problems import Problem
from collis.lib.throttle import rate_limit
from collis.providers.models import Clinician, Location
from collis.scheduling import actions, availability
from collis.scheduling import slots as core
from collis.scheduling.access import access_appointment_by_token, is_schedule_staff
from collis.scheduling.advice import booking_advice
from collis.scheduling.errors import (
    SchedulingError,
    SlotTakenError,
)
from collis.scheduling.links import manage_token
from collis.scheduling.models import Appointment, AppointmentType, WeeklyHours
from collis.scheduling.schemas import (
    AppointmentOut,
    AppointmentTypeOut,
    BookableClinicianOut,
    BookingIn,
    BookingProblem,
    CancelIn,
    RescheduleIn,
    SlotOut,
)

router = Router(tags=["scheduling"])
MAX_RANGE_DAYS = 31


def slot_taken_members(exc: SlotTakenError) -> dict[str, object]:
    """The problem members of a taken slot: the nearby free ``alternatives``, as ``SlotOut``."""
    return {"alternatives": [s.dict() for s in _slots_out(exc.alternatives)]}


def _slots_out(found: list[core.Slot]) -> list[SlotOut]:
    zone = availability.clinic_zone()
    clinicians = Clinician.objects.in_bulk([int(s.clinician) for s in found])
    locations = Location.objects.in_bulk([int(s.place) for s in found if s.place])
    return [
        SlotOut(
            start=s.start.astimezone(zone),
            end=s.end.astimezone(zone),
            clinician=clinicians[int(s.clinician)].slug,
            location=locations[int(s.place)].slug if s.place else "",
        )
        for s in found
    ]


def _appointment_out(appointment: Appointment) -> AppointmentOut:
    zone = availability.clinic_zone()
    return AppointmentOut(
        uid=str(appointment.uid),
        status=appointment.status,
        appointment_type=appointment.appointment_type.slug,
        clinician=appointment.clinician.slug,
        location=appointment.location.slug,
        start=appointment.start.astimezone(zone),
        end=appointment.end.astimezone(zone),
        sequence=appointment.sequence,
        manage_token=manage_token(appointment),
    )


def _type(slug: str) -> AppointmentType:
    return get_object_or_404(AppointmentType, slug=slug, is_active=True, bookable_online=True)


@router.get(
    "/appointment-types", response=list[AppointmentTypeOut], summary="Bookable appointment types"
)
def list_appointment_types(request: HttpRequest) -> list[AppointmentTypeOut]:
    types = AppointmentType.objects.filter(is_active=True, bookable_online=True).prefetch_related(
        "clinicians"
    )
    return [
        AppointmentTypeOut(
            slug=t.slug,
            name=t.name,
            description=t.description,
            duration_minutes=t.duration_minutes,
            buffer_before_minutes=t.buffer_before_minutes,
            buffer_after_minutes=t.buffer_after_minutes,
            is_reinjection=t.is_reinjection,
            clinicians=[c.slug for c in t.clinicians.all() if c.is_active],
        )
        for t in types
    ]


@router.get(
    "/clinicians", response=list[BookableClinicianOut], summary="Clinicians bookable online"
)
def list_bookable_clinicians(request: HttpRequest) -> list[BookableClinicianOut]:
    clinicians = (
        Clinician.objects.active()
        .filter(appointment_types__bookable_online=True)
        .distinct()
        .prefetch_related("appointment_types")
    )
    places: dict[int, set[str]] = {}
    for clinician_id, slug in WeeklyHours.objects.values_list("clinician_id", "location__slug"):
        places.setdefault(clinician_id, set()).add(slug)
    return [
        BookableClinicianOut(
            slug=c.slug,
            display_name=c.display_name,
            appointment_types=[t.slug for t in c.appointment_types.all() if t.bookable_online],
            locations=sorted(places.get(c.pk, set())),
        )
        for c in clinicians
    ]


@router.get(
    "/slots",
    response={200: list[SlotOut], 404: Problem, 422: Problem},
    summary="Free slots for a type, optionally one clinician and location, in a date range",
    description=(
        "`date_to` must be on or after `date_from` and at most 31 days later; otherwise the "
        "answer is 422 with a problem object (the rule spans two fields, so the schema cannot "
        "express it)."
    ),
)
def list_slots(
    request: HttpRequest,
    appointment_type: str,
    date_from: date,
    date_to: date,
    clinician: str | None = None,
    location: str | None = None,
    limit: int = Query(100, ge=1, le=500),
):
    if not (sane_date(date_from) and sane_date(date_to)):
        raise SchedulingError("date_from and date_to must be real calendar dates (1900 to 2200).")
    if date_to < date_from or (date_to - date_from).days > MAX_RANGE_DAYS:
        raise SchedulingError(
            f"date_to must be on or after date_from, and at most {MAX_RANGE_DAYS} days later."
        )
    chosen_type = _type(appointment_type)
    chosen_clinician = None
    if clinician:
        chosen_clinician = get_object_or_404(Clinician.objects.active(), slug=clinician)
    place = get_object_or_404(Location, slug=location, is_active=True) if location else None
    zone = availability.clinic_zone()
    found = availability.free_slots(
        chosen_type,
        clinician=chosen_clinician,
        location=place,
        since=core.wall_to_utc(date_from, time(0), zone),
        until=core.wall_to_utc(date_to + timedelta(days=1), time(0), zone),
        limit=limit,
    )
    return _slots_out(found)


@router.post(
    "/appointments",
    response={
        201: AppointmentOut,
        404: Problem,
        409: BookingProblem,
        422: BookingProblem,
        429: Problem,
    },
    summary="Book a slot (409 with nearby alternatives when it was just taken)",
)
@decorate_view(rate_limit(lambda: settings.BOOKING_RATE_LIMIT, scope="booking"))
def create_appointment(request: HttpRequest, payload: BookingIn):
    chosen_type = _type(payload.appointment_type)
    clinician = (
        get_object_or_404(Clinician.objects.active(), slug=payload.clinician)
        if payload.clinician
        else None
    )
    location = (
        get_object_or_404(Location, slug=payload.location, is_active=True)
        if payload.location
        else None
    )
    contact = payload.contact
    appointment = actions.book_appointment(
        appointment_type=chosen_type,
        start=payload.start,
        clinician=clinician,
        location=location,
        contact=actions.Contact(
            contact.given_name,
            contact.family_name,
            contact.email,
            contact.phone,
            contact.birth_date,
        ),
        reason=payload.reason,
        source=Appointment.Source.API,
        idempotency_key=payload.idempotency_key,
        actor=request.user,
        request=request,
    )
    out = _appointment_out(appointment)
    if request.user.is_authenticated and request.user.is_staff and is_schedule_staff(request.user):
        out.warnings = booking_advice(appointment)
    return Status(201, out)


def _by_token(request: HttpRequest, token: str) -> Appointment:
    try:
        return access_appointment_by_token(request, token)
    except Http404:
        raise Http404("Invalid link") from None


@router.get(
    "/appointments/{token}",
    response={200: AppointmentOut, 404: Problem},
    summary="An appointment by token",
)
def get_appointment(request: HttpRequest, token: str) -> AppointmentOut:
    return _appointment_out(_by_token(request, token))


@router.post(
    "/appointments/{token}/cancel",
    response={200: AppointmentOut, 404: Problem, 409: BookingProblem, 422: Problem},
    summary="Cancel with the signed token",
)
def cancel(request: HttpRequest, token: str, payload: CancelIn):
    appointment = _by_token(request, token)
    appointment = actions.cancel_appointment(
        appointment, reason=payload.reason, by_patient=True, actor=request.user, request=request
    )
    return Status(200, _appointment_out(appointment))


@router.post(
    "/appointments/{token}/reschedule",
    response={200: AppointmentOut, 404: Problem, 409: BookingProblem, 422: BookingProblem},
    summary="Move to another free slot with the signed token",
)
def reschedule(request: HttpRequest, token: str, payload: RescheduleIn):
    appointment = _by_token(request, token)
    appointment = actions.reschedule_appointment(
        appointment,
        new_start=payload.start,
        by_patient=True,
        actor=request.user,
        request=request,
    )
    return Status(200, _appointment_out(appointment))
