"""Patients' data export (registry of sections) and anonymisation by an administrator."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from collis.accounts.errors import AlreadyAnonymisedError, AnonymisationError
from collis.accounts.models import PatientAnonymisation
from collis.audit.actions import Action, record_access
from collis.audit.models import AuditEvent
from collis.patients import privacy
from collis.patients.actions import _anonymised_birth_date, anonymise_patient
from collis.patients.models import Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(patient_user):
    return Patient.objects.create(
        mrn="P-100",
        given_name="Ada",
        family_name="Quill",
        birth_date=date(1970, 6, 15),
        sex=Patient.Sex.FEMALE,
        email="ada@example.com",
        phone="(312) 555-0100",
        user=patient_user,
    )


def test_export_holds_every_registered_section_as_plain_json(patient, clinician_user):
    record_access(None, Action.READ, patient, user=clinician_user)
    data = privacy.export_patient_data(patient)
    assert data["format"] == "collis-patient-export" and data["version"] == 1
    assert set(data["sections"]) >= {"patient", "account", "record_access_history"}
    assert data["sections"]["patient"]["birth_date"] == "1970-06-15"
    assert data["sections"]["account"]["username"] == "t-patient"
    assert data["sections"]["record_access_history"][0]["who"] == "t-clinician"
    json.dumps(data)  # plain JSON values only


def test_apps_add_their_own_export_section(patient, monkeypatch):
    monkeypatch.setattr(privacy, "_export_sections", dict(privacy._export_sections))
    privacy.register_export_section("example", lambda p: [{"twstrs": 31}])
    assert privacy.export_patient_data(patient)["sections"]["example"] == [{"twstrs": 31}]
    with pytest.raises(ValueError, match="already registered"):
        privacy.register_export_section("example", lambda p: [])


def test_patient_downloads_their_own_data_and_it_is_audited(client, patient):
    client.force_login(patient.user)
    response = client.get(reverse("accounts:my-data-export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.json()["sections"]["patient"]["family_name"] == "Quill"
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.patient_id == patient.pk and event.detail["by"] == "patient"


def test_account_without_patient_record_gets_404_not_someone_elses(client, outsider, patient):
    client.force_login(outsider)
    assert client.get(reverse("accounts:my-data-export")).status_code == 404


def test_administrator_exports_a_patient(client, login_staff, administrator, patient):
    login_staff(administrator)
    url = reverse("accounts:patient-data-export", args=[patient.pk])
    assert client.get(url).json()["patient_id"] == patient.pk
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, patient_id=patient.pk, actor=administrator
    ).exists()


def test_anonymise_strips_identity_keeps_the_row_and_is_audited(patient, administrator):
    anonymise_patient(patient, administrator, "Erasure request of 2026-03-01")
    patient.refresh_from_db()
    assert patient.mrn == f"ANON-{patient.pk}"
    assert (patient.given_name, patient.email, patient.phone) == ("Anonymised", "", "")
    assert patient.birth_date == date(1970, 1, 1)
    assert patient.sex == Patient.Sex.FEMALE  # kept for statistics
    assert patient.user is None
    from django.contrib.auth import get_user_model

    account = get_user_model().objects.get(username__startswith="anonymised-")
    assert not account.is_active and not account.has_usable_password() and account.email == ""
    assert PatientAnonymisation.objects.get(patient=patient).reason.startswith("Erasure")
    event = AuditEvent.objects.get(action=Action.UPDATE, patient_id=patient.pk)
    assert event.detail["anonymised"] is True and event.actor == administrator


def test_anonymise_runs_registered_anonymisers(patient, administrator, monkeypatch):
    monkeypatch.setattr(privacy, "_anonymisers", {})
    seen: list[int] = []
    privacy.register_anonymiser("diary", lambda p: seen.append(p.pk))
    anonymise_patient(patient, administrator, "request")
    assert seen == [patient.pk]


def test_anonymise_is_irreversible_and_only_for_administrators(
    patient, administrator, clinician_user
):
    with pytest.raises(PermissionDenied):
        anonymise_patient(patient, clinician_user, "because")
    with pytest.raises(AnonymisationError, match="reason"):
        anonymise_patient(patient, administrator, "   ")
    anonymise_patient(patient, administrator, "request")
    with pytest.raises(AlreadyAnonymisedError):
        anonymise_patient(patient, administrator, "again")


def test_anonymise_page_needs_the_record_number_typed(client, login_staff, administrator, patient):
    login_staff(administrator)
    url = reverse("accounts:patient-anonymise", args=[patient.pk])
    assert "cannot be undone" in client.get(url).content.decode()
    wrong = client.post(url, {"reason": "request", "confirm_mrn": "P-999", "understood": "on"})
    assert "not the record number" in wrong.content.decode()
    patient.refresh_from_db()
    assert patient.family_name == "Quill"  # nothing lost on a bad confirmation
    done = client.post(url, {"reason": "request", "confirm_mrn": "P-100", "understood": "on"})
    assert done.status_code == 302
    patient.refresh_from_db()
    assert patient.family_name == f"Patient {patient.pk}"


@pytest.mark.parametrize(
    ("birth", "today", "expected"),
    [
        (date(1970, 6, 15), date(2026, 3, 1), date(1970, 1, 1)),
        (date(1936, 3, 2), date(2026, 3, 1), date(1936, 1, 1)),  # 89 the day before: kept
        (date(1936, 3, 1), date(2026, 3, 1), None),  # 90 today: year withheld
        (None, date(2026, 3, 1), None),
    ],
)
def test_birth_date_keeps_only_the_year_under_90(birth, today, expected):
    assert _anonymised_birth_date(birth, today) == expected
