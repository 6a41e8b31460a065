"""The desk booking form's inline "new patient": the patients action creates, the form picks."""

from __future__ import annotations

from datetime import date

import pytest

from collis.audit.models import AuditEvent
from collis.patients import actions as patient_actions
from collis.patients.errors import DuplicatePatientError, IncompletePatientError
from collis.patients.models import Patient


@pytest.mark.django_db
def test_register_patient_creates_an_audited_record_with_an_mrn(front_desk):
    patient = patient_actions.register_patient(
        given_name=" Rosa ",
        family_name="Parks",
        birth_date=date(1960, 2, 4),
        phone="312 555 0101",
        actor=front_desk,
    )
    assert patient.full_name == "Rosa Parks" and patient.mrn.startswith("C")
    assert not patient.is_pending_contact
    assert AuditEvent.objects.filter(
        object_type__iexact="patients.patient", object_id=str(patient.pk), action="create"
    ).exists()


@pytest.mark.django_db
def test_register_patient_needs_a_way_to_reach_and_refuses_duplicates(front_desk):
    with pytest.raises(IncompletePatientError):
        patient_actions.register_patient(
            given_name="Rosa", family_name="Parks", birth_date=date(1960, 2, 4)
        )
    first = patient_actions.register_patient(
        given_name="Rosa", family_name="Parks", birth_date=date(1960, 2, 4), email="r@example.com"
    )
    with pytest.raises(DuplicatePatientError) as caught:
        patient_actions.register_patient(
            given_name="rosa", family_name="PARKS", birth_date=date(1960, 2, 4), phone="1234"
        )
    assert caught.value.existing_id == first.pk


@pytest.mark.django_db
def test_new_patient_inline_creates_and_selects_them(client, login_staff, front_desk, clinic):
    login_staff(front_desk)
    page = client.get("/desk/book/?q=Nobody")
    assert b"New patient" in page.content and b"/desk/book/new-patient/" in page.content
    response = client.post(
        "/desk/book/new-patient/",
        {
            "new-given_name": "Rosa",
            "new-family_name": "Parks",
            "new-birth_date": "1960-02-04",
            "new-email": "rosa@example.com",
            "appointment_type": clinic.follow_up.pk,
        },
    )
    patient = Patient.objects.get(family_name="Parks")
    assert response.status_code == 302
    assert f"patient={patient.pk}" in response["Location"]
    assert f"appointment_type={clinic.follow_up.pk}" in response["Location"]
    booking = client.get(response["Location"])
    assert f'<option value="{patient.pk}" selected>'.encode() in booking.content


@pytest.mark.django_db
def test_new_patient_inline_errors_and_duplicates(client, login_staff, front_desk, clinic):
    login_staff(front_desk)
    empty = client.post("/desk/book/new-patient/", {}, follow=True)
    assert b"was not added" in empty.content and not Patient.objects.exists()
    no_contact = client.post(
        "/desk/book/new-patient/",
        {"new-given_name": "A", "new-family_name": "B", "new-birth_date": "1960-02-04"},
        follow=True,
    )
    assert b"phone number or an email" in no_contact.content
    existing = Patient.objects.create(
        mrn="X-1", given_name="Rosa", family_name="Parks", birth_date=date(1960, 2, 4)
    )
    again = client.post(
        "/desk/book/new-patient/",
        {
            "new-given_name": "Rosa",
            "new-family_name": "Parks",
            "new-birth_date": "1960-02-04",
            "new-phone": "312 555 0101",
        },
    )
    assert f"patient={existing.pk}" in again["Location"]
    assert Patient.objects.count() == 1
