"""Offer a freed time to one waitlisted patient from the desk, held for them for a while.

``offer_waitlist_slot`` holds the time (a SlotHold, which ``placement.place`` refuses to anyone
else) and emails the patient a link; ``accept_waitlist_offer`` books it through the same booking
action everyone uses; ``expire_waitlist_offers`` records lapsed holds and puts the entries back
on the waitlist so they can be offered again. Every write is audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.jobs.actions import enqueue
from collis.providers.models import Clinician, Location
from collis.scheduling.actions.booking import Contact, book_appointment
from collis.scheduling.actions.placement import User, admit_patient, place
from collis.scheduling.errors import WaitlistOfferError
from collis.scheduling.models import Appointment, SlotHold, WaitlistEntry

__all__ = ["accept_waitlist_offer", "expire_waitlist_offers", "offer_waitlist_slot"]


def hold_duration() -> timedelta:
    return timedelta(hours=getattr(settings, "WAITLIST_HOLD_HOURS", 24))


def offer_waitlist_slot(
    *,
    entry: WaitlistEntry,
    start: datetime,
    clinician: Clinician,
    location: Location | None = None,
    actor: User = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> SlotHold:
    """Hold ``start`` with ``clinician`` for the entry's patient and email them a link.

    The time must be free and offered (the same placement step as booking: SlotTakenError,
    SlotUnavailableError, PatientBusyError...). An entry with a live hold, or one no longer
    waiting, is refused (WaitlistOfferError); a lapsed hold is expired first, so the entry can
    be offered again.
    """
    now = now or timezone.now()
    expire_waitlist_offers(now=now)
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().select_related("patient").get(pk=entry.pk)
        if entry.status not in (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED):
            raise WaitlistOfferError("This patient is no longer on the waitlist.")
        if entry.holds.filter(status=SlotHold.Status.HELD, expires_at__gt=now).exists():
            raise WaitlistOfferError("A time is already held for this patient; wait for it.")
        if not entry.patient.email:
            raise WaitlistOfferError("This patient has no email address to send the offer to.")
        placement = place(
            entry.appointment_type,
            start,
            clinician=clinician,
            location=location,
            now=now,
            for_staff=False,  # only a time the clinician offers: the patient books it online
            override_reason="",
            override_hint="",
            require_location=True,
        )
        admit_patient(
            entry.patient, entry.appointment_type, placement, actor=None, override_reason=""
        )
        assert placement.location is not None
        hold = SlotHold.objects.create(
            entry=entry,
            patient=entry.patient,
            appointment_type=entry.appointment_type,
            clinician=placement.clinician,
            location=placement.location,
            start=placement.start,
            blocked_start=placement.blocked.start,
            blocked_end=placement.blocked.end,
            expires_at=now + hold_duration(),
            offered_by=actor if actor is not None and actor.is_authenticated else None,
        )
        entry.status = WaitlistEntry.Status.OFFERED
        entry.offered_start = placement.start
        entry.save(update_fields=["status", "offered_start"])
        record_access(
            request,
            Action.CREATE,
            hold,
            user=actor,
            patient_id=entry.patient_id,
            detail={"entry": entry.pk, "expires_at": hold.expires_at.isoformat()},
        )
        enqueue("scheduling.send_waitlist_hold_email", hold_id=hold.pk)
    return hold


def accept_waitlist_offer(
    *,
    token: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book the held time for its patient (the link in the offer email). Accepting twice
    returns the same appointment; a lapsed or unknown hold raises WaitlistOfferError."""
    now = now or timezone.now()
    with transaction.atomic():
        hold = (
            SlotHold.objects.select_for_update()
            .select_related("patient", "appointment_type", "clinician", "location")
            .filter(token=token)
            .first()
        )
        if hold is None:
            raise WaitlistOfferError()
        if hold.status == SlotHold.Status.ACCEPTED and hold.appointment is not None:
            return hold.appointment
        if hold.status != SlotHold.Status.HELD or hold.expires_at <= now:
            raise WaitlistOfferError(
                "This offer has expired. Reply to the clinic if you would still like an "
                "earlier time."
            )
        patient = hold.patient
        appointment = book_appointment(
            appointment_type=hold.appointment_type,
            start=hold.start,
            clinician=hold.clinician,
            location=hold.location,
            patient=patient,
            contact=Contact(patient.given_name, patient.family_name, patient.email, patient.phone),
            source=Appointment.Source.ONLINE,
            idempotency_key=f"waitlist-hold-{hold.pk}",
            request=request,
            now=now,
        )
        hold.status = SlotHold.Status.ACCEPTED
        hold.appointment = appointment
        hold.save(update_fields=["status", "appointment"])
        record_access(
            request,
            Action.UPDATE,
            hold,
            patient_id=patient.pk,
            detail={"accepted": True, "appointment": appointment.pk},
        )
    return appointment


def expire_waitlist_offers(*, now: datetime | None = None) -> int:
    """Mark lapsed holds expired and put their entries back to waiting; return how many."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        lapsed = SlotHold.objects.select_for_update().filter(
            status=SlotHold.Status.HELD, expires_at__lte=now
        )
        for hold in lapsed:
            hold.status = SlotHold.Status.EXPIRED
            hold.save(update_fields=["status"])
            WaitlistEntry.objects.filter(
                pk=hold.entry_id, status=WaitlistEntry.Status.OFFERED
            ).update(status=WaitlistEntry.Status.WAITING)
            record_access(
                None,
                Action.UPDATE,
                hold,
                patient_id=hold.patient_id,
                detail={"expired": True},
            )
            count += 1
    return count
