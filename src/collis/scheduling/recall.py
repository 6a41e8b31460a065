"""Injection-cycle recall, read side: who is due or overdue for botulinum toxin, the booking link.

The recall email (desk and nightly job) is sent by ``actions.recall_emails``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from collis.scheduling.availability import clinic_zone
from collis.scheduling.links import patient_token
from collis.scheduling.models import Appointment, AppointmentType, InjectionRecall


@dataclass(frozen=True)
class RecallRow:
    recall: InjectionRecall
    days_overdue: int  # negative: due in that many days
    has_booking: bool
    notes: tuple[str, ...] = ()  # decision-support notes from apps above (scheduling/ports.py)


def clinic_today() -> date:
    return timezone.now().astimezone(clinic_zone()).date()


def booked_reinjection() -> Exists:
    return Exists(
        Appointment.objects.active().filter(
            patient_id=OuterRef("patient_id"),
            appointment_type__is_reinjection=True,
            start__date__gte=OuterRef("due_on"),
        )
    )


def due_recalls(today: date, *, within_days: int = 14) -> list[RecallRow]:
    """Return patients due within ``within_days`` or overdue, most overdue first."""
    rows = (
        InjectionRecall.objects.filter(due_on__lte=today + timedelta(days=within_days))
        .filter(unreachable_since__isnull=True)
        .exclude(snoozed_until__gt=today)
        .annotate(has_booking=booked_reinjection())
        .select_related("patient")
        .order_by("due_on")
    )
    return [RecallRow(r, (today - r.due_on).days, r.has_booking) for r in rows]


def recall_booking_url(recall: InjectionRecall) -> str:
    reinjection = AppointmentType.objects.filter(is_reinjection=True, is_active=True).first()
    query = f"?token={patient_token(recall.patient_id, 'recall')}"
    if reinjection is not None:
        query += f"&type={reinjection.slug}"
    return settings.SITE_URL + reverse("scheduling:book-start") + query
