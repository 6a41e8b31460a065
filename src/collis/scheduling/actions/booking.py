"""Book an appointment: online, by the front desk, or through the API.

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
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.patients.actions import set_preferred_language
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location
from collis.scheduling import slots as core
from collis.scheduling.actions.mail import email_after_commit
from collis.scheduling.actions.placement import (
    User,
    admit_patient,
    check_bookable_time,
    place,
    taken,
)
from collis.scheduling.errors import (
    IdempotencyKeyReusedError,
    SchedulingError,
    SlotUnavailableError,
)
from collis.scheduling.models import Appointment, AppointmentType, BookingPolicy, WaitlistEntry

__all__ = ["Contact", "book_appointment", "resolve_patient"]

Status = Appointment.Status


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

    @classmethod
    def of(cls, patient: Patient) -> Contact:
        """The contact details on file for ``patient`` (a booking for a known patient)."""
        return cls(
            patient.given_name,
            patient.family_name,
            patient.email,
            patient.phone,
            patient.birth_date,
        )


def resolve_patient(contact: Contact, request: HttpRequest | None, actor: User) -> Patient:
    """Register the person booking from the public site as a new, unmatched record.

    Never matched to an existing record by what was typed: anyone who knows a patient's email
    and birth date could otherwise attach bookings to that record and learn from the answer
    (e.g. "the next injection is due from ...") that the person is treated here. The front desk
    matches the new record to an existing one; a signed-in patient books on their own record.
    Only an earlier *pending contact* (made by the public site itself, no clinical record yet)
    is reused, so the same person booking or joining the waitlist twice stays one contact.
    """
    if contact.birth_date is not None:
        pending = (
            Patient.objects.filter(
                is_pending_contact=True,
                email__iexact=contact.email,
                birth_date=contact.birth_date,
            )
            .order_by("pk")
            .first()
        )
        if pending is not None:
            return pending
    patient = Patient.objects.create(
        mrn=f"W{timezone.now():%y%m}-{secrets.token_hex(3).upper()}",
        given_name=contact.given_name,
        family_name=contact.family_name,
        birth_date=contact.birth_date,
        email=contact.email,
        phone=contact.phone,
        is_pending_contact=True,
    )
    record_access(
        request,
        Action.CREATE,
        patient,
        user=actor,
        detail={"via": "online booking", "unmatched": True},
    )
    return patient


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
    language: str = "",
) -> Appointment:
    """Book ``start`` for a type with a clinician (None: the first who is free then).

    ``language`` (a code from settings.LANGUAGES) is the language the patient booked in: it is
    saved on their record, so the emails, reminders and calendar files are written in it.

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
    check_bookable_time(
        start=start,
        clinician=clinician,
        location=location,
        appointment_type=appointment_type,
        now=now,
        for_staff=source == Appointment.Source.STAFF,
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
            fingerprint=fingerprint,
            override_reason=override_reason,
            actor=actor,
            request=request,
            now=now,
            language=language,
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
            raise taken(None, appointment_type, clinician, location, start, now) from None
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
    language: str = "",
) -> Appointment:
    for_staff = source == Appointment.Source.STAFF
    policy = BookingPolicy.current()
    with transaction.atomic():
        if idempotency_key:
            # Again inside the transaction: a twin request may have committed while this waited.
            existing = _existing_for_key(idempotency_key, fingerprint)
            if existing is not None:
                return existing
        placement = place(
            appointment_type,
            start,
            clinician=clinician,
            location=location,
            now=now,
            for_staff=for_staff,
            override_reason=override_reason,
            override_hint="Give a reason to book it anyway.",
            require_location=True,
            policy=policy,
            hold_owner=patient.pk if patient is not None else None,
        )
        if patient is None:
            patient = resolve_patient(contact, request, actor)
        if language and patient.preferred_language != language:
            set_preferred_language(patient, language)
        admit_patient(
            patient,
            appointment_type,
            placement,
            actor=actor if for_staff else None,
            override_reason=override_reason,
        )
        status = Status.CONFIRMED if (for_staff or policy.auto_confirm) else Status.REQUESTED
        appointment = Appointment.objects.create(
            patient=patient,
            clinician=placement.clinician,
            location=placement.location,
            appointment_type=appointment_type,
            start=start,
            end=placement.end,
            blocked_start=placement.blocked.start,
            blocked_end=placement.blocked.end,
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
        email_after_commit(appointment, kind)
    return appointment


def _mark_waitlist_booked(patient: Patient, appointment_type: AppointmentType) -> None:
    WaitlistEntry.objects.filter(
        patient=patient,
        appointment_type=appointment_type,
        status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
    ).update(status=WaitlistEntry.Status.BOOKED)
