"""Change a booked appointment: cancel it, move it, or move it along its statuses."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.jobs.actions import enqueue
from collis.lib.clinic_time import friendly
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location
from collis.scheduling import availability
from collis.scheduling import slots as core
from collis.scheduling.actions.mail import email_after_commit
from collis.scheduling.actions.placement import (
    User,
    admit_patient,
    alternatives,
    check_bookable_time,
    place,
)
from collis.scheduling.errors import (
    CancellationWindowClosedError,
    InvalidTransitionError,
    OverrideReasonRequiredError,
    SlotTakenError,
    SlotUnavailableError,
)
from collis.scheduling.models import Appointment, BookingPolicy

__all__ = [
    "ON_THE_DAY",
    "TRANSITIONS",
    "UNDO",
    "allowed_statuses",
    "cancel_appointment",
    "reschedule_appointment",
    "set_appointment_status",
    "undo_appointment_status",
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
    check_bookable_time(
        start=new_start,
        clinician=clinician,
        location=location,
        appointment_type=appointment.appointment_type,
        now=now,
        for_staff=not by_patient,
        override_reason=override_reason,
    )
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
                hold_owner=appointment.patient_id,
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


# Statuses that say the visit day has come; they cannot be set before it.
ON_THE_DAY = {Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW}

# A mistaken status change, undone by staff with a reason: the status it goes back to.
UNDO: dict[str, str] = {
    Status.ARRIVED: Status.CONFIRMED,
    Status.NO_SHOW: Status.CONFIRMED,
    Status.COMPLETED: Status.ARRIVED,
}


def allowed_statuses(appointment: Appointment, now: datetime | None = None) -> list[str]:
    """The statuses staff may set now: arrived/completed/no-show only from the visit's day."""
    now = now or timezone.now()
    zone = availability.clinic_zone()
    started = core.local_day(now, zone) >= core.local_day(appointment.start, zone)
    return sorted(
        s for s in TRANSITIONS.get(appointment.status, set()) if started or s not in ON_THE_DAY
    )


def set_appointment_status(
    appointment: Appointment,
    status: str,
    *,
    actor: User = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Confirm a request, or mark arrived, completed or no-show (front desk).

    Arrived, completed and no-show are refused before the appointment's day (clinic time).
    """
    now = now or timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if status not in TRANSITIONS.get(appointment.status, set()):
            raise InvalidTransitionError(
                f"A {appointment.get_status_display().lower()} appointment cannot become "
                f"{Status(status).label.lower()}."
            )
        if status not in allowed_statuses(appointment, now):
            raise InvalidTransitionError(
                f"An appointment can be marked {Status(status).label.lower()} only on or after "
                f"its day ({friendly(appointment.start)})."
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


def undo_appointment_status(
    appointment: Appointment,
    *,
    reason: str,
    actor: User = None,
    request: HttpRequest | None = None,
) -> Appointment:
    """Undo a mistaken arrived, completed or no-show: back one step, with a recorded reason.

    The audit entry keeps the old and new status and the reason.
    """
    reason = reason.strip()
    if not reason:
        raise OverrideReasonRequiredError("Say why the status is being undone.")
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        previous = appointment.status
        if previous not in UNDO:
            raise InvalidTransitionError(
                f"A {appointment.get_status_display().lower()} appointment has no status to undo."
            )
        appointment.status = UNDO[previous]
        appointment.save(update_fields=["status", "updated_at"])
        record_access(
            request,
            Action.UPDATE,
            appointment,
            user=actor,
            detail={
                "change": "status undone",
                "from": previous,
                "to": appointment.status,
                "reason": reason[:500],
            },
        )
    return appointment


def _open_visit(appointment: Appointment, *, actor: User, request: HttpRequest | None) -> None:
    """Arrival opens the encounter the clinician documents (one visit per appointment)."""
    from collis.patients.actions import record_visit
    from collis.patients.models import Visit

    if appointment.patient_id is None or Visit.objects.filter(appointment=appointment).exists():
        return
    # Seen in person: an online contact becomes a patient of the clinic.
    Patient.objects.filter(pk=appointment.patient_id, is_pending_contact=True).update(
        is_pending_contact=False
    )
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
