"""Patients are invited by email and activate their account with a signed, single-use link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from collis.accounts.errors import PatientAlreadyHasAccountError, PatientHasNoEmailError
from collis.accounts.roles import Role, has_role
from collis.patients.actions import invite_patient
from collis.patients.models import Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(db):
    return Patient.objects.create(
        mrn="I-1", given_name="Iris", family_name="Inman", email="Iris@Example.com"
    )


def _invite(patient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return invite_patient(patient, None)


def _link() -> str:
    return re.search(r"http://\S+/accounts/activate/\S+/", mail.outbox[-1].body)[0]


def test_invite_creates_an_inactive_patient_account_and_emails_a_link(
    patient, django_capture_on_commit_callbacks
):
    user = _invite(patient, django_capture_on_commit_callbacks)
    assert user.username == "iris@example.com" and not user.is_active
    assert not user.has_usable_password()
    assert has_role(user, Role.PATIENT)
    patient.refresh_from_db()
    assert patient.user == user
    assert mail.outbox[0].to == ["iris@example.com"]
    assert "/accounts/activate/" in mail.outbox[0].body


def test_activation_link_sets_the_password_once(
    client, patient, django_capture_on_commit_callbacks
):
    _invite(patient, django_capture_on_commit_callbacks)
    path = _link().split("8000", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose your password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url,
        {"new_password1": "a-long-new-password", "new_password2": "a-long-new-password"},
    )
    assert response["Location"] == reverse("accounts:home")
    patient.refresh_from_db()
    assert patient.user.is_active and patient.user.check_password("a-long-new-password")
    client.logout()
    reused = client.get(path, follow=True)
    assert "This link no longer works" in reused.content.decode()


def test_weak_password_is_refused_and_account_stays_inactive(
    client, patient, django_capture_on_commit_callbacks
):
    _invite(patient, django_capture_on_commit_callbacks)
    page = client.get(_link().split("8000", 1)[1], follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "12345"}
    )
    assert response.status_code == 200
    patient.refresh_from_db()
    assert not patient.user.is_active


def test_invite_errors_are_clear(patient, patient_user, django_capture_on_commit_callbacks):
    no_email = Patient.objects.create(mrn="I-2", given_name="No", family_name="Mail")
    with pytest.raises(PatientHasNoEmailError, match="no email"):
        invite_patient(no_email, None)
    patient.user = patient_user
    patient.save()
    with pytest.raises(PatientAlreadyHasAccountError):
        invite_patient(patient, None)
    assert not mail.outbox


def test_front_desk_invites_from_the_back_office(
    client, login_staff, front_desk, patient, django_capture_on_commit_callbacks
):
    login_staff(front_desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:patient-invite", args=[patient.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_password_reset_emails_a_working_link(client, patient_user):
    patient_user.email = "pat@example.com"
    patient_user.save()
    response = client.post(reverse("accounts:password-reset"), {"email": "pat@example.com"})
    assert response["Location"] == reverse("accounts:password-reset-done")
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[0].body)[0]
    page = client.get(link.split("testserver", 1)[1], follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "another-long-secret", "new_password2": "another-long-secret"},
    )
    patient_user.refresh_from_db()
    assert patient_user.check_password("another-long-secret")


def test_password_reset_requests_are_rate_limited(client, db):
    url = reverse("accounts:password-reset")
    statuses = [client.post(url, {"email": f"x{n}@example.com"}).status_code for n in range(6)]
    assert statuses == [302] * 5 + [429]
