"""Injection-cycle recall: who is due or overdue for botulinum toxin, and the recall email."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone

from collis.lib.i18n import patient_language
from collis.scheduling.availability import clinic_zone
from collis.scheduling.links import patient_token
from collis.scheduling.models import Appointment, AppointmentType, BookingPolicy, InjectionRecall
from collis.scheduling.notifications import recall_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecallRow:
    recall: InjectionRecall
    days_overdue: int  # negative: due in that many days
    has_booking: bool
    notes: tuple[str, ...] = ()  # decision-support notes from apps above (scheduling/ports.py)


def clinic_today() -> date:
    return timezone.now().astimezone(clinic_zone()).date()


def _booked_reinjection() -> Exists:
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
        .annotate(has_booking=_booked_reinjection())
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


def send_recall_now(recall: InjectionRecall) -> None:
    """Email one patient their recall now (the desk's "Send recall"), and note it was sent."""
    recall_email(
        to=recall.patient.email,
        name=recall.patient.given_name,
        due_on=recall.due_on,
        product_name=recall.product_name,
        booking_url=recall_booking_url(recall),
    ).send()
    InjectionRecall.objects.filter(pk=recall.pk).update(recall_sent_for=recall.due_on)


def send_recall_emails(today: date | None = None) -> dict[str, int]:
    """Email each patient whose injection is due within the lead time, once per due date."""
    today = today or clinic_today()
    lead = BookingPolicy.current().recall_lead_days
    counts = {"sent": 0, "failed": 0}
    candidates = (
        InjectionRecall.objects.filter(due_on__lte=today + timedelta(days=lead))
        .exclude(recall_sent_for=F("due_on"))
        .annotate(has_booking=_booked_reinjection())
        .filter(has_booking=False)
        .exclude(patient__email="")
        .select_related("patient")
    )
    for recall in candidates:
        # Claim first: a second worker finds nothing to update and sends nothing.
        claimed = (
            InjectionRecall.objects.filter(pk=recall.pk)
            .exclude(recall_sent_for=recall.due_on)
            .update(recall_sent_for=recall.due_on)
        )
        if not claimed:
            continue
        message = recall_email(
            to=recall.patient.email,
            name=recall.patient.given_name,
            due_on=recall.due_on,
            product_name=recall.product_name,
            booking_url=recall_booking_url(recall),
            language=patient_language(recall.patient),
        )
        try:
            message.send()
        except Exception as exc:  # outbound edge: release the claim so the next pass retries
            logger.warning("recall for patient %s failed: %s", recall.patient_id, exc)
            InjectionRecall.objects.filter(pk=recall.pk).update(recall_sent_for=None)
            counts["failed"] += 1
        else:
            counts["sent"] += 1
    return counts
