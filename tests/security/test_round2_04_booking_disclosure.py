"""Finding 4: public booking disclosed treatment to anyone who knew an email and a birth date
("the next injection is due from <date>") and attached the new booking to that patient's
record. Public booking (form and API) now reveals nothing about an existing record and never
attaches to one; matching happens on the staff side or after the patient signs in.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from collis.patients.models import Patient
from collis.scheduling.models import Appointment, InjectionRecall, WaitlistEntry

from ..scheduling.conftest import make_clinic
from .attack import Attacker

pytestmark = pytest.mark.django_db(transaction=True)

BIRTH = date(1970, 1, 2)


@pytest.fixture
def setup(db):
    clinic = make_clinic()
    victim = Patient.objects.create(
        mrn="T-0001", given_name="Ada", family_name="Lovelace", birth_date=BIRTH,
        email="ada@example.com",
    )  # fmt: skip
    due = clinic.monday + timedelta(days=60)
    InjectionRecall.objects.create(patient=victim, due_on=due, last_injected_on=date(2026, 1, 1))
    return clinic, victim, due


def _shows(text: str, due: date) -> bool:
    return any(
        fmt in text for fmt in (due.isoformat(), f"{due:%B} {due.day}", f"{due:%b} {due.day}")
    )


def test_booking_form_reveals_nothing_and_attaches_nothing(live_server, setup):
    clinic, victim, due = setup
    start = clinic.at(clinic.monday, 10).isoformat()
    query = f"type=toxin-injection&clinician=dr-okafor&location=downtown&start={start}"
    attacker = Attacker(live_server.url)
    attacker.get(f"/book/details/?{query}")
    response = attacker.post(
        f"/book/details/?{query}",
        {"given_name": "Ada", "family_name": "Lovelace", "email": "ADA@example.com",
         "phone": "", "birth_date": BIRTH.isoformat(), "reason": "", "idempotency_key": "k-form-1"},
    )  # fmt: skip
    if response.status_code == 302:
        response = attacker.get(response.headers["Location"])
    assert not _shows(response.text, due)
    assert "due" not in response.text.lower() or "Lovelace" not in response.text
    assert not Appointment.objects.filter(patient=victim).exists()


def test_booking_api_reveals_nothing_and_attaches_nothing(live_server, setup):
    clinic, victim, due = setup
    response = Attacker(live_server.url).http.post(
        live_server.url + "/api/scheduling/appointments",
        json={
            "appointment_type": "toxin-injection",
            "start": clinic.at(clinic.monday, 10).isoformat(),
            "clinician": "dr-okafor",
            "contact": {
                "given_name": "Ada",
                "family_name": "Lovelace",
                "email": "ada@example.com",
                "birth_date": BIRTH.isoformat(),
            },
        },  # fmt: skip
        timeout=30,
    )
    assert not _shows(response.text, due)
    assert "reinjection" not in response.text.lower()
    assert not Appointment.objects.filter(patient=victim).exists()


def test_waitlist_does_not_attach_to_an_existing_record(live_server, setup):
    clinic, victim, _ = setup
    attacker = Attacker(live_server.url)
    attacker.post(
        "/book/waitlist/?type=toxin-injection",
        {"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com",
         "birth_date": BIRTH.isoformat(), "earliest": clinic.monday.isoformat(),
         "latest": (clinic.monday + timedelta(days=7)).isoformat()},
    )  # fmt: skip
    assert WaitlistEntry.objects.exists()
    assert not WaitlistEntry.objects.filter(patient=victim).exists()


def test_a_signed_in_patient_still_books_on_their_own_record(live_server, setup, patient_user):
    clinic, victim, _ = setup
    Patient.objects.filter(pk=victim.pk).update(user=patient_user)
    start = clinic.at(clinic.monday, 10).isoformat()
    query = f"type=injection-follow-up&clinician=dr-okafor&location=downtown&start={start}"
    patient = Attacker(live_server.url).sign_in("t-patient", "pw-pat-1234567")
    patient.post(
        f"/book/details/?{query}",
        {"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com",
         "birth_date": BIRTH.isoformat(), "idempotency_key": "k-own-1"},
    )  # fmt: skip
    assert Appointment.objects.filter(patient=victim).exists()
