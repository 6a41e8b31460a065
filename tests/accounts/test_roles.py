import pytest
from django.urls import reverse

from collis.accounts.roles import Role, has_role

pytestmark = pytest.mark.django_db


def test_front_desk_cannot_change_clinical_content(front_desk):
    assert front_desk.has_perm("patients.view_patient")
    assert not front_desk.has_perm("education.change_page")
    assert not front_desk.has_perm("audit.view_auditevent")


def test_clinician_edits_education_but_not_the_directory(clinician_user):
    assert clinician_user.has_perm("education.change_page")
    assert not clinician_user.has_perm("providers.change_clinician")


def test_patient_holds_no_model_permissions(patient_user):
    assert not patient_user.get_all_permissions()
    assert has_role(patient_user, Role.PATIENT)
    assert not patient_user.is_staff


def test_administrator_reads_the_audit_trail(administrator):
    assert administrator.has_perm("audit.view_auditevent")


def test_admin_login_with_demo_credentials_and_demo_code(client, demo_data, settings):
    """The printed demo login plus `manage.py totp_code admin` opens the back office."""
    from io import StringIO

    from django.core.management import call_command

    response = client.post(
        reverse("accounts:login"), {"username": "admin", "password": "collis-admin-demo"}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index"))["Location"].startswith(
        reverse("accounts:two-factor-verify")
    )
    settings.DEBUG = True  # totp_code is a development aid
    out = StringIO()
    call_command("totp_code", "admin", stdout=out, stderr=StringIO())
    response = client.post(reverse("accounts:two-factor-verify"), {"token": out.getvalue()})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_patient_cannot_enter_the_admin(client, patient_user):
    client.force_login(patient_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_sign_in_sends_the_front_desk_to_the_schedule(client, login_staff, front_desk):
    login_staff(front_desk)
    assert client.get(reverse("accounts:start"))["Location"] == reverse("scheduling:desk-calendar")


def test_an_empty_sign_in_form_says_what_is_missing(client, db):
    """Issue #11 defect 15: an empty sign-in form shows a message, not the same blank form."""
    from django.urls import reverse

    page = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    html = page.content.decode()
    assert "Enter your username and password" in html and 'role="alert"' in html
    assert "Enter your username." in html and "Enter your password." in html
