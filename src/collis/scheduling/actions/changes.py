"""Change a booked appointment: cancel it, move it, or move it along its statuses."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.jobs.actions import enqueue
from collis.providers.models import Clinician, Location
from collis.scheduling import slots as core
from collis.scheduling.actions.mail import email_after_commit
from collis.scheduling.actions.placement import User, admit_patient, alternatives, place
from collis.scheduling.errors import (
    CancellationWindowClosedError,
    InvalidTransitionError,
    SlotTakenError,
    SlotUnavailableError,
)
from collis.scheduling.models import Appointment, BookingPolicy

__all__ = [
    "TRANSITIONS",
    "cancel_appointment",
    "reschedule_appointment",
    "set_appointment_status",
]

Status = Appointment.Status

# Allowed status changes by staff (cancellation has its own action).
TRANSITIONS: dict[str, set[str]] = {
    Status.REQUESTED: {Status.CONFIRMED},
    Status.CONFIRMED: {Status.ARRIVED, Status.NO_SHOW},
    Status.ARRIVED: {Status.COMPLETED},
    Status.NO_SHOW: set(),
    Status.COMPLETED: set(),
    Status.CANCELLED: set(),
}


def _check_patient_window(appointment: Appointment, now: datetime) -> None:
    hours = BookingPolicy.current().cancellation_window_hours
    if appointment.start - now < timedelta(hours=hours):
        raise CancellationWindowClosedError()


def cancel_appointment(
    appointment: Appointment,
    *,
    reason: str = "",
    by_patient: bool = False,
    actor: User = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Cancel, free the time for the waitlist and email a METHOD:CANCEL calendar update.

    A patient's own link works until the cancellation window (CancellationWindowClosedError).
    """
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status not in (Status.REQUESTED, Status.CONFIRMED):
            raise InvalidTransitionError("Only an upcoming appointment can be cancelled.")
        if by_patient:
            _check_patient_window(appointment, now)
        appointment.status = Status.CANCELLED
        appointment.cancelled_at = now
        appointment.cancel_reason = reason.strip()[:500]
        appointment.sequence += 1
        appointment.save(
            update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"]
        )
        appointment.reminders.filter(status__in=["pending", "failed"]).update(status="skipped")
        record_access(
            request,
            Action.UPDATE,
            appointment,
            user=actor,
            detail={"change": "cancelled", "by_patient": by_patient},
        )
        email_after_commit(appointment, "cancelled")
        if appointment.start > now:
            enqueue("scheduling.offer_freed_slot", appointment_id=appointment.pk)
    return appointment


def reschedule_appointment(
    appointment: Appointment,
    *,
    new_start: datetime,
    clinician: Clinician | None = None,
    location: Location | None = None,
    by_patient: bool = False,
    override_reason: str = "",
    actor: User = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move an appointment to a new time (and optionally clinician); SEQUENCE goes up by one.

    Same rules as booking (the same ``place`` and ``admit_patient`` steps); the patient's link
    works until the cancellation window.
    """
    now = now or timezone.now()
    if new_start.tzinfo is None:
        raise SlotUnavailableError("The time must include its UTC offset.")
    new_start = new_start.astimezone(core.UTC)
    old_start = appointment.start
    try:
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update()
                .select_related("appointment_type", "clinician", "location", "patient")
                .get(pk=appointment.pk)
            )
            if appointment.status not in (Status.REQUESTED, Status.CONFIRMED):
                raise InvalidTransitionError("Only an upcoming appointment can be moved.")
            if by_patient:
                _check_patient_window(appointment, now)
            clinician = clinician or appointment.clinician
            placement = place(
                appointment.appointment_type,
                new_start,
                clinician=clinician,
                location=location,
                now=now,
                for_staff=not by_patient,
                override_reason=override_reason,
                override_hint="Give a reason to move it there anyway.",
                require_location=False,
                exclude=appointment,
            )
            admit_patient(
                appointment.patient,
                appointment.appointment_type,
                placement,
                actor=None if by_patient else actor,
                override_reason=override_reason,
                exclude=appointment,
            )
            appointment.clinician = placement.clinician
            appointment.location = placement.location or appointment.location
            appointment.start = new_start
            appointment.end = placement.end
            appointment.blocked_start = placement.blocked.start
            appointment.blocked_end = placement.blocked.end
            appointment.sequence += 1
            if override_reason.strip():
                appointment.override_reason = override_reason.strip()[:500]
            appointment.save()
            # Reminders not yet sent refer to the old time: they will be made again for the new.
            appointment.reminders.exclude(status="sent").delete()
            record_access(
                request,
                Action.UPDATE,
                appointment,
                user=actor,
                detail={"change": "rescheduled", "from": old_start.isoformat()},
            )
            email_after_commit(appointment, "rescheduled")
            if old_start > now:
                enqueue(
                    "scheduling.offer_freed_slot",
                    appointment_id=appointment.pk,
                    freed_start=old_start.isoformat(),
                )
    except IntegrityError:
        raise SlotTakenError(
            alternatives=alternatives(
                appointment.appointment_type, clinician, location, new_start, now
            )
        ) from None
    return appointment


def set_appointment_status(
    appointment: Appointment,
    status: str,
    *,
    actor: User = None,
    request: HttpRequest | None = None,
) -> Appointment:
    """Confirm a request, or mark arrived, completed or no-show (front desk)."""
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if status not in TRANSITIONS.get(appointment.status, set()):
            raise InvalidTransitionError(
                f"A {appointment.get_status_display().lower()} appointment cannot become "
                f"{Status(status).label.lower()}."
            )
        previous = appointment.status
        appointment.status = status
        appointment.save(update_fields=["status", "updated_at"])
        record_access(
            request,
            Action.UPDATE,
            appointment,
            user=actor,
            detail={"change": "status", "from": previous, "to": status},
        )
        if status == Status.CONFIRMED:
            email_after_commit(appointment, "confirmed")
        if status == Status.ARRIVED:
            _open_visit(appointment, actor=actor, request=request)
    return appointment


def _open_visit(appointment: Appointment, *, actor: User, request: HttpRequest | None) -> None:
    """Arrival opens the encounter the clinician documents (one visit per appointment)."""
    from collis.patients.actions import record_visit
    from collis.patients.models import Visit

    if appointment.patient_id is None or Visit.objects.filter(appointment=appointment).exists():
        return
    if appointment.appointment_type.is_reinjection:
        kind = Visit.Kind.INJECTION
    elif not appointment.patient.visits.exists():
        kind = Visit.Kind.NEW_PATIENT
    else:
        kind = Visit.Kind.REVIEW
    record_visit(
        request,
        actor=actor,
        patient=appointment.patient,
        clinician=appointment.clinician,
        occurred_at=appointment.start,
        kind=kind,
        appointment=appointment,
    )
