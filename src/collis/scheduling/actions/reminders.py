"""Appointment reminders: exactly once per appointment and kind, retried, status recorded.

The unique (appointment, kind) row is created before sending and claimed with a conditional
update, so two workers never both send; a failed send stays visible and is retried on the next
pass until ``MAX_ATTEMPTS``. Reminders of cancelled appointments are never sent.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from collis.scheduling.models import Appointment, BookingPolicy, ReminderDelivery
from collis.scheduling.notifications import appointment_email

__all__ = ["MAX_ATTEMPTS", "create_due_reminders", "send_due_reminders"]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
UPCOMING = (Appointment.Status.REQUESTED, Appointment.Status.CONFIRMED)
Delivery = ReminderDelivery.Status


def create_due_reminders(now: datetime, offsets_hours: list[int]) -> int:
    """Create the reminder rows that have come due; return how many were new."""
    created = 0
    for hours in offsets_hours:
        offset = timedelta(hours=hours)
        due = (
            Appointment.objects.filter(
                status__in=UPCOMING,
                start__gt=now,
                start__lte=now + offset,
                # Booked after the reminder time: the confirmation just sent says it all.
                created_at__lte=F("start") - offset,
            )
            .exclude(reminders__kind=f"{hours}h")
            .values_list("pk", flat=True)
        )
        rows = [ReminderDelivery(appointment_id=pk, kind=f"{hours}h") for pk in due]
        created += len(ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True))
    return created


def _claim(delivery_id: int) -> bool:
    return bool(
        ReminderDelivery.objects.filter(
            pk=delivery_id, status__in=[Delivery.PENDING, Delivery.FAILED]
        ).update(status=Delivery.SENDING, attempts=F("attempts") + 1)
    )


def send_due_reminders(now: datetime | None = None) -> dict[str, int]:
    """Create and send every reminder now due; return counts by outcome."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    create_due_reminders(now, BookingPolicy.current().reminder_offsets)
    waiting = ReminderDelivery.objects.filter(
        status__in=[Delivery.PENDING, Delivery.FAILED], attempts__lt=MAX_ATTEMPTS
    ).select_related(
        "appointment__clinician", "appointment__location", "appointment__appointment_type"
    )
    for delivery in waiting:
        appointment = delivery.appointment
        if appointment.status not in UPCOMING or appointment.start <= now:
            ReminderDelivery.objects.filter(pk=delivery.pk).update(status=Delivery.SKIPPED)
            counts["skipped"] += 1
            continue
        if not _claim(delivery.pk):
            continue  # another worker has it
        try:
            appointment_email(appointment, "reminder").send()
        except Exception as exc:  # the outbound edge: record and retry on the next pass
            logger.warning("reminder %s failed: %s", delivery.pk, exc)
            ReminderDelivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.FAILED, last_error=str(exc)[:2000]
            )
            counts["failed"] += 1
        else:
            ReminderDelivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.SENT, sent_at=timezone.now(), last_error=""
            )
            counts["sent"] += 1
    return counts
