"""Who may open the clinical workspace: clinicians yes; front desk, patients, others no."""

from datetime import date, datetime

import pytest
from collis_testing import sign_in_with_second_factor
from django.urls import reverse
from django.utils import timezone

from collis.audit.models import AuditEvent
from collis.diary.models import DiaryEntry
from collis.patients.models import Visit
from collis.scales.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(patient, clinician):
    visit = Visit.objects.create(
        patient=patient,
        clinician=clinician,
        occurred_at=timezone.make_aware(datetime(2026, 3, 2, 9)),
        notes="Private clinical note",
    )
    assessment = Assessment.objects.create(
        patient=patient, scale="twstrs", scale_version="v", assessed_on=date(2026, 3, 2)
    )
    DiaryEntry.objects.create(patient=patient, entry_date=date(2026, 3, 1), pain=3, severity=4)
    return {"patient": patient, "visit": visit, "assessment": assessment}


def clinic_urls(record):
    p, v, a = record["patient"].pk, record["visit"].pk, record["assessment"].pk
    return [
        reverse("patients:patient-list"),
        reverse("patients:patient-detail", args=[p]),
        reverse("patients:diagnosis-edit", args=[p]),
        reverse("patients:visit-create", args=[p]),
        reverse("patients:visit-detail", args=[v]),
        reverse("patients:visit-summary", args=[v]),
        reverse("patients:visit-summary-pdf", args=[v]),
        reverse("scales:assessment-create", args=[p, "twstrs"]),
        reverse("scales:assessment-detail", args=[a]),
        reverse("scales:assessment-edit", args=[a]),
        reverse("injections:session-create", args=[p]),
        reverse("diary:programme-edit", args=[p]),
    ]


def test_clinician_opens_every_clinic_page(client, clinician_user, record):
    sign_in_with_second_factor(client, clinician_user)
    for url in clinic_urls(record):
        response = client.get(url)
        assert response.status_code in (200, 302), url


@pytest.mark.parametrize("persona", ["front_desk", "patient_user", "outsider", "administrator"])
def test_other_roles_are_refused_clinical_pages(client, request, persona, record):
    sign_in_with_second_factor(client, request.getfixturevalue(persona))
    for url in clinic_urls(record):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Private clinical note" not in response.content


def test_front_desk_cannot_post_clinical_data(client, front_desk, record):
    sign_in_with_second_factor(client, front_desk)
    url = reverse("patients:visit-detail", args=[record["visit"].pk])
    assert client.post(url, {"notes": "changed"}).status_code == 403
    record["visit"].refresh_from_db()
    assert record["visit"].notes == "Private clinical note"


def test_anonymous_is_sent_to_sign_in(client, record):
    response = client.get(reverse("patients:patient-detail", args=[record["patient"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_missing_patient_is_404_for_a_clinician(client, clinician_user, db):
    sign_in_with_second_factor(client, clinician_user)
    assert client.get(reverse("patients:patient-detail", args=[999999])).status_code == 404


def test_reading_the_record_is_audited(client, clinician_user, record):
    sign_in_with_second_factor(client, clinician_user)
    client.get(reverse("patients:patient-detail", args=[record["patient"].pk]))
    event = AuditEvent.objects.filter(action="read", patient_id=record["patient"].pk).first()
    assert event is not None and event.actor == clinician_user


def test_sign_in_sends_clinicians_to_the_clinic_and_patients_to_the_portal(
    client, clinician_user, patient
):
    sign_in_with_second_factor(client, clinician_user)
    assert client.get(reverse("accounts:start"))["Location"] == reverse("patients:patient-list")
    sign_in_with_second_factor(client, patient.user)
    assert client.get(reverse("accounts:start"))["Location"] == reverse("portal:home")


def test_front_desk_holds_no_clinical_model_permissions(front_desk, clinician_user):
    from collis.accounts.roles import ensure_role_groups

    ensure_role_groups()
    clinical = [
        "patients.view_diagnosis",
        "patients.view_visit",
        "scales.view_assessment",
        "injections.view_injectionsession",
        "diary.view_diaryentry",
    ]
    assert not any(front_desk.has_perm(p) for p in clinical)
    clinician = type(clinician_user).objects.get(pk=clinician_user.pk)  # fresh permission cache
    assert all(clinician.has_perm(p) for p in clinical)
