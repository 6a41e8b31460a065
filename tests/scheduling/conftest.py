"""A small clinic to book in: one location, two clinicians, four visit types, weekday hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from collis.patients.models import Patient
from collis.providers.models import Clinic, Clinician, Location
from collis.scheduling.actions import Contact
from collis.scheduling.models import AppointmentType, BookingPolicy, WeeklyBreak, WeeklyHours


@dataclass
class ClinicSetup:
    location: Location
    okafor: Clinician
    brennan: Clinician
    follow_up: AppointmentType  # 20 min, no buffers
    injection: AppointmentType  # 30 min, 10 before, 5 after, re-injection
    consult: AppointmentType  # 60 min, 10 after
    monday: date  # a Monday at least five days ahead

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """An aware instant at a wall-clock time in the clinic zone."""
        zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
        return datetime.combine(day, time(hour, minute)).replace(tzinfo=zone)


def contact(n: int = 1, birth: date = date(1975, 5, 17)) -> Contact:
    return Contact(f"Pat{n}", "Example", f"pat{n}@example.com", "(312) 555-0100", birth)


@pytest.fixture
def clinic(db) -> ClinicSetup:
    return make_clinic()


def make_clinic() -> ClinicSetup:
    BookingPolicy.objects.create(min_notice_hours=12, horizon_days=120, granularity_minutes=15)
    owner = Clinic.objects.create(name="Test Dystonia Clinic", phone="(312) 555-0199")
    location = Location.objects.create(
        clinic=owner, name="Downtown", slug="downtown", street="1 Main St", city="Chicago"
    )
    okafor = Clinician.objects.create(display_name="Dr. Maya Okafor", slug="dr-okafor")
    brennan = Clinician.objects.create(display_name="Dr. Lucas Brennan", slug="dr-brennan")
    for clinician in (okafor, brennan):
        clinician.locations.add(location)
        for weekday in range(5):
            WeeklyHours.objects.create(
                clinician=clinician, location=location, weekday=weekday, start=time(9), end=time(17)
            )
            WeeklyBreak.objects.create(
                clinician=clinician, weekday=weekday, start=time(12), end=time(13)
            )
    follow_up = AppointmentType.objects.create(
        name="Injection follow-up", slug="injection-follow-up", duration_minutes=20
    )
    injection = AppointmentType.objects.create(
        name="Botulinum-toxin injection",
        slug="toxin-injection",
        duration_minutes=30,
        buffer_before_minutes=10,
        buffer_after_minutes=5,
        is_reinjection=True,
    )
    consult = AppointmentType.objects.create(
        name="New-patient consultation",
        slug="new-patient",
        duration_minutes=60,
        buffer_after_minutes=10,
    )
    for kind in (follow_up, injection, consult):
        kind.clinicians.set([okafor, brennan])
    today = timezone.localdate()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    if (monday - today).days < 5:
        monday += timedelta(days=7)
    return ClinicSetup(location, okafor, brennan, follow_up, injection, consult, monday)


@pytest.fixture
def patient(db) -> Patient:
    return Patient.objects.create(
        mrn="T-0001",
        given_name="Ada",
        family_name="Lovelace",
        birth_date=date(1970, 1, 2),
        email="ada@example.com",
    )
