"""Put a patient on the waitlist, from the desk or from the public site."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import HttpRequest

from collis.audit.actions import Action, record_access
from collis.patients.models import Patient
from collis.providers.models import Clinician
from collis.scheduling.actions.booking import Contact, resolve_patient
from collis.scheduling.actions.placement import User
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
        patient = resolve_patient(contact, request, actor)
        return join_waitlist(
            patient=patient,
            appointment_type=appointment_type,
            earliest=earliest,
            latest=latest,
            clinician=clinician,
            actor=actor,
            request=request,
        )
