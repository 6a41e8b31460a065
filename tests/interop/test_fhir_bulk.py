"""$everything paging, dates and self-contained Bundles; Bulk Data at system, Patient and Group
level, POST kick-off, cancel, output formats and the manifest's request (issue #15, item 8)."""

from __future__ import annotations

import json

import pytest
from jstools import r4_errors

from collis.interop.fhir.resources import REGISTRY
from collis.patients.models import Patient
from collis.scheduling.models import Appointment

pytestmark = pytest.mark.django_db


def refs(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for item in node for r in refs(item)]
    return []


@pytest.fixture
def busy_patient(demo_data) -> Patient:
    return (
        Patient.objects.filter(appointments__isnull=False, injection_sessions__isnull=False)
        .order_by("pk")
        .first()
    )


def test_everything_holds_every_resource_it_refers_to(client, busy_patient, clinician_user, bearer):
    bundle = client.get(
        f"/fhir/Patient/{busy_patient.pk}/$everything", **bearer(clinician_user)
    ).json()
    have = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}
    missing = {r for e in bundle["entry"] for r in refs(e["resource"])} - have
    assert missing == set()
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Practitioner", "Location", "Organization", "Slot"} <= kinds
    assert r4_errors(bundle) == []


def test_everything_pages_with_count(client, busy_patient, clinician_user, bearer):
    auth = bearer(clinician_user)
    url = f"/fhir/Patient/{busy_patient.pk}/$everything"
    whole = client.get(url, **auth).json()
    first = client.get(url, {"_count": 5}, **auth).json()
    assert len(first["entry"]) == 5 and first["total"] == whole["total"]
    links = {link["relation"]: link["url"] for link in first["link"]}
    second = client.get(links["next"], **auth).json()
    ids = [e["fullUrl"] for e in first["entry"] + second["entry"]]
    assert len(set(ids)) == 10


def test_everything_start_end_and_since(client, busy_patient, clinician_user, bearer):
    auth = bearer(clinician_user)
    url = f"/fhir/Patient/{busy_patient.pk}/$everything"
    appointment = Appointment.objects.filter(patient=busy_patient).order_by("start").first()
    day = appointment.start.astimezone().date().isoformat()
    window = client.get(url, {"start": "1900-01-01", "end": "1900-12-31"}, **auth).json()
    kinds = {e["resource"]["resourceType"] for e in window["entry"]}
    # Nothing was cared for in 1900; the patient is always there, undated records too.
    assert "Patient" in kinds
    assert kinds.isdisjoint({"Appointment", "Observation", "Procedure", "Encounter"})
    some = client.get(url, {"start": "2000-01-01", "end": "2100-01-01"}, **auth).json()
    assert "Appointment" in {e["resource"]["resourceType"] for e in some["entry"]}
    assert day  # a real appointment day exists for this patient
    later = client.get(url, {"_since": "2199-01-01"}, **auth).json()
    assert {e["resource"]["resourceType"] for e in later["entry"]} == {"Patient"}


def _run_export(client, url, auth, capture, method="get", **extra):
    with capture(execute=True):
        kickoff = getattr(client, method)(url, HTTP_PREFER="respond-async", **auth, **extra)
    assert kickoff.status_code == 202, kickoff.content
    status = client.get(kickoff["Content-Location"], **auth)
    assert status.status_code == 200, status.content
    return kickoff, status.json()


def _lines(client, manifest, auth) -> dict[str, list[dict]]:
    out = {}
    for item in manifest["output"]:
        body = b"".join(client.get(item["url"], **auth).streaming_content).decode()
        out[item["type"]] = [json.loads(line) for line in body.splitlines()]
    return out


@pytest.fixture
def export_env(settings, tmp_path, administrator, bearer, demo_data):
    settings.MEDIA_ROOT = str(tmp_path)
    return bearer(administrator, "*.read")


def test_system_export_references_all_resolve_and_manifest_echoes_request(
    client, export_env, django_capture_on_commit_callbacks
):
    url = "/fhir/$export?_outputFormat=application/fhir%2Bndjson"
    _, manifest = _run_export(client, url, export_env, django_capture_on_commit_callbacks)
    assert manifest["request"] == f"http://testserver{url}"
    files = _lines(client, manifest, export_env)
    have = {f"{r['resourceType']}/{r['id']}" for lines in files.values() for r in lines}
    missing = {ref for lines in files.values() for r in lines for ref in refs(r)} - have
    assert missing == set()


def test_patient_and_group_export(client, export_env, django_capture_on_commit_callbacks):
    _, manifest = _run_export(
        client, "/fhir/Patient/$export", export_env, django_capture_on_commit_callbacks
    )
    types = {item["type"] for item in manifest["output"]}
    assert "Patient" in types and "Practitioner" not in types and "Slot" not in types
    assert all(REGISTRY[t].patient_field is not None for t in types)

    appointment = Appointment.objects.order_by("pk").first()
    group = f"clinician-{appointment.clinician_id}"
    members = set(
        Patient.objects.filter(appointments__clinician_id=appointment.clinician_id).values_list(
            "pk", flat=True
        )
    )
    group_read = client.get(f"/fhir/Group/{group}", **export_env).json()
    assert group_read["quantity"] == len(members)
    _, manifest = _run_export(
        client,
        f"/fhir/Group/{group}/$export?_type=Patient,Appointment",
        export_env,
        django_capture_on_commit_callbacks,
    )
    files = _lines(client, manifest, export_env)
    assert {int(p["id"]) for p in files["Patient"]} == members
    assert {p["participant"][0]["actor"]["reference"] for p in files["Appointment"]} <= {
        f"Patient/{pk}" for pk in members
    }
    unknown = client.get("/fhir/Group/nobody/$export", HTTP_PREFER="respond-async", **export_env)
    assert unknown.status_code == 404


def test_post_kickoff_with_parameters(client, export_env, django_capture_on_commit_callbacks):
    body = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "_type", "valueString": "Patient"},
            {"name": "_outputFormat", "valueString": "application/fhir+ndjson"},
        ],
    }
    _, manifest = _run_export(
        client,
        "/fhir/$export",
        export_env,
        django_capture_on_commit_callbacks,
        method="post",
        data=json.dumps(body),
        content_type="application/fhir+json",
    )
    assert [item["type"] for item in manifest["output"]] == ["Patient"]


def test_unsupported_output_format_is_refused(client, export_env):
    response = client.get(
        "/fhir/$export", {"_outputFormat": "text/csv"}, HTTP_PREFER="respond-async", **export_env
    )
    assert response.status_code == 400
    assert "_outputFormat" in response.json()["issue"][0]["diagnostics"]


def test_delete_cancels_an_export(client, export_env):
    kickoff = client.get("/fhir/$export", HTTP_PREFER="respond-async", **export_env)
    assert kickoff.status_code == 202  # not run: the on-commit dispatch never fires here
    status_url = kickoff["Content-Location"]
    assert client.get(status_url, **export_env).status_code == 202
    cancelled = client.delete(status_url, **export_env)
    assert cancelled.status_code == 202
    assert client.get(status_url, **export_env).status_code == 404
    assert client.delete(status_url, **export_env).status_code == 404
