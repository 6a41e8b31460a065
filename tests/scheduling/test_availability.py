"""Through the database: the DST weeks, a signed-in patient booking, the public waitlist."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.urls import reverse

from collis.patients.models import Patient
from collis.scheduling import availability, slots
from collis.scheduling.models import Appointment, WaitlistEntry

CHICAGO = ZoneInfo("America/Chicago")


def day_starts(clinic, day: date, now: datetime) -> list[datetime]:
    found = availability.find_slots(
        clinic.follow_up,
        clinicians=[clinic.okafor],
        since=slots.wall_to_utc(day, time(0), CHICAGO),
        until=slots.wall_to_utc(day + timedelta(days=1), time(0), CHICAGO),
        now=now,
    )
    return [s.start for s in found]


def test_march_dst_week_keeps_nine_oclock_local(clinic):
    now = datetime(2026, 2, 20, tzinfo=UTC)
    friday = day_starts(clinic, date(2026, 3, 6), now)
    monday = day_starts(clinic, date(2026, 3, 9), now)
    assert friday[0] == datetime(2026, 3, 6, 15, tzinfo=UTC)  # 9:00 CST
    assert monday[0] == datetime(2026, 3, 9, 14, tzinfo=UTC)  # 9:00 CDT
    assert len(friday) == len(monday)  # same wall-clock hours, same number of slots


def test_november_dst_week_keeps_nine_oclock_local(clinic):
    now = datetime(2026, 10, 20, tzinfo=UTC)
    friday = day_starts(clinic, date(2026, 10, 30), now)
    monday = day_starts(clinic, date(2026, 11, 2), now)
    assert friday[0] == datetime(2026, 10, 30, 14, tzinfo=UTC)  # 9:00 CDT
    assert monday[0] == datetime(2026, 11, 2, 15, tzinfo=UTC)  # 9:00 CST
    assert [s.astimezone(CHICAGO).time() for s in friday] == [
        s.astimezone(CHICAGO).time() for s in monday
    ]


def test_signed_in_patient_books_linked_to_their_record(client, clinic, patient_user):
    patient = Patient.objects.create(
        mrn="P-9",
        given_name="Pat",
        family_name="Portal",
        email="portal@example.com",
        user=patient_user,
    )
    client.force_login(patient_user)
    query = urlencode(
        {
            "type": clinic.follow_up.slug,
            "clinician": clinic.okafor.slug,
            "start": clinic.at(clinic.monday, 11).isoformat(),
        }
    )
    url = f"{reverse('scheduling:book-details')}?{query}"
    page = client.get(url).content.decode()
    assert 'value="portal@example.com"' in page  # prefilled from the record
    response = client.post(
        url,
        {
            "given_name": "Pat",
            "family_name": "Portal",
            "email": "portal@example.com",
            "idempotency_key": "portal-1",
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.get().patient == patient


def test_public_waitlist_form(client, clinic):
    url = f"{reverse('scheduling:book-waitlist')}?type={clinic.follow_up.slug}"
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "given_name": "W",
            "family_name": "Aiting",
            "email": "w@example.com",
            "birth_date": "1970-01-01",
            "earliest": clinic.monday + timedelta(days=3),
            "latest": clinic.monday,
        },
    )
    assert "must not be before" in bad.content.decode()
    client.post(
        url,
        {
            "given_name": "W",
            "family_name": "Aiting",
            "email": "w@example.com",
            "birth_date": "1970-01-01",
            "earliest": clinic.monday,
            "latest": clinic.monday + timedelta(days=3),
        },
    )
    entry = WaitlistEntry.objects.get()
    assert entry.patient.email == "w@example.com" and entry.clinician is None
