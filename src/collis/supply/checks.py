"""The booking check supply contributes to scheduling (registered in ``apps.ready``)."""

from __future__ import annotations

from collis.lib.booking_checks import BookingContext


def authorisation_booking_check(context: BookingContext) -> list[str]:
    """Warn when a toxin injection booked for ``context.on`` lacks a usable authorisation."""
    if not context.is_injection:
        return []
    from collis.supply.inventory import authorisation_status

    assessment = authorisation_status(context.patient_id, context.on)
    return [assessment.message] if assessment.warns else []
