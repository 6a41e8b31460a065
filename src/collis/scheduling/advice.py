"""Advice other apps give about a booking (e.g. supply's prior-authorisation check), for staff.

Scheduling never imports those apps: they register checks in ``collis.lib.booking_checks``.
"""

from __future__ import annotations

from collis.lib.booking_checks import booking_warnings
from collis.scheduling.availability import clinic_zone
from collis.scheduling.models import Appointment


def booking_advice(appointment: Appointment) -> list[str]:
    """Warnings for an active appointment on its local day; empty when cancelled or no-show."""
    if not appointment.is_active:
        return []
    return booking_warnings(
        appointment.patient_id,
        appointment.start.astimezone(clinic_zone()).date(),
        is_injection=appointment.appointment_type.is_reinjection,
    )
