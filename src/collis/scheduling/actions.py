"""Every write of the scheduling app. Views, the API, admin, jobs and commands call these.

Double booking is impossible by construction: on PostgreSQL the exclusion constraint of
migration 0002 rejects an overlapping insert or update even if two requests pass the re-check at
the same moment; on SQLite ``transaction_mode=IMMEDIATE`` makes booking transactions take the
write lock at BEGIN, so they run one after another and the re-check inside sees the winner.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.accounts.roles import Role, has_role
from collis.audit.actions import Action, record_access
from collis.jobs.actions import enqueue
from collis.lib.clinic_time import friendly
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location
from collis.scheduling import availability
from collis.scheduling import slots as core
from collis.scheduling.errors import (
    CancellationWindowClosedError,
    ExistingPatientsOnlyError,
    InvalidTransitionError,
    NotAtLocationError,
    OverrideReasonRequiredError,
    PastTimeError,
    PatientBusyError,
    ReinjectionTooEarlyError,
    SchedulingError,
    SlotTakenError,
    SlotUnavailableError,
    WaitlistWindowError,
)
from collis.scheduling.models import (
    Appointment,
    AppointmentType,
    BookingPolicy,
    CalendarFeed,
    InjectionRecall,
    WaitlistEntry,
)

User = AbstractBaseUser | AnonymousUser | None
Status = Appointment.Status

ALTERNATIVES = 5

# A clashing booking made this recently was "just taken"; an older one was "already booked".
JUST_TAKEN = timedelta(minutes=30)

# Allowed status changes by staff (cancellation has its own action).
TRANSITIONS: dict[str, set[str]] = {
    Status.REQUESTED: {Status.CONFIRMED},
    Status.CONFIRMED: {Status.ARRIVED, Status.NO_SHOW},
    Status.ARRIVED: {Status.COMPLETED},
    Status.NO_SHOW: set(),
    Status.COMPLETED: set(),
    Status.CANCELLED: set(),
}


@dataclass(frozen=True)
class Contact:
    """Who is booking, as typed on the form (no account needed)."""

    given_name: str
    family_name: str
    email: str
    phone: str = ""
    birth_date: date | None = None

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


def _is_clinician(user: User) -> bool:
    return user is not None and (
        has_role(user, Role.CLINICIAN) or has_role(user, Role.ADMINISTRATOR)
    )


def _alternatives(
    appointment_type: AppointmentType,
    clinician: Clinician | None,
    location: Location | None,
    near: datetime,
    now: datetime,
) -> list[core.Slot]:
    clinicians = [clinician] if clinician is not None else None
    candidates = availability.find_slots(
        appointment_type,
        clinicians=clinicians,
        location=location,
        since=max(now, near - timedelta(days=3)),
        until=near + timedelta(days=10),
        limit=60,
        now=now,
    )
    return core.nearest(candidates, near, ALTERNATIVES)


def _taken(
    conflict: Appointment | None,
    appointment_type: AppointmentType,
    clinician: Clinician | None,
    location: Location | None,
    start: datetime,
    now: datetime,
) -> SlotTakenError:
    """The error for a time another appointment holds, worded by how long it has held it."""
    recent = conflict is None or conflict.created_at >= now - JUST_TAKEN
    return SlotTakenError(
        None if recent else SlotTakenError.already_booked,
        alternatives=_alternatives(appointment_type, clinician, location, start, now),
        conflict_id=conflict.pk if conflict is not None else None,
    )


def check_bookable_time(
    *,
    start: datetime,
    clinician: Clinician | None,
    location: Location | None,
    appointment_type: AppointmentType,
    now: datetime,
    for_staff: bool,
    override_reason: str = "",
) -> None:
    """Refuse, each with its own message, times that are not bookable for a plain reason.

    A time in the past (PastTimeError, whatever the override), a clinician at a location where
    she does not work (NotAtLocationError; staff may override with a recorded reason), and,
    online, a new-patient visit with a clinician seeing existing patients only
    (ExistingPatientsOnlyError).
    """
    if start <= now:
        raise PastTimeError()
    if clinician is None:
        return
    overridden = for_staff and bool(override_reason.strip())
    if (
        location is not None
        and not overridden
        and not clinician.locations.filter(pk=location.pk).exists()
    ):
        raise NotAtLocationError(
            f"{clinician.display_name} does not see patients at {location.name}. "
            "Please choose another location or clinician."
        )
    if appointment_type.for_new_patients and not (clinician.accepting_new_patients or for_staff):
        raise ExistingPatientsOnlyError()


def _resolve_patient(contact: Contact, request: HttpRequest | None, actor: User) -> Patient:
    """Link to the patient with this email and birth date, or hold a new pending contact.

    A pending contact is not in the clinicians' patient lists until the first visit.
    """
    if contact.birth_date is not None:
        match = (
            Patient.objects.filter(email__iexact=contact.email, birth_date=contact.birth_date)
            .order_by("pk")
            .first()
        )
        if match is not None:
            return match
    patient = Patient.objects.create(
        mrn=f"W{timezone.now():%y%m}-{secrets.token_hex(3).upper()}",
        given_name=contact.given_name,
        family_name=contact.family_name,
        birth_date=contact.birth_date,
        email=contact.email,
        phone=contact.phone,
        is_pending_contact=True,
    )
    record_access(request, Action.CREATE, patient, user=actor, detail={"via": "online booking"})
    return patient


def check_reinjection_interval(
    patient: Patient, appointment_type: AppointmentType, start: datetime
) -> None:
    """Raise ReinjectionTooEarlyError when a toxin visit is before the patient's due date."""
    if not appointment_type.is_reinjection:
        return
    recall = InjectionRecall.objects.filter(patient=patient).first()
    if recall is not None and core.local_day(start, availability.clinic_zone()) < recall.due_on:
        raise ReinjectionTooEarlyError(recall.due_on)


def _check_overrides(
    *,
    patient: Patient,
    appointment_type: AppointmentType,
    start: datetime,
    actor: User,
    override_reason: str,
) -> None:
    try:
        check_reinjection_interval(patient, appointment_type, start)
    except ReinjectionTooEarlyError:
        # Only a clinician may decide an earlier re-injection is right, and says why.
        if not (_is_clinician(actor) and override_reason.strip()):
            raise


def book_appointment(
    *,
    appointment_type: AppointmentType,
    start: datetime,
    contact: Contact,
    clinician: Clinician | None = None,
    location: Location | None = None,
    patient: Patient | None = None,
    reason: str = "",
    source: str = Appointment.Source.ONLINE,
    idempotency_key: str | None = None,
    override_reason: str = "",
    actor: User = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book ``start`` for a type with a clinician (None: the first who is free then).

    Returns the existing appointment when ``idempotency_key`` was already used, so a form posted
    twice books once. Staff (``source=staff``) may book outside the usual hours with an
    ``override_reason``; nobody can book over another appointment.

    Raises SlotTakenError (with ``alternatives``) when someone else got the time first,
    SlotUnavailableError, PatientBusyError, ReinjectionTooEarlyError or
    OverrideReasonRequiredError.
    """
    now = now or timezone.now()
    if idempotency_key:
        existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if start.tzinfo is None:
        raise SlotUnavailableError("The time must include its UTC offset.")
    start = start.astimezone(core.UTC)
    for_staff = source == Appointment.Source.STAFF
    check_bookable_time(
        start=start,
        clinician=clinician,
        location=location,
        appointment_type=appointment_type,
        now=now,
        for_staff=for_staff,
        override_reason=override_reason,
    )
    try:
        appointment = _book_once(
            appointment_type=appointment_type,
            start=start,
            contact=contact,
            clinician=clinician,
            location=location,
            patient=patient,
            reason=reason,
            source=source,
            idempotency_key=idempotency_key,
            override_reason=override_reason,
            actor=actor,
            request=request,
            now=now,
            for_staff=for_staff,
        )
    except (IntegrityError, SchedulingError) as exc:
        # A twin submission of the same form may have committed while this one ran: under
        # READ COMMITTED its row shows up after our first look, as "time taken" or "patient
        # busy". The form was booked once; answer with that booking.
        if idempotency_key:
            existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        if isinstance(exc, IntegrityError):
            # Lost a race at the database for the same time (exclusion constraint).
            raise _taken(None, appointment_type, clinician, location, start, now) from None
        raise
    return appointment


def _book_once(
    *,
    appointment_type: AppointmentType,
    start: datetime,
    contact: Contact,
    clinician: Clinician | None,
    location: Location | None,
    patient: Patient | None,
    reason: str,
    source: str,
    idempotency_key: str | None,
    override_reason: str,
    actor: User,
    request: HttpRequest | None,
    now: datetime,
    for_staff: bool,
) -> Appointment:
    policy = BookingPolicy.current()
    with transaction.atomic():
        if idempotency_key:
            # Again inside the transaction: a twin request may have committed while this waited.
            existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        candidates = (
            [clinician] if clinician else availability.bookable_clinicians(appointment_type)
        )
        slot = None
        chosen = None
        for candidate in candidates:
            slot = availability.offered_slot(
                appointment_type,
                candidate,
                start,
                location=location,
                now=now,
                for_staff=for_staff,
                policy=policy,
            )
            if slot is not None:
                chosen = candidate
                break
        rules = availability.rules_for(appointment_type, policy)
        blocked = rules.blocked(start)
        if slot is None:
            if clinician is None:
                clashes = [availability.overlapping_booking(c, blocked) for c in candidates]
                clash = next((c for c in clashes if c is not None), None)
                if clash is None:
                    raise SlotUnavailableError()
                raise _taken(clash, appointment_type, None, location, start, now)
            clash = availability.overlapping_booking(clinician, blocked)
            if clash is not None:
                raise _taken(clash, appointment_type, clinician, location, start, now)
            if not for_staff:
                raise SlotUnavailableError()
            if not override_reason.strip():
                raise OverrideReasonRequiredError(
                    "That time is outside the clinician's bookable hours. "
                    "Give a reason to book it anyway."
                )
            chosen = clinician
            if location is None:
                raise SlotUnavailableError("Choose a location for a booking outside the hours.")
        assert chosen is not None
        if location is None:
            location = Location.objects.get(pk=int(slot.place))
        if patient is None:
            patient = _resolve_patient(contact, request, actor)
        _check_overrides(
            patient=patient,
            appointment_type=appointment_type,
            start=start,
            actor=actor if for_staff else None,
            override_reason=override_reason,
        )
        if availability.patient_clash(patient.pk, start, start + rules.duration) is not None:
            raise PatientBusyError()
        status = Status.CONFIRMED if (for_staff or policy.auto_confirm) else Status.REQUESTED
        appointment = Appointment.objects.create(
            patient=patient,
            clinician=chosen,
            location=location,
            appointment_type=appointment_type,
            start=start,
            end=start + rules.duration,
            blocked_start=blocked.start,
            blocked_end=blocked.end,
            status=status,
            source=source,
            reason=reason[:500],
            contact_name=contact.full_name or patient.full_name,
            contact_email=contact.email or patient.email,
            contact_phone=contact.phone or patient.phone,
            override_reason=override_reason.strip()[:500],
            idempotency_key=idempotency_key or None,
            booked_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record_access(
            request,
            Action.CREATE,
            appointment,
            user=actor,
            detail={"source": source, "override": bool(override_reason.strip())},
        )
        _mark_waitlist_booked(patient, appointment_type)
        kind = "confirmation" if status == Status.CONFIRMED else "request"
        _email_after_commit(appointment, kind)
    return appointment


def _email_after_commit(appointment: Appointment, kind: str) -> None:
    if appointment.contact_email:
        enqueue("scheduling.send_appointment_email", appointment_id=appointment.pk, kind=kind)


def _mark_waitlist_booked(patient: Patient, appointment_type: AppointmentType) -> None:
    WaitlistEntry.objects.filter(
        patient=patient,
        appointment_type=appointment_type,
        status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
    ).update(status=WaitlistEntry.Status.BOOKED)


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
        _email_after_commit(appointment, "cancelled")
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

    Same rules as booking; the patient's link works until the cancellation window.
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
            appointment_type = appointment.appointment_type
            for_staff = not by_patient
            slot = availability.offered_slot(
                appointment_type,
                clinician,
                new_start,
                location=location,
                now=now,
                exclude_appointment=appointment,
                for_staff=for_staff,
            )
            rules = availability.rules_for(appointment_type, BookingPolicy.current())
            blocked = rules.blocked(new_start)
            if slot is None:
                clash = availability.overlapping_booking(clinician, blocked, exclude=appointment)
                if clash is not None:
                    raise _taken(clash, appointment_type, clinician, location, new_start, now)
                if by_patient:
                    raise SlotUnavailableError()
                if not override_reason.strip():
                    raise OverrideReasonRequiredError(
                        "That time is outside the clinician's bookable hours. "
                        "Give a reason to move it there anyway."
                    )
            _check_overrides(
                patient=appointment.patient,
                appointment_type=appointment_type,
                start=new_start,
                actor=None if by_patient else actor,
                override_reason=override_reason,
            )
            if (
                availability.patient_clash(
                    appointment.patient_id,
                    new_start,
                    new_start + rules.duration,
                    exclude=appointment,
                )
                is not None
            ):
                raise PatientBusyError()
            appointment.clinician = clinician
            if slot is not None and location is None:
                location = Location.objects.get(pk=int(slot.place))
            appointment.location = location or appointment.location
            appointment.start = new_start
            appointment.end = new_start + rules.duration
            appointment.blocked_start = blocked.start
            appointment.blocked_end = blocked.end
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
            _email_after_commit(appointment, "rescheduled")
            if old_start > now:
                enqueue(
                    "scheduling.offer_freed_slot",
                    appointment_id=appointment.pk,
                    freed_start=old_start.isoformat(),
                )
    except IntegrityError:
        raise SlotTakenError(
            alternatives=_alternatives(
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
            _email_after_commit(appointment, "confirmed")
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


def record_injection_cycle(
    *,
    patient: Patient,
    injected_on: date,
    min_interval_days: int,
    product_name: str,
    actor: Any = None,
) -> InjectionRecall:
    """Record a toxin injection: the patient is due again ``min_interval_days`` later.

    Called by the injections app after an injection session is saved. An injection older than
    the one already recorded leaves the due date alone. The usual interval is 84 days
    (12 weeks; clinical.md §3 labels and §4 trial design).
    """
    if min_interval_days < 1:
        raise ValueError("min_interval_days must be at least 1")
    with transaction.atomic():
        recall = InjectionRecall.objects.select_for_update().filter(patient=patient).first()
        if recall is not None and recall.last_injected_on > injected_on:
            return recall
        if recall is None:
            recall = InjectionRecall(patient=patient)
        recall.last_injected_on = injected_on
        recall.min_interval_days = min_interval_days
        recall.product_name = product_name[:100]
        recall.due_on = injected_on + timedelta(days=min_interval_days)
        recall.save()
        record_access(
            None,
            Action.UPDATE,
            recall,
            user=actor,
            detail={"due_on": recall.due_on.isoformat(), "product": product_name},
        )
    return recall


def join_waitlist(
    *,
    patient: Patient,
    appointment_type: AppointmentType,
    earliest: date,
    latest: date,
    clinician: Clinician | None = None,
    note: str = "",
    actor: User = None,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> WaitlistEntry:
    """Put a patient on the waitlist for an earlier slot between two dates; email a confirmation.

    A window entirely in the past is refused (WaitlistWindowError). Joining again for the same
    visit type and clinician while still waiting widens the existing entry instead of adding a
    second one (and sends no second email).
    """
    today = today or core.local_day(timezone.now(), availability.clinic_zone())
    if latest < earliest:
        raise WaitlistWindowError("“Until” must not be before “From”.")
    if latest < today:
        raise WaitlistWindowError("Those dates have already passed. Choose dates from today on.")
    earliest = max(earliest, today)
    with transaction.atomic():
        existing = (
            WaitlistEntry.objects.select_for_update()
            .filter(
                patient=patient,
                appointment_type=appointment_type,
                clinician=clinician,
                status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
            )
            .first()
        )
        if existing is not None:
            existing.earliest = min(existing.earliest, earliest)
            existing.latest = max(existing.latest, latest)
            existing.save(update_fields=["earliest", "latest"])
            record_access(request, Action.UPDATE, existing, user=actor, detail={"rejoined": True})
            return existing
        entry = WaitlistEntry.objects.create(
            patient=patient,
            appointment_type=appointment_type,
            clinician=clinician,
            earliest=earliest,
            latest=latest,
            note=note[:300],
        )
        record_access(request, Action.CREATE, entry, user=actor)
        if patient.email:
            enqueue("scheduling.send_waitlist_email", entry_id=entry.pk)
    return entry


def join_waitlist_online(
    *,
    contact: Contact,
    appointment_type: AppointmentType,
    earliest: date,
    latest: date,
    clinician: Clinician | None = None,
    patient: Patient | None = None,
    actor: User = None,
    request: HttpRequest | None = None,
) -> WaitlistEntry:
    """Join the waitlist from the public site: the patient is matched, or held as a pending
    contact (not a patient in the clinicians' lists)."""
    with transaction.atomic():
        patient = patient or _resolve_patient(contact, request, actor)
        return join_waitlist(
            patient=patient,
            appointment_type=appointment_type,
            earliest=earliest,
            latest=latest,
            clinician=clinician,
            actor=actor,
            request=request,
        )


def ensure_calendar_feed(clinician: Clinician) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(clinician=clinician)
    return feed


def rotate_calendar_feed(
    clinician: Clinician, *, actor: User = None, request: HttpRequest | None = None
) -> CalendarFeed:
    """Give the clinician a new private feed URL; the old one stops working at once."""
    with transaction.atomic():
        feed = ensure_calendar_feed(clinician)
        feed.token = secrets.token_urlsafe(32)
        feed.is_active = True
        feed.save()
        record_access(request, Action.UPDATE, feed, user=actor, detail={"change": "feed rotated"})
    return feed
