"""Guarded reads: each loads an object and enforces who may see it (and audits the read)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone

from collis.accounts.roles import holds_staff_role
from collis.audit.actions import Action, record_access
from collis.scheduling.errors import InvalidLinkError
from collis.scheduling.links import appointment_id_from_token, check_manage_token
from collis.scheduling.models import Appointment, CalendarFeed


class NotScheduleStaffError(PermissionDenied):
    """Only front desk, clinicians and administrators work the schedule."""


def is_schedule_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    return holds_staff_role(user)


def require_schedule_staff(user: AbstractBaseUser | AnonymousUser) -> None:
    if not is_schedule_staff(user):
        raise NotScheduleStaffError("Only clinic staff can open the schedule.")


def _appointments():
    return Appointment.objects.select_related(
        "patient", "clinician", "location", "appointment_type"
    )


def access_appointment(request: HttpRequest, appointment_id: int) -> Appointment:
    """Return an appointment for clinic staff (audited), 403 for anyone else."""
    require_schedule_staff(request.user)
    try:
        appointment = _appointments().get(pk=appointment_id)
    except Appointment.DoesNotExist:
        raise Http404("No such appointment") from None
    record_access(request, Action.READ, appointment)
    return appointment


def access_appointment_by_token(request: HttpRequest | None, token: str) -> Appointment:
    """Return the appointment a signed patient link names, or 404 for a bad link."""
    try:
        appointment_id, uid = appointment_id_from_token(token)
    except InvalidLinkError:
        raise Http404("Invalid link") from None
    appointment = _appointments().filter(pk=appointment_id, uid=uid).first()
    if appointment is None:
        raise Http404("Invalid link")
    try:
        # An earlier version's link (before a move) or one past the visit is a bad link.
        check_manage_token(token, appointment, timezone.now())
    except InvalidLinkError:
        raise Http404("Invalid link") from None
    record_access(request, Action.READ, appointment, detail={"via": "signed link"})
    return appointment


def access_feed(token: str) -> CalendarFeed:
    feed = (
        CalendarFeed.objects.select_related("clinician").filter(token=token, is_active=True).first()
    )
    if feed is None:
        raise Http404("No such feed")
    return feed


def upcoming_appointments(patient_id: int, *, now: datetime | None = None) -> list[Appointment]:
    """The patient's booked visits still to come, soonest first (for their own portal)."""
    now = now or timezone.now()
    return list(
        _appointments()
        .filter(patient_id=patient_id, start__gte=now, status__in=("requested", "confirmed"))
        .order_by("start")
    )
