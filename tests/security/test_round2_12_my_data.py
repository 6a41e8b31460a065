"""Finding 12: the "My data" download held only the account, the patient, posture recordings
and access history: no scores, injections, diary, visits or appointments. Each app now
registers its part with the privacy registry; replayed as the patient downloading over HTTP.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from collis.diary.models import DiaryEntry
from collis.patients.models import Patient, Visit
from collis.providers.models import Clinician
from collis.scales.models import Assessment
from collis.scheduling.models import Appointment

from ..scheduling.conftest import make_clinic
from .attack import Attacker

pytestmark = pytest.mark.django_db(transaction=True)


def test_my_data_holds_every_part_of_the_record(live_server, patient_user):
    clinic = make_clinic()
    me = Patient.objects.create(mrn="M-1", given_name="Mia", family_name="Data", user=patient_user)
    doctor = Clinician.objects.create(display_name="Dr. D", slug="dr-d")
    Visit.objects.create(patient=me, clinician=doctor, occurred_at=timezone.now(), notes="ok")
    DiaryEntry.objects.create(patient=me, entry_date=date(2026, 1, 2), pain=4, severity=5)
    Assessment.objects.create(patient=me, scale="twstrs", scale_version="v", assessed_on=date(
        2026, 1, 2), status="complete", total=31)  # fmt: skip
    start = clinic.at(clinic.monday, 10)
    Appointment.objects.create(
        patient=me, clinician=clinic.okafor, location=clinic.location,
        appointment_type=clinic.follow_up, start=start, end=start + timedelta(minutes=20),
        blocked_start=start, blocked_end=start + timedelta(minutes=20),
        contact_name="Mia Data", contact_email="mia@example.com",
    )  # fmt: skip
    response = (
        Attacker(live_server.url)
        .sign_in("t-patient", "pw-pat-1234567")
        .get("/accounts/my-data.json")
    )
    assert response.status_code == 200
    sections = response.json()["sections"]
    for part in ("patient", "account", "record_access_history", "scales", "injections", "diary",
                 "visits", "scheduling", "posture_recordings"):  # fmt: skip
        assert part in sections, part
    assert sections["scales"][0]["total"] == 31
    assert sections["diary"]["entries"][0]["pain"] == 4
    assert sections["visits"][0]["clinician"] == "Dr. D"
    assert sections["scheduling"]["appointments"][0]["type"] == clinic.follow_up.name
