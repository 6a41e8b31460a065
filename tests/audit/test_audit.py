import pytest
from django.urls import reverse

from collis.audit.actions import Action, record_access
from collis.audit.models import AuditEvent
from collis.patients.models import Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient():
    return Patient.objects.create(mrn="T-1", given_name="Ada", family_name="Test")


def test_events_are_append_only(patient, administrator):
    event = record_access(None, Action.READ, patient, user=administrator)
    assert event.patient_id == patient.pk and event.actor_label == "t-admin"
    event.detail = {"tampered": True}
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_opening_a_patient_in_the_admin_is_audited(client, login_staff, administrator, patient):
    login_staff(administrator)
    response = client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.READ, patient_id=patient.pk)
    assert event.actor == administrator
    assert event.ip_address == "127.0.0.1"


def test_changing_a_patient_in_the_admin_is_audited(client, login_staff, administrator, patient):
    login_staff(administrator)
    url = reverse("admin:patients_patient_change", args=[patient.pk])
    response = client.post(
        url,
        {
            "mrn": "T-1",
            "given_name": "Ada",
            "family_name": "Lovelace",
            "sex": "unknown",
            "email": "",
            "phone": "",
            "preferred_language": "",
        },
    )
    assert response.status_code == 302, response.content
    event = AuditEvent.objects.get(action=Action.UPDATE, patient_id=patient.pk)
    assert event.detail["fields"] == ["family_name"]


def test_audit_admin_is_read_only(client, login_staff, administrator, patient):
    record_access(None, Action.READ, patient, user=administrator)
    login_staff(administrator)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
