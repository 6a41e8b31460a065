"""Finding 1 (high): the front desk read any patient's clinical record.

The tester, signed in as the front desk, set a Patient's ``user`` in the admin (or changed its
email and sent an invite), then read that patient's visit summaries, diary and charts through
the portal and FHIR through the account. Replayed over HTTP against the live server.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from collis.accounts.actions import ensure_user_with_role
from collis.accounts.roles import Role
from collis.patients.models import Patient

from .attack import Attacker, give_authenticator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(live_server, front_desk) -> Attacker:
    give_authenticator(front_desk)
    return Attacker(live_server.url).sign_in("t-desk", "pw-desk-123456")


@pytest.fixture
def victim(db) -> Patient:
    """A patient with a clinical record and no portal account yet."""
    return Patient.objects.create(
        mrn="V-0001",
        given_name="Vera",
        family_name="Victimova",
        birth_date=date(1970, 3, 4),
        email="vera@example.com",
    )


@pytest.fixture
def mallory(db):
    """A portal account the attacker controls."""
    return ensure_user_with_role("mallory@evil.test", Role.PATIENT, password="pw-mallory-12345")


def _admin_form(patient: Patient, **changes) -> dict:
    data = {
        "mrn": patient.mrn,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "birth_date": patient.birth_date.isoformat() if patient.birth_date else "",
        "sex": patient.sex,
        "email": patient.email,
        "phone": patient.phone,
        "preferred_language": patient.preferred_language,
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_front_desk_cannot_link_a_record_to_an_account_in_the_admin(
    live_server, desk, victim, mallory
):
    desk.post(f"/admin/patients/patient/{victim.pk}/change/", _admin_form(victim, user=mallory.pk))
    victim.refresh_from_db()
    assert victim.user_id is None
    portal = Attacker(live_server.url).sign_in("mallory@evil.test", "pw-mallory-12345")
    assert "Victimova" not in portal.get("/portal/").text


def test_front_desk_cannot_invite_after_changing_the_email(live_server, desk, victim):
    response = desk.post(
        f"/admin/patients/patient/{victim.pk}/change/",
        _admin_form(victim, email="mallory@evil.test"),
    )
    assert response.status_code == 302  # contact details stay the desk's to keep current
    victim.refresh_from_db()
    assert victim.email == "mallory@evil.test"
    desk.post(f"/accounts/patients/{victim.pk}/invite/")
    victim.refresh_from_db()
    assert victim.user_id is None
    assert not [m for m in mail.outbox if "mallory@evil.test" in m.to]


def test_front_desk_may_still_invite_a_patient_whose_email_is_unchanged(desk, victim):
    desk.post(f"/accounts/patients/{victim.pk}/invite/")
    victim.refresh_from_db()
    assert victim.user is not None and victim.user.username == "vera@example.com"


def test_a_staff_account_is_never_a_patient_account(live_server, desk, front_desk, victim):
    """Even linked in the database and given the patient group, staff reach no portal page."""
    from django.contrib.auth.models import Group

    front_desk.groups.add(Group.objects.get_or_create(name=Role.PATIENT.value)[0])
    Patient.objects.filter(pk=victim.pk).update(user=front_desk)
    for path in ("/portal/", "/portal/charts/", "/portal/diary/", "/accounts/my-data.json"):
        response = desk.get(path)
        assert response.status_code in {403, 404}, path
        assert "Victimova" not in response.text
    fhir = desk.get("/fhir/MedicationAdministration")
    assert fhir.status_code == 403


def test_portal_pages_need_the_patient_role(live_server, victim):
    """An account without the patient role that somehow owns a record gets no portal page."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("no-role", password="pw-norole-12345")
    Patient.objects.filter(pk=victim.pk).update(user=user)
    client = Attacker(live_server.url).sign_in("no-role", "pw-norole-12345")
    for path in ("/portal/", "/portal/charts/", "/portal/diary/", "/portal/programme/"):
        response = client.get(path)
        assert response.status_code in {403, 404}, path


def test_administrator_links_an_account_with_identity_check_and_audit(
    live_server, administrator, victim, mallory
):
    from collis.audit.models import AuditEvent

    give_authenticator(administrator)
    admin = Attacker(live_server.url).sign_in("t-admin", "pw-admin-123456")
    path = f"/accounts/patients/{victim.pk}/link/"
    # Without the patient's birth date and the administrator's password, nothing happens.
    admin.post(path, {"username": mallory.username, "birth_date": "1999-01-01",
                      "identity_evidence": "photo ID", "password": "pw-admin-123456"})  # fmt: skip
    victim.refresh_from_db()
    assert victim.user_id is None
    admin.post(path, {"username": mallory.username, "birth_date": "1970-03-04",
                      "identity_evidence": "photo ID", "password": "wrong"})  # fmt: skip
    victim.refresh_from_db()
    assert victim.user_id is None
    response = admin.post(path, {"username": mallory.username, "birth_date": "1970-03-04",
                                 "identity_evidence": "Driving licence seen at the desk",
                                 "password": "pw-admin-123456"})  # fmt: skip
    assert response.status_code == 302
    victim.refresh_from_db()
    assert victim.user_id == mallory.pk
    event = AuditEvent.objects.filter(patient_id=victim.pk, detail__account_linked=True).get()
    assert event.actor_label == "t-admin"
    assert event.detail["identity_evidence"] == "Driving licence seen at the desk"


def test_administrator_cannot_link_a_staff_account(live_server, administrator, front_desk, victim):
    give_authenticator(administrator)
    admin = Attacker(live_server.url).sign_in("t-admin", "pw-admin-123456")
    admin.post(f"/accounts/patients/{victim.pk}/link/", {"username": "t-desk",
               "birth_date": "1970-03-04", "identity_evidence": "ID",
               "password": "pw-admin-123456"})  # fmt: skip
    victim.refresh_from_db()
    assert victim.user_id is None
