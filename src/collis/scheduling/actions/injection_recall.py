"""Record an injection's recall: when the patient is due for toxin again (scheduling owns it).

``injections.actions.record_injection_session`` calls ``record_injection_cycle`` in its
transaction; ``scheduling.recall`` reads the recalls and sends the reminders.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from collis.audit.actions import Action, record_access
from collis.patients.models import Patient
from collis.scheduling.models import InjectionRecall

__all__ = ["record_injection_cycle"]


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
