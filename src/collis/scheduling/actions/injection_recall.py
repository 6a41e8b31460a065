"""Record an injection's recall: when the patient is due for toxin again (scheduling owns it).

``injections.actions.record_injection_session`` calls ``record_injection_cycle`` in its
transaction; ``scheduling.recall`` reads the recalls and ``recall_emails`` sends the letters.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.patients.models import Patient
from collis.scheduling.errors import OverrideReasonRequiredError
from collis.scheduling.models import InjectionRecall

__all__ = ["mark_recall_unreachable", "record_injection_cycle", "snooze_recall"]


def record_injection_cycle(
    *,
    patient: Patient,
    injected_on: date,
    min_interval_days: int,
    product_name: str,
    actor: Any = None,
) -> InjectionRecall:
    """Record a toxin injection: the patient is due again ``min_interval_days`` later.

    Called by the injections app after an injection session is saved. An injection older than
    the one already recorded leaves the due date alone. The usual interval is 84 days
    (12 weeks; clinical.md §3 labels and §4 trial design).
    """
    if min_interval_days < 1:
        raise ValueError("min_interval_days must be at least 1")
    with transaction.atomic():
        recall = InjectionRecall.objects.select_for_update().filter(patient=patient).first()
        if recall is not None and recall.last_injected_on > injected_on:
            return recall
        if recall is None:
            recall = InjectionRecall(patient=patient)
        recall.last_injected_on = injected_on
        recall.min_interval_days = min_interval_days
        recall.product_name = product_name[:100]
        recall.due_on = injected_on + timedelta(days=min_interval_days)
        recall.save()
        record_access(
            None,
            Action.UPDATE,
            recall,
            user=actor,
            detail={"due_on": recall.due_on.isoformat(), "product": product_name},
        )
    return recall


def snooze_recall(
    recall: InjectionRecall,
    *,
    until: date,
    reason: str,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> InjectionRecall:
    """Leave a patient off the recall list until ``until``, with the reason recorded."""
    if not reason.strip():
        raise OverrideReasonRequiredError("Say why the recall waits.")
    with transaction.atomic():
        recall = InjectionRecall.objects.select_for_update().get(pk=recall.pk)
        recall.snoozed_until = until
        recall.snooze_reason = reason.strip()[:300]
        recall.save(update_fields=["snoozed_until", "snooze_reason", "updated_at"])
        record_access(
            request,
            Action.UPDATE,
            recall,
            user=actor,
            detail={"recall": "snoozed", "until": until.isoformat(), "reason": reason[:300]},
        )
    return recall


def mark_recall_unreachable(
    recall: InjectionRecall,
    *,
    note: str = "",
    actor: Any = None,
    request: HttpRequest | None = None,
) -> InjectionRecall:
    """Take a patient the desk could not reach off the recall list (audited, with a note)."""
    with transaction.atomic():
        recall = InjectionRecall.objects.select_for_update().get(pk=recall.pk)
        recall.unreachable_since = timezone.now()
        recall.unreachable_note = note.strip()[:300]
        recall.save(update_fields=["unreachable_since", "unreachable_note", "updated_at"])
        record_access(request, Action.UPDATE, recall, user=actor, detail={"recall": "unreachable"})
    return recall
