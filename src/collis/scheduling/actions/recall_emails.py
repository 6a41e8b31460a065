"""Send the injection-recall email: the desk's "Send recall" and the nightly job share it.

Both mark the recall sent for its due date (``recall_sent_for``), so the job never sends a
letter the desk has just sent; the job claims each recall with a conditional update first, so
two workers never both send, and releases the claim when the send fails.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.db.models import F
from django.http import HttpRequest

from collis.audit.actions import Action, record_access
from collis.lib.i18n import patient_language
from collis.scheduling.errors import SchedulingError
from collis.scheduling.models import BookingPolicy, InjectionRecall
from collis.scheduling.notifications import recall_email
from collis.scheduling.recall import booked_reinjection, clinic_today, recall_booking_url

__all__ = ["send_recall_emails", "send_recall_now"]

logger = logging.getLogger(__name__)


def _send(recall: InjectionRecall) -> None:
    recall_email(
        to=recall.patient.email,
        name=recall.patient.given_name,
        due_on=recall.due_on,
        product_name=recall.product_name,
        booking_url=recall_booking_url(recall),
        language=patient_language(recall.patient),
    ).send()


def send_recall_now(
    recall: InjectionRecall, *, actor: Any = None, request: HttpRequest | None = None
) -> InjectionRecall:
    """Email one patient their recall now (the desk's "Send recall"); mark it sent, audited.

    Raises ``SchedulingError`` when the patient has no email address (the desk calls instead).
    """
    if not recall.patient.email:
        raise SchedulingError("This patient has no email address: call them instead.")
    _send(recall)
    InjectionRecall.objects.filter(pk=recall.pk).update(recall_sent_for=recall.due_on)
    record_access(request, Action.UPDATE, recall, user=actor, detail={"recall": "sent by desk"})
    return recall


def send_recall_emails(today: date | None = None) -> dict[str, int]:
    """Email each patient whose injection is due within the lead time, once per due date."""
    today = today or clinic_today()
    lead = BookingPolicy.current().recall_lead_days
    counts = {"sent": 0, "failed": 0}
    candidates = (
        InjectionRecall.objects.filter(due_on__lte=today + timedelta(days=lead))
        .exclude(recall_sent_for=F("due_on"))
        .annotate(has_booking=booked_reinjection())
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
        try:
            _send(recall)
        except Exception as exc:  # outbound edge: release the claim so the next pass retries
            logger.warning("recall for patient %s failed: %s", recall.patient_id, exc)
            InjectionRecall.objects.filter(pk=recall.pk).update(recall_sent_for=None)
            counts["failed"] += 1
        else:
            counts["sent"] += 1
    return counts
