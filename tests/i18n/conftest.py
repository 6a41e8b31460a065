"""A small clinic whose own data (names, visit types) is written in Spanish."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from collis.providers.models import Clinic, Clinician, Location
from collis.scheduling.models import AppointmentType, BookingPolicy, WeeklyHours


@pytest.fixture
def spanish_clinic(db):
    BookingPolicy.objects.create(min_notice_hours=12, horizon_days=120, granularity_minutes=15)
    owner = Clinic.objects.create(name="Clínica Collis", phone="(312) 555-0199")
    location = Location.objects.create(
        clinic=owner, name="Centro", slug="centro", street="1 Calle Mayor", city="Chicago"
    )
    ruiz = Clinician.objects.create(display_name="Dra. Ana Ruiz", slug="dra-ruiz")
    ruiz.locations.add(location)
    for weekday in range(5):
        WeeklyHours.objects.create(
            clinician=ruiz, location=location, weekday=weekday, start=time(9), end=time(17)
        )
    kind = AppointmentType.objects.create(
        name="Consulta de seguimiento", slug="seguimiento", duration_minutes=20
    )
    kind.clinicians.set([ruiz])
    today = timezone.localdate()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    if (monday - today).days < 5:
        monday += timedelta(days=7)
    start = datetime.combine(monday, time(10)).replace(tzinfo=ZoneInfo(settings.CLINIC_TIME_ZONE))
    return {"location": location, "clinician": ruiz, "type": kind, "monday": monday, "start": start}
