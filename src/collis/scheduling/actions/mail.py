"""What a change of an appointment sends: the patient's email, queued to go after commit."""

from __future__ import annotations

from collis.jobs.actions import enqueue
from collis.scheduling.models import Appointment

__all__ = ["email_after_commit"]


def email_after_commit(appointment: Appointment, kind: str) -> None:
    """Queue the ``kind`` email (confirmation, request, cancelled, ...) if there is an address."""
    if appointment.contact_email:
        enqueue("scheduling.send_appointment_email", appointment_id=appointment.pk, kind=kind)
