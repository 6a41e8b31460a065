"""Background jobs of the scheduling app (see collis.jobs for how they run)."""

from __future__ import annotations

from datetime import datetime, timedelta

from collis.jobs import register
from collis.jobs.models import Job
from collis.jobs.outbox import send_once
from collis.jobs.registry import register_periodic
from collis.scheduling import actions
from collis.scheduling.models import Appointment, SlotHold, WaitlistEntry
from collis.scheduling.notifications import (
    appointment_email,
    waitlist_hold_email,
    waitlist_joined_email,
)


@register("scheduling.send_appointment_email", max_attempts=5)
def send_appointment_email(job: Job, appointment_id: int, kind: str) -> dict:
    appointment = Appointment.objects.select_related(
        "clinician", "location", "appointment_type"
    ).get(pk=appointment_id)
    # One email per job, however often the job runs (a worker may die after sending).
    sent = send_once(
        f"appointment:{appointment.uid}:{kind}:job-{job.pk}", appointment_email(appointment, kind)
    )
    return {"to": appointment.contact_email, "kind": kind, "sent": sent}


@register("scheduling.send_waitlist_email", max_attempts=5)
def send_waitlist_email(job: Job, entry_id: int) -> dict:
    entry = WaitlistEntry.objects.select_related("patient", "appointment_type", "clinician").get(
        pk=entry_id
    )
    waitlist_joined_email(entry).send()
    return {"entry": entry_id}


@register("scheduling.send_reminders")
def send_reminders(job: Job) -> dict:
    return actions.send_due_reminders()


@register("scheduling.send_recalls")
def send_recalls(job: Job) -> dict:
    return actions.send_recall_emails()


@register("scheduling.offer_freed_slot")
def offer_freed_slot(job: Job, appointment_id: int, freed_start: str | None = None) -> dict:
    appointment = Appointment.objects.select_related(
        "clinician", "location", "appointment_type"
    ).get(pk=appointment_id)
    start = datetime.fromisoformat(freed_start) if freed_start else None
    return {"offered": actions.offer_freed_slot(appointment, start)}


@register("scheduling.send_waitlist_hold_email", max_attempts=5)
def send_waitlist_hold_email(job: Job, hold_id: int) -> dict:
    hold = SlotHold.objects.select_related(
        "patient", "appointment_type", "clinician", "location"
    ).get(pk=hold_id)
    sent = send_once(f"waitlist-hold:{hold.pk}", waitlist_hold_email(hold))
    return {"hold": hold_id, "sent": sent}


@register("scheduling.expire_waitlist_offers")
def expire_waitlist_offers(job: Job) -> dict:
    from collis.scheduling.actions import expire_waitlist_offers as expire

    return {"expired": expire()}


register_periodic("scheduling.expire_waitlist_offers", every=timedelta(minutes=15))
register_periodic("scheduling.send_reminders", every=timedelta(minutes=10))
register_periodic("scheduling.send_recalls", every=timedelta(hours=6))
