"""Put a patient on the waitlist, from the desk or from the public site."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.jobs.actions import enqueue
from collis.patients.models import Patient
from collis.providers.models import Clinician
from collis.scheduling import availability
from collis.scheduling import slots as core
from collis.scheduling.actions.booking import Contact, resolve_patient
from collis.scheduling.actions.placement import User
from collis.scheduling.errors import WaitlistWindowError
from collis.scheduling.models import AppointmentType, WaitlistEntry

__all__ = ["join_waitlist", "join_waitlist_online"]


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
        patient = patient or resolve_patient(contact, request, actor)
        return join_waitlist(
            patient=patient,
            appointment_type=appointment_type,
            earliest=earliest,
            latest=latest,
            clinician=clinician,
            actor=actor,
            request=request,
        )
