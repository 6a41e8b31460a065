"""Clinical FHIR types follow the roles: front desk refused, patients only their own; searches."""

from __future__ import annotations

import pytest

from collis.injections.models import Injection, InjectionSession
from collis.patients.models import Patient
from collis.scales.models import Assessment
from collis.scheduling.availability import clinic_zone
from collis.scheduling.models import Appointment

pytestmark = pytest.mark.django_db

CLINICAL = ["Observation", "Procedure", "MedicationAdministration"]
SCHEDULING = ["Appointment", "Schedule", "Slot"]


@pytest.mark.parametrize("name", CLINICAL)
def test_front_desk_is_refused_clinical_types(client, demo_data, front_desk, bearer, name):
    response = client.get(f"/fhir/{name}", **bearer(front_desk))
    assert response.status_code == 403
    assert response.json()["issue"][0]["code"] == "forbidden"


@pytest.mark.parametrize("name", SCHEDULING)
def test_front_desk_reads_scheduling_types(client, demo_data, front_desk, bearer, name):
    assert client.get(f"/fhir/{name}", {"_count": 2}, **bearer(front_desk)).status_code == 200


def patient_with_sessions() -> Patient:
    return (
        Patient.objects.filter(user__isnull=False, injection_sessions__isnull=False)
        .order_by("pk")
        .first()
    )


@pytest.mark.parametrize("name", [*CLINICAL, "Appointment"])
def test_patient_sees_only_their_own_clinical_rows(client, demo_data, bearer, name):
    me = patient_with_sessions()
    bundle = client.get(f"/fhir/{name}", {"_count": 100}, **bearer(me.user)).json()
    subjects = {
        (e["resource"].get("subject") or e["resource"]["participant"][0]["actor"])["reference"]
        for e in bundle.get("entry", [])
    }
    assert subjects <= {f"Patient/{me.pk}"}


def test_patient_cannot_read_another_patients_administration(client, demo_data, bearer):
    me = patient_with_sessions()
    other = Injection.objects.exclude(session__patient=me).first()
    mine = Injection.objects.filter(session__patient=me).first()
    auth = bearer(me.user)
    assert client.get(f"/fhir/MedicationAdministration/{mine.pk}", **auth).status_code == 200
    assert client.get(f"/fhir/MedicationAdministration/{other.pk}", **auth).status_code == 404


def test_reads_of_clinical_rows_are_audited_with_the_patient(
    client, demo_data, clinician_user, bearer
):
    from collis.audit.models import AuditEvent

    injection = Injection.objects.select_related("session").first()
    client.get(f"/fhir/MedicationAdministration/{injection.pk}", **bearer(clinician_user))
    event = AuditEvent.objects.get(object_type="fhir.MedicationAdministration")
    assert event.patient_id == injection.session.patient_id
    assert event.object_id == str(injection.pk)


def ids(bundle: dict) -> set[str]:
    return {e["resource"]["id"] for e in bundle.get("entry", [])}


def test_observation_search_by_code_date_and_patient(client, demo_data, clinician_user, bearer):
    auth = bearer(clinician_user)
    twstrs = Assessment.objects.filter(status="complete", scale="twstrs").order_by("pk").first()
    day = twstrs.assessed_on.isoformat()
    bundle = client.get(
        "/fhir/Observation",
        {
            "patient": f"Patient/{twstrs.patient_id}",
            "code": "urn:collis:observation|twstrs-total",
            "date": day,
            "category": "survey",
        },
        **auth,
    ).json()
    expected = Assessment.objects.filter(
        status="complete", scale="twstrs", patient=twstrs.patient, assessed_on=day
    )
    assert ids(bundle) == {f"scale-{a.pk}" for a in expected}
    after = client.get(
        "/fhir/Observation", {"patient": twstrs.patient_id, "date": f"gt{day}"}, **auth
    ).json()
    assert f"scale-{twstrs.pk}" not in ids(after)
    assert client.get("/fhir/Observation", {"code": "loinc-none"}, **auth).json()["total"] == 0


def test_procedure_and_administration_searches(client, demo_data, clinician_user, bearer):
    auth = bearer(clinician_user)
    session = InjectionSession.objects.order_by("pk").first()
    procedures = client.get(
        "/fhir/Procedure", {"patient": session.patient_id, "date": session.injected_on}, **auth
    ).json()
    assert str(session.pk) in ids(procedures)
    doses = client.get(
        "/fhir/MedicationAdministration", {"part-of": f"Procedure/{session.pk}"}, **auth
    ).json()
    assert ids(doses) == {str(i.pk) for i in session.injections.all()}


def test_appointment_search_by_date_range_status_and_practitioner(
    client, demo_data, clinician_user, bearer
):
    auth = bearer(clinician_user)
    booking = Appointment.objects.filter(status="confirmed").order_by("start").first()
    day = booking.start.astimezone(clinic_zone()).date().isoformat()
    bundle = client.get(
        "/fhir/Appointment",
        {
            "date": [f"ge{day}", f"le{day}"],
            "status": "booked",
            "practitioner": f"Practitioner/{booking.clinician_id}",
            "_count": 100,
        },
        **auth,
    ).json()
    assert str(booking.pk) in ids(bundle)
    for entry in bundle["entry"]:
        assert entry["resource"]["status"] == "booked"
    bad = client.get("/fhir/Appointment", {"status": "sleeping"}, **auth)
    assert bad.status_code == 400
    assert "known:" in bad.json()["issue"][0]["diagnostics"]
    wrong_type = client.get("/fhir/Appointment", {"patient": "Practitioner/1"}, **auth)
    assert wrong_type.status_code == 400
