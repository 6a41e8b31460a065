"""Clinical demo data: several cycles with scores and diaries, one early wearing-off."""

from io import StringIO

import pytest
from django.core.management import call_command

from collis.chart import timeline as record
from collis.diary.models import DiaryEntry, HomeProgramme
from collis.injections.models import InjectionSession
from collis.patients.models import Patient
from collis.scales.models import Assessment

pytestmark = pytest.mark.django_db


def test_demo_has_clinical_history_and_is_idempotent(demo_data):
    counts = (
        InjectionSession.objects.count(),
        Assessment.objects.count(),
        DiaryEntry.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert (
        InjectionSession.objects.count(),
        Assessment.objects.count(),
        DiaryEntry.objects.count(),
    ) == counts
    assert InjectionSession.objects.values("patient").distinct().count() == 10


def test_demo_login_patient_has_a_rich_history(demo_data):
    patient = Patient.objects.get(mrn="DEMO-0001")
    assert patient.user.username == "patient"
    cycles = record.build_cycles(patient)
    assert len(cycles) >= 3
    assert all(c.baseline is not None for c in cycles)
    assert sum(c.peak is not None for c in cycles) >= 3
    assert DiaryEntry.objects.filter(patient=patient, period="day").count() >= 100
    assert HomeProgramme.objects.filter(patient=patient).exists()
    assert not any(c.wears_off_early for c in cycles)


def test_one_demo_patient_wears_off_early(demo_data):
    cycles = record.build_cycles(Patient.objects.get(mrn="DEMO-0002"))
    assert cycles[-1].wears_off_early
    assert 5 <= cycles[-1].wearing_off.weeks_to_wear_off <= 8


def test_demo_sessions_respect_the_interval(demo_data):
    for session in InjectionSession.objects.all():
        assert all(w["code"] != "interval" for w in session.warnings)
