"""Finding 5: anonymisation left identity behind: appointments kept the contact's name, email
and phone; earlier bulk-export NDJSON files stayed downloadable with the old identity;
free-text notes were untouched. Every copy is now anonymised and the page lists what was erased.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from collis.jobs.models import Job
from collis.patients.models import Patient, Visit
from collis.scheduling.models import Appointment, WaitlistEntry

from ..scheduling.conftest import make_clinic
from .attack import Attacker, give_authenticator

pytestmark = pytest.mark.django_db(transaction=True)

IDENTITY = ("Lovelace", "ada@example.com", "555-0142")


@pytest.fixture
def admin_http(live_server, administrator, settings, tmp_path) -> Attacker:
    settings.MEDIA_ROOT = tmp_path / "media"
    give_authenticator(administrator)
    return Attacker(live_server.url).sign_in("t-admin", "pw-admin-123456")


@pytest.fixture
def victim(db, clinician_user):
    from collis.providers.models import Clinician

    clinic = make_clinic()
    patient = Patient.objects.create(
        mrn="T-0001", given_name="Ada", family_name="Lovelace", birth_date=date(1970, 1, 2),
        email="ada@example.com", phone="(312) 555-0142",
    )  # fmt: skip
    start = clinic.at(clinic.monday, 10)
    appointment = Appointment.objects.create(
        patient=patient, clinician=clinic.okafor, location=clinic.location,
        appointment_type=clinic.follow_up, start=start, end=start + timedelta(minutes=20),
        blocked_start=start, blocked_end=start + timedelta(minutes=20),
        contact_name="Ada Lovelace", contact_email="ada@example.com",
        contact_phone="(312) 555-0142", reason="Ada Lovelace's neck, call 555-0142",
    )  # fmt: skip
    WaitlistEntry.objects.create(
        patient=patient, appointment_type=clinic.follow_up, earliest=clinic.monday,
        latest=clinic.monday + timedelta(days=7), note="Ada prefers mornings, 555-0142",
    )  # fmt: skip
    doctor = Clinician.objects.create(user=clinician_user, display_name="Dr. A", slug="dr-a")
    Visit.objects.create(
        patient=patient, clinician=doctor, occurred_at=timezone.now(),
        notes="Ada Lovelace came with her husband.",
    )  # fmt: skip
    Job.objects.create(  # a confirmation email still waiting to go out
        name="scheduling.send_appointment_email",
        kwargs={"appointment_id": appointment.pk, "kind": "confirmation"},
        run_after=timezone.now() + timedelta(hours=1),
    )
    Job.objects.create(  # one that went out: its result names the address
        name="scheduling.send_appointment_email", state=Job.State.DONE,
        kwargs={"appointment_id": appointment.pk, "kind": "request"},
        result={"to": "ada@example.com", "kind": "request"},
    )  # fmt: skip
    return patient


def _anonymise(admin: Attacker, patient: Patient):
    return admin.post(
        f"/accounts/privacy/patients/{patient.pk}/anonymise/",
        {"reason": "Erasure request of 2026-11-30", "confirm_mrn": patient.mrn, "understood": "on"},
    )


def test_every_copy_of_the_identity_is_anonymised(admin_http, victim):
    # An earlier bulk export, downloadable by administrators, holds the old identity.
    kick = admin_http.get("/fhir/$export?_type=Patient", headers={"Prefer": "respond-async"})
    job_id = kick.headers["Content-Location"].rstrip("/").rsplit("/", 1)[1]
    export_file = f"/fhir/$export-file/{job_id}/Patient.ndjson"
    assert "Lovelace" in admin_http.get(export_file).text

    assert _anonymise(admin_http, victim).status_code == 302

    leftovers = []
    for appointment in Appointment.objects.filter(patient=victim):
        leftovers += [appointment.contact_name, appointment.contact_email,
                      appointment.contact_phone, appointment.reason]  # fmt: skip
    leftovers += [w.note for w in WaitlistEntry.objects.filter(patient=victim)]
    leftovers += [v.notes for v in Visit.objects.filter(patient=victim)]
    leftovers += [str(j.kwargs) + str(j.result) for j in Job.objects.all()]
    for text in leftovers:
        assert not any(word in text for word in IDENTITY), text
    assert not Job.objects.filter(
        name="scheduling.send_appointment_email", state=Job.State.QUEUED
    ).exists()
    old = admin_http.get(export_file)
    assert "Lovelace" not in old.text


def test_the_administrator_sees_what_was_erased(admin_http, victim):
    _anonymise(admin_http, victim)
    page = admin_http.get(f"/accounts/privacy/patients/{victim.pk}/anonymise/").text
    for what in ("appointments", "waitlist", "visit notes", "queued emails"):
        assert what in page, what
