"""$everything gives one patient's record; $export gives every resource as NDJSON."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from collis.audit.models import AuditEvent
from collis.interop.fhir.resources import REGISTRY
from collis.patients.models import Patient

pytestmark = pytest.mark.django_db


def test_everything_is_a_valid_bundle_for_each_demo_patient(
    client, demo_data, clinician_user, bearer
):
    auth = bearer(clinician_user)
    for patient in Patient.objects.all():
        response = client.get(f"/fhir/Patient/{patient.pk}/$everything", **auth)
        assert response.status_code == 200
        bundle = Bundle.model_validate(response.json())
        patients = [e.resource for e in bundle.entry if e.resource.__resource_type__ == "Patient"]
        assert [p.id for p in patients] == [str(patient.pk)]


def test_everything_of_another_patient_is_not_found_for_a_patient(client, demo_data, bearer):
    me = Patient.objects.get(mrn="DEMO-0001")
    other = Patient.objects.get(mrn="DEMO-0002")
    assert client.get(f"/fhir/Patient/{other.pk}/$everything", **bearer(me.user)).status_code == 404
    assert client.get(f"/fhir/Patient/{me.pk}/$everything", **bearer(me.user)).status_code == 200
    assert AuditEvent.objects.filter(action="export", patient_id=me.pk).exists()


def test_bulk_export_runs_as_a_job_and_serves_ndjson(
    client, demo_data, administrator, bearer, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    auth = bearer(administrator, "*.read")
    with django_capture_on_commit_callbacks(execute=True):
        kickoff = client.get("/fhir/$export", HTTP_PREFER="respond-async", **auth)
    assert kickoff.status_code == 202
    status = client.get(kickoff["Content-Location"], **auth)
    assert status.status_code == 200
    manifest = status.json()
    stored = {name for name, resource in REGISTRY.items() if resource.virtual is None}
    assert {item["type"] for item in manifest["output"]} == stored | {"Slot", "Schedule"}
    assert {"Observation", "Procedure", "MedicationAdministration", "Appointment"} <= stored
    patient_file = next(item for item in manifest["output"] if item["type"] == "Patient")
    assert patient_file["count"] == 40
    body = b"".join(client.get(patient_file["url"], **auth).streaming_content).decode()
    lines = [json.loads(line) for line in body.splitlines()]
    assert len(lines) == 40
    assert {line["resourceType"] for line in lines} == {"Patient"}
    assert {line["identifier"][0]["value"] for line in lines} == set(
        Patient.objects.values_list("mrn", flat=True)
    )


def test_bulk_export_is_for_administrators_only(client, demo_data, clinician_user, bearer):
    response = client.get("/fhir/$export", HTTP_PREFER="respond-async", **bearer(clinician_user))
    assert response.status_code == 403


def test_bulk_export_needs_respond_async(client, demo_data, administrator, bearer):
    response = client.get("/fhir/$export", **bearer(administrator))
    assert response.status_code == 400
    assert "respond-async" in response.json()["issue"][0]["diagnostics"]


def test_everything_leaves_out_types_outside_role_or_scope(
    client, demo_data, front_desk, clinician_user, bearer
):
    patient = Patient.objects.filter(injection_sessions__isnull=False).first()
    url = f"/fhir/Patient/{patient.pk}/$everything"
    desk = client.get(url, **bearer(front_desk)).json()
    desk_types = {e["resource"]["resourceType"] for e in desk["entry"]}
    assert "Patient" in desk_types and "Appointment" in desk_types
    assert desk_types.isdisjoint({"Observation", "Procedure", "MedicationAdministration"})
    clinician = client.get(url, **bearer(clinician_user)).json()
    assert {"Observation", "Procedure", "MedicationAdministration"} <= {
        e["resource"]["resourceType"] for e in clinician["entry"]
    }
    narrow = client.get(url, **bearer(clinician_user, "Patient.read")).json()
    assert {e["resource"]["resourceType"] for e in narrow["entry"]} == {"Patient"}
