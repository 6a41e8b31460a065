"""What the booking, reschedule and desk pages share: slot rows, paging by week."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone

from collis.lib.inputs import parse_aware_datetime, parse_date
from collis.providers.models import Clinician, Location
from collis.scheduling import availability
from collis.scheduling import slots as core

DAYS_PER_PAGE = 7
MAX_DAYS_AHEAD = 400  # paging stops here; the booking horizon is shorter (BookingPolicy)


def slot_rows(slots: list[core.Slot], link: Callable[[dict], str] | None = None) -> list[dict]:
    """Decorate core slots with the names and local times the templates show."""
    zone = availability.clinic_zone()
    clinicians = Clinician.objects.in_bulk([int(s.clinician) for s in slots])
    locations = Location.objects.in_bulk([int(s.place) for s in slots if s.place])
    rows = []
    for slot in slots:
        clinician = clinicians[int(slot.clinician)]
        location = locations.get(int(slot.place)) if slot.place else None
        row = {
            "slot": slot,
            "local": slot.start.astimezone(zone),
            "clinician": clinician,
            "location": location,
            "iso": slot.start.isoformat(),
        }
        row["url"] = link(row) if link else ""
        rows.append(row)
    return rows


def parse_start(value: str) -> datetime | None:
    """The aware instant ``?start=`` names, or None for anything odd (see lib.inputs)."""
    return parse_aware_datetime(value)


def week_from(
    request: HttpRequest, earliest: date | None = None
) -> tuple[date, datetime, datetime]:
    """The page of days to show: from ?from= (never before today or ``earliest``)."""
    zone = availability.clinic_zone()
    today = max(timezone.now().astimezone(zone).date(), earliest or date.min)
    asked = parse_date(request.GET.get("from", ""))
    # Never before today, never past the booking horizon's far edge (a year and a bit).
    first_day = min(max(asked or today, today), today + timedelta(days=MAX_DAYS_AHEAD))
    since = core.wall_to_utc(first_day, datetime.min.time(), zone)
    until = core.wall_to_utc(first_day + timedelta(days=DAYS_PER_PAGE), datetime.min.time(), zone)
    return first_day, since, until
