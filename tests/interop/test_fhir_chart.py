"""Encounter (the visit) and Condition (cervical dystonia, SNOMED CT 4925003), referenced from
Observations and Procedures; US Core profiles declared where they are met."""

from __future__ import annotations

import pytest
from jstools import r4_errors

from collis.injections.models import InjectionSession
from collis.patients.models import Diagnosis, Visit
from collis.scales.models import Assessment

pytestmark = pytest.mark.django_db
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"


@pytest.fixture
def auth(demo_data, clinician_user, bearer):
    return bearer(clinician_user, "*.read")


def test_procedure_names_its_encounter_and_the_cervical_dystonia_condition(client, auth):
    session = InjectionSession.objects.filter(patient__diagnosis__isnull=False).first()
    procedure = client.get(f"/fhir/Procedure/{session.pk}", **auth).json()
    assert procedure["encounter"] == {"reference": f"Encounter/{session.visit_id}"}
    [reason] = procedure["reasonReference"]
    condition = client.get(f"/fhir/{reason['reference']}", **auth).json()
    assert condition["code"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "4925003",
        "display": "Spasmodic torticollis",
    }
    assert condition["subject"]["reference"] == f"Patient/{session.patient_id}"
    assert condition["meta"]["profile"] == [f"{US_CORE}us-core-condition"]
    assert condition["clinicalStatus"]["coding"][0]["code"] == "active"
    assert condition["category"][0]["coding"][0]["code"] == "problem-list-item"
    encounter = client.get(f"/fhir/Encounter/{session.visit_id}", **auth).json()
    assert encounter["status"] == "finished" and encounter["class"]["code"] in {"AMB", "VR"}
    assert encounter["subject"]["reference"] == f"Patient/{session.patient_id}"
    assert encounter["participant"][0]["individual"]["reference"].startswith("Practitioner/")
    assert encounter["meta"]["profile"] == [f"{US_CORE}us-core-encounter"]
    for body in (procedure, condition, encounter):
        assert r4_errors(body) == []


def test_observation_names_its_encounter(client, auth):
    assessment = (
        Assessment.objects.filter(status="complete", visit__isnull=False).order_by("pk").first()
    )
    body = client.get(f"/fhir/Observation/scale-{assessment.pk}", **auth).json()
    assert body.get("encounter") == {"reference": f"Encounter/{assessment.visit_id}"}, body
    found = client.get(
        "/fhir/Observation", {"encounter": f"Encounter/{assessment.visit_id}"}, **auth
    ).json()
    assert f"scale-{assessment.pk}" in {e["resource"]["id"] for e in found["entry"]}


def test_condition_and_encounter_search(client, auth):
    snomed = client.get(
        "/fhir/Condition", {"code": "http://snomed.info/sct|4925003", "_count": 100}, **auth
    ).json()
    assert (
        snomed["total"] == Diagnosis.objects.filter(condition__iexact="cervical dystonia").count()
    )
    assert snomed["total"] > 0
    other_system = client.get("/fhir/Condition", {"code": "http://loinc.org|4925003"}, **auth)
    assert other_system.json()["total"] == 0
    visit = Visit.objects.order_by("pk").first()
    mine = client.get("/fhir/Encounter", {"patient": visit.patient_id, "_count": 100}, **auth)
    assert mine.json()["total"] == Visit.objects.filter(patient_id=visit.patient_id).count()


def test_us_core_profiles_on_patient_and_practitioner(client, auth):
    patient = client.get("/fhir/Patient", {"_count": 1}, **auth).json()["entry"][0]["resource"]
    assert patient["meta"]["profile"] == [f"{US_CORE}us-core-patient"]
    assert patient["identifier"][0]["system"] and patient["name"] and patient["gender"]
    doctor = client.get("/fhir/Practitioner", {"_count": 1}, **auth).json()["entry"][0]["resource"]
    assert doctor["meta"]["profile"] == [f"{US_CORE}us-core-practitioner"]
    assert doctor["name"][0]["family"]


def test_front_desk_reads_no_encounter_or_condition(client, demo_data, front_desk, bearer):
    for kind in ("Encounter", "Condition"):
        assert client.get(f"/fhir/{kind}", **bearer(front_desk)).status_code == 403
