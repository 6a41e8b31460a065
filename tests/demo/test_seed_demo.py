from io import StringIO

import pytest
from django.core.management import call_command

from collis.education.models import Page
from collis.patients.models import Patient
from collis.providers.models import Clinician, Location

pytestmark = pytest.mark.django_db


def test_seed_creates_a_plausible_clinic_and_is_idempotent(capsys):
    call_command("seed_demo")
    counts = (
        Location.objects.count(),
        Clinician.objects.count(),
        Patient.objects.count(),
        Page.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (2, 6, 40, 3)
    assert (
        Location.objects.count(),
        Clinician.objects.count(),
        Patient.objects.count(),
        Page.objects.count(),
    ) == counts
    out = capsys.readouterr().out
    assert "admin" in out and "collis-admin-demo" in out and "patient" in out


def test_demo_patients_are_synthetic():
    call_command("seed_demo", stdout=StringIO())
    assert not Patient.objects.exclude(mrn__startswith="DEMO-").exists()
    assert not Patient.objects.exclude(email__endswith="@example.com").exists()
