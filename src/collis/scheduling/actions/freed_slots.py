"""Offer a freed slot to the waitlist: first come, first served, by a signed link.

The job ``scheduling.offer_freed_slot`` (queued when an appointment is cancelled or moved)
calls ``offer_freed_slot``; the desk's one-patient hold is ``waitlist_offers``.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from collis.jobs.outbox import send_once
from collis.scheduling.availability import clinic_zone, offered_slot
from collis.scheduling.links import patient_token
from collis.scheduling.models import Appointment, WaitlistEntry
from collis.scheduling.notifications import waitlist_offer_email

__all__ = ["OFFERS_PER_SLOT", "offer_freed_slot"]

# How many waiting patients hear about one freed slot; the first to book it gets it.
OFFERS_PER_SLOT = 3


def offer_freed_slot(appointment: Appointment, freed_start: datetime | None = None) -> int:
    """Email waiting patients about a time that just became free; return how many were told.

    Nothing is sent if the time is no longer bookable (someone took it, or it is too soon).
    """
    start = freed_start or appointment.start
    appointment_type = appointment.appointment_type
    if offered_slot(appointment_type, appointment.clinician, start) is None:
        return 0
    local = start.astimezone(clinic_zone())
    entries = (
        WaitlistEntry.objects.filter(
            status=WaitlistEntry.Status.WAITING,
            appointment_type=appointment_type,
            earliest__lte=local.date(),
            latest__gte=local.date(),
        )
        .filter(Q(clinician__isnull=True) | Q(clinician=appointment.clinician))
        .exclude(patient__email="")
        .exclude(patient_id=appointment.patient_id)
        .select_related("patient")[:OFFERS_PER_SLOT]
    )
    told = 0
    for entry in entries:
        query = urlencode(
            {
                "type": appointment_type.slug,
                "clinician": appointment.clinician.slug,
                "location": appointment.location.slug,
                "start": start.isoformat(),
                "token": patient_token(entry.patient_id, "waitlist", start),
            }
        )
        url = f"{settings.SITE_URL}{reverse('scheduling:book-details')}?{query}"
        message = waitlist_offer_email(
            entry=entry, appointment=appointment, start=start, booking_url=url
        )
        # A retried job does not offer the same freed time to the same person twice.
        send_once(f"waitlist-offer:{entry.pk}:{start.isoformat()}", message)
        WaitlistEntry.objects.filter(pk=entry.pk).update(
            status=WaitlistEntry.Status.OFFERED, offered_start=start
        )
        told += 1
    return told
