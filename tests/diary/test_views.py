"""The clinician assigns a home programme."""

import pytest
from collis_testing import sign_in_with_second_factor
from django.urls import reverse

from collis.diary.models import Exercise, HomeProgramme

pytestmark = pytest.mark.django_db


def test_clinician_assigns_exercises_with_frequency(client, clinician_user, clinician, patient):
    sign_in_with_second_factor(client, clinician_user)
    chin = Exercise.objects.get(slug="chin-tuck")
    response = client.post(
        reverse("diary:programme-edit", args=[patient.pk]),
        {
            "starts_on": "2026-03-01",
            "notes": "Heat first",
            f"ex{chin.pk}_on": "on",
            f"ex{chin.pk}_frequency": "Twice a day",
            f"ex{chin.pk}_dose": "10 × 5 s",
        },
    )
    assert response.status_code == 302
    programme = HomeProgramme.objects.get(patient=patient)
    assert programme.assigned_by == clinician
    assert [(i.exercise.slug, i.frequency) for i in programme.items.all()] == [
        ("chin-tuck", "Twice a day")
    ]


def test_chosen_exercise_needs_a_frequency(client, clinician_user, clinician, patient):
    sign_in_with_second_factor(client, clinician_user)
    chin = Exercise.objects.get(slug="chin-tuck")
    response = client.post(
        reverse("diary:programme-edit", args=[patient.pk]),
        {"starts_on": "2026-03-01", f"ex{chin.pk}_on": "on"},
    )
    assert "Say how often: Chin tuck." in response.content.decode()
    assert not HomeProgramme.objects.exists()
