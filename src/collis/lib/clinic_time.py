"""Times as people read them: in the clinic's zone, in a plain format ("Wednesday, December 9,
2026, 9:45 AM"). Storage is UTC; nothing shown to a person should be."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(settings.CLINIC_TIME_ZONE)


def to_clinic(moment: datetime) -> datetime:
    return moment.astimezone(clinic_zone())


def clock(moment: datetime) -> str:
    """'9:45 AM' in the clinic zone."""
    local = to_clinic(moment)
    return f"{local.hour % 12 or 12}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"


def friendly(moment: datetime, *, weekday: bool = True) -> str:
    """'Wednesday, December 9, 2026, 9:45 AM' in the clinic zone."""
    local = to_clinic(moment)
    day = f"{local:%B} {local.day}, {local.year}"
    if weekday:
        day = f"{local:%A}, {day}"
    return f"{day}, {clock(local)}"
