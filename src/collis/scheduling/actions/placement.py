"""The step booking and rescheduling share: place a visit at a time, then admit the patient.

``place`` finds the clinician and location that offer ``start`` (or accepts a staff override
outside the hours) and raises the same errors for both callers; ``admit_patient`` applies the
re-injection interval and the patient's own calendar. Both run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from collis.accounts.roles import is_clinical_staff
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location
from collis.scheduling import availability
from collis.scheduling import slots as core
from collis.scheduling.errors import (
    ExistingPatientsOnlyError,
    NotAtLocationError,
    OverrideReasonRequiredError,
    PastTimeError,
    PatientBusyError,
    ReinjectionTooEarlyError,
    SlotTakenError,
    SlotUnavailableError,
)
from collis.scheduling.models import (
    Appointment,
    AppointmentType,
    BookingPolicy,
    InjectionRecall,
    SlotHold,
)

__all__ = [
    "ALTERNATIVES",
    "Placement",
    "admit_patient",
    "check_bookable_time",
    "check_reinjection_interval",
    "held_by_other",
    "place",
    "taken",
]

User = AbstractBaseUser | AnonymousUser | None

ALTERNATIVES = 5

# A clashing booking made this recently was "just taken"; an older one was "already booked".
JUST_TAKEN = timedelta(minutes=30)


@dataclass(frozen=True)
class Placement:
    """Where and with whom a visit starting at ``start`` goes, and the time it keeps busy."""

    clinician: Clinician
    location: Location | None  # None: outside the hours, no location asked (rescheduling keeps it)
    start: datetime
    end: datetime
    blocked: core.Interval


def alternatives(
    appointment_type: AppointmentType,
    clinician: Clinician | None,
    location: Location | None,
    near: datetime,
    now: datetime,
) -> list[core.Slot]:
    """Return up to ``ALTERNATIVES`` free starts nearest ``near`` (what a SlotTakenError offers)."""
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


def taken(
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
        alternatives=alternatives(appointment_type, clinician, location, start, now),
        conflict_id=conflict.pk if conflict is not None else None,
    )


def held_by_other(
    clinician: Clinician, blocked: core.Interval, now: datetime, owner: int | None
) -> SlotHold | None:
    """Return a live hold (offered to a waitlisted patient) on this clinician's time, unless it
    is the hold of patient ``owner``. An expired hold no longer counts, whether or not the
    periodic job has marked it yet."""
    holds = SlotHold.objects.filter(
        clinician=clinician,
        status=SlotHold.Status.HELD,
        expires_at__gt=now,
        blocked_start__lt=blocked.end,
        blocked_end__gt=blocked.start,
    )
    if owner is not None:
        holds = holds.exclude(patient_id=owner)
    return holds.first()


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


def place(
    appointment_type: AppointmentType,
    start: datetime,
    *,
    clinician: Clinician | None,
    location: Location | None,
    now: datetime,
    for_staff: bool,
    override_reason: str,
    override_hint: str,
    require_location: bool,
    policy: BookingPolicy | None = None,
    exclude: Appointment | None = None,
    hold_owner: int | None = None,
) -> Placement:
    """Return where ``start`` goes: with ``clinician`` (None: the first bookable one free then).

    A time no one offers is taken (SlotTakenError with alternatives) if it overlaps a booking;
    else staff may place it with an ``override_reason`` (OverrideReasonRequiredError without one;
    SlotUnavailableError for patients, or without a location when ``require_location``).
    ``exclude`` is the appointment being moved, which does not count against itself.
    A time held for a waitlisted patient (SlotHold) is taken for everyone but ``hold_owner``
    (a patient id), for staff too, override or not.
    """
    rules = availability.rules_for(appointment_type, policy or BookingPolicy.current())
    blocked = rules.blocked(start)
    candidates: Sequence[Clinician] = (
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
            exclude_appointment=exclude,
            for_staff=for_staff,
            policy=policy,
        )
        if slot is not None and held_by_other(candidate, blocked, now, hold_owner) is None:
            chosen = candidate
            break
        slot = None
    if slot is None:
        if any(held_by_other(c, blocked, now, hold_owner) for c in candidates):
            raise taken(None, appointment_type, clinician, location, start, now)
        if clinician is None:
            clashes = (availability.overlapping_booking(c, blocked) for c in candidates)
            clash = next((c for c in clashes if c is not None), None)
            if clash is None:
                raise SlotUnavailableError()
            raise taken(clash, appointment_type, None, location, start, now)
        clash = availability.overlapping_booking(clinician, blocked, exclude=exclude)
        if clash is not None:
            raise taken(clash, appointment_type, clinician, location, start, now)
        if not for_staff:
            raise SlotUnavailableError()
        if not override_reason.strip():
            raise OverrideReasonRequiredError(
                f"That time is outside the clinician's bookable hours. {override_hint}"
            )
        chosen = clinician
        if location is None and require_location:
            raise SlotUnavailableError("Choose a location for a booking outside the hours.")
    assert chosen is not None
    if location is None and slot is not None:
        location = Location.objects.get(pk=int(slot.place))
    return Placement(chosen, location, start, start + rules.duration, blocked)


def check_reinjection_interval(
    patient: Patient, appointment_type: AppointmentType, start: datetime
) -> None:
    """Raise ReinjectionTooEarlyError when a toxin visit is before the patient's due date."""
    if not appointment_type.is_reinjection:
        return
    recall = InjectionRecall.objects.filter(patient=patient).first()
    if recall is not None and core.local_day(start, availability.clinic_zone()) < recall.due_on:
        raise ReinjectionTooEarlyError(recall.due_on)


def admit_patient(
    patient: Patient,
    appointment_type: AppointmentType,
    placement: Placement,
    *,
    actor: User,
    override_reason: str,
    exclude: Appointment | None = None,
) -> None:
    """Check the patient may have this visit then: re-injection interval, no other visit.

    ``actor`` is the staff member placing it (None for a patient): only a clinician may book a
    re-injection before the due date, and says why. Raises ReinjectionTooEarlyError or
    PatientBusyError.
    """
    try:
        check_reinjection_interval(patient, appointment_type, placement.start)
    except ReinjectionTooEarlyError:
        if not (actor is not None and is_clinical_staff(actor) and override_reason.strip()):
            raise
    clash = availability.patient_clash(patient.pk, placement.start, placement.end, exclude=exclude)
    if clash is not None:
        raise PatientBusyError()
