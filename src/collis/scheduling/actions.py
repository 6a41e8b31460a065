"""Every write of the scheduling app. Views, the API, admin, jobs and commands call these.

Double booking is impossible by construction: on PostgreSQL the exclusion constraint of
migration 0002 rejects an overlapping insert or update even if two requests pass the re-check at
the same moment; on SQLite ``transaction_mode=IMMEDIATE`` makes booking transactions take the
write lock at BEGIN, so they run one after another and the re-check inside sees the winner.
"""

from __future__ import annotations

import hashlib
import json
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
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location
from collis.scheduling import availability
from collis.scheduling import slots as core
from collis.scheduling.errors import (
    CancellationWindowClosedError,
    IdempotencyKeyReusedError,
    InvalidTransitionError,
    OverrideReasonRequiredError,
    PatientBusyError,
    ReinjectionTooEarlyError,
    SchedulingError,
    SlotTakenError,
    SlotUnavailableError,
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


def _resolve_patient(contact: Contact, request: HttpRequest | None, actor: User) -> Patient:
    """Register the person booking from the public site as a new, unmatched record.

    Never matched to an existing record by what was typed: anyone who knows a patient's email
    and birth date could otherwise attach bookings to that record and learn from the answer
    (e.g. "the next injection is due from ...") that the person is treated here. The front desk
    matches the new record to an existing one; a signed-in patient books on their own record.
    """
    patient = Patient.objects.create(
        mrn=f"W{timezone.now():%y%m}-{secrets.token_hex(3).upper()}",
        given_name=contact.given_name,
        family_name=contact.family_name,
        birth_date=contact.birth_date,
        email=contact.email,
        phone=contact.phone,
    )
    record_access(
        request,
        Action.CREATE,
        patient,
        user=actor,
        detail={"via": "online booking", "unmatched": True},
    )
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


def _caller(request: HttpRequest | None, actor: User) -> str:
    """Who sent an idempotency key: the account if signed in, else the client address."""
    if actor is not None and actor.is_authenticated:
        return f"user:{actor.pk}"
    if request is not None:
        return f"addr:{request.META.get('REMOTE_ADDR', '')}"
    return "system"


def _digest(*parts: object) -> str:
    text = json.dumps([str(p) for p in parts], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _existing_for_key(scoped_key: str, fingerprint: str) -> Appointment | None:
    existing = Appointment.objects.filter(idempotency_key=scoped_key).first()
    if existing is not None and existing.idempotency_fingerprint != fingerprint:
        raise IdempotencyKeyReusedError()
    return existing


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

    Returns the existing appointment when the same caller sent the same ``idempotency_key`` with
    the same request, so a form posted twice books once. The key is bound to the caller (account,
    else client address) and to a hash of the request: another caller's key is a new key, and
    the same key with a different request raises IdempotencyKeyReusedError.
    Staff (``source=staff``) may book outside the usual hours with an
    ``override_reason``; nobody can book over another appointment.

    Raises SlotTakenError (with ``alternatives``) when someone else got the time first,
    SlotUnavailableError, PatientBusyError, ReinjectionTooEarlyError or
    OverrideReasonRequiredError.
    """
    now = now or timezone.now()
    if start.tzinfo is None:
        raise SlotUnavailableError("The time must include its UTC offset.")
    start = start.astimezone(core.UTC)
    fingerprint = ""
    if idempotency_key:
        idempotency_key = _digest(_caller(request, actor), idempotency_key)
        fingerprint = _digest(
            appointment_type.pk,
            start.isoformat(),
            clinician.pk if clinician else "",
            location.pk if location else "",
            patient.pk if patient else "",
            contact.given_name.strip(),
            contact.family_name.strip(),
            contact.email.strip().lower(),
            contact.phone.strip(),
            contact.birth_date,
            reason,
            source,
        )
        existing = _existing_for_key(idempotency_key, fingerprint)
        if existing is not None:
            return existing
    for_staff = source == Appointment.Source.STAFF
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
            fingerprint=fingerprint,
            override_reason=override_reason,
            actor=actor,
            request=request,
            now=now,
            for_staff=for_staff,
        )
    except IdempotencyKeyReusedError:
        raise
    except (IntegrityError, SchedulingError) as exc:
        # A twin submission of the same form may have committed while this one ran: under
        # READ COMMITTED its row shows up after our first look, as "time taken" or "patient
        # busy". The form was booked once; answer with that booking.
        if idempotency_key:
            existing = _existing_for_key(idempotency_key, fingerprint)
            if existing is not None:
                return existing
        if isinstance(exc, IntegrityError):
            # Lost a race at the database for the same time (exclusion constraint).
            raise SlotTakenError(
                alternatives=_alternatives(appointment_type, clinician, location, start, now)
            ) from None
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
    fingerprint: str,
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
            existing = _existing_for_key(idempotency_key, fingerprint)
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
                raise SlotTakenError(
                    alternatives=_alternatives(appointment_type, None, location, start, now)
                )
            if availability.overlapping_booking(clinician, blocked) is not None:
                raise SlotTakenError(
                    alternatives=_alternatives(appointment_type, clinician, location, start, now)
                )
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
            idempotency_fingerprint=fingerprint,
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
                if (
                    availability.overlapping_booking(clinician, blocked, exclude=appointment)
                    is not None
                ):
                    raise SlotTakenError(
                        alternatives=_alternatives(
                            appointment_type, clinician, location, new_start, now
                        )
                    )
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
            _email_after_commit(appointment, "confirmed")
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
) -> WaitlistEntry:
    """Put a patient on the waitlist for an earlier slot between two dates."""
    if latest < earliest:
        raise ValueError("The last date must not be before the first.")
    with transaction.atomic():
        entry = WaitlistEntry.objects.create(
            patient=patient,
            appointment_type=appointment_type,
            clinician=clinician,
            earliest=earliest,
            latest=latest,
            note=note[:300],
        )
        record_access(request, Action.CREATE, entry, user=actor)
    return entry


def join_waitlist_online(
    *,
    contact: Contact,
    appointment_type: AppointmentType,
    earliest: date,
    latest: date,
    clinician: Clinician | None = None,
    actor: User = None,
    request: HttpRequest | None = None,
) -> WaitlistEntry:
    """Join the waitlist from the public site: the patient is found or registered as booking."""
    with transaction.atomic():
        patient = _resolve_patient(contact, request, actor)
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
