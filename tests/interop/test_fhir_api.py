"""FHIR REST: every listed resource validates; access follows roles and token scopes."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from collis.audit.models import AuditEvent
from collis.interop.actions import ScopeError, issue_api_token, revoke_api_token
from collis.interop.fhir.resources import REGISTRY
from collis.patients.models import Patient

pytestmark = pytest.mark.django_db


def test_metadata_is_a_valid_capability_statement_listing_every_resource(client):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    statement = CapabilityStatement.model_validate(response.json())
    listed = {r.type for r in statement.rest[0].resource}
    assert listed == set(REGISTRY)


def test_every_listed_resource_type_searches_to_a_valid_bundle(
    client, demo_data, clinician_user, bearer
):
    auth = bearer(clinician_user, "*.read")
    for name in REGISTRY:
        response = client.get(f"/fhir/{name}", {"_count": 5}, **auth)
        assert response.status_code == 200, (name, response.content)
        bundle = Bundle.model_validate(response.json())
        assert bundle.type == "searchset"
        assert bundle.total >= 1, name
        for entry in bundle.entry:
            assert entry.resource.__resource_type__ == name


def test_patient_numbers_match_the_database(client, demo_data, clinician_user, bearer):
    patient = Patient.objects.get(mrn="DEMO-0007")
    body = client.get(f"/fhir/Patient/{patient.pk}", **bearer(clinician_user)).json()
    assert body["identifier"][0]["value"] == "DEMO-0007"
    assert body["name"][0]["family"] == patient.family_name
    assert body["birthDate"] == patient.birth_date.isoformat()


def test_unauthenticated_requests_get_401_operation_outcome(client, demo_data):
    response = client.get("/fhir/Patient")
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"
    assert "Bearer" in response["WWW-Authenticate"]


def test_revoked_or_unknown_tokens_are_refused(client, demo_data, clinician_user):
    token, raw = issue_api_token(clinician_user, "old", ["*.read"])
    revoke_api_token(token)
    assert client.get("/fhir/Patient", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/fhir/Patient", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_token_scopes_limit_resource_types(client, demo_data, clinician_user, bearer):
    auth = bearer(clinician_user, "Practitioner.read")
    assert client.get("/fhir/Practitioner", **auth).status_code == 200
    response = client.get("/fhir/Patient", **auth)
    assert response.status_code == 403
    assert "Patient.read" in response.json()["issue"][0]["diagnostics"]


def test_malformed_scope_is_rejected(clinician_user):
    with pytest.raises(ScopeError):
        issue_api_token(clinician_user, "x", ["Patient.delete"])


def test_patient_sees_only_their_own_record(client, demo_data, bearer):
    me = Patient.objects.get(mrn="DEMO-0001")
    other = Patient.objects.get(mrn="DEMO-0002")
    auth = bearer(me.user)
    assert client.get(f"/fhir/Patient/{me.pk}", **auth).status_code == 200
    assert client.get(f"/fhir/Patient/{other.pk}", **auth).status_code == 404
    bundle = client.get("/fhir/Patient", **auth).json()
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(me.pk)]


def test_role_less_account_is_forbidden(client, demo_data, outsider, bearer):
    assert client.get("/fhir/Practitioner", **bearer(outsider)).status_code == 403


def test_search_parameters_and_paging_links(client, demo_data, clinician_user, bearer):
    auth = bearer(clinician_user)
    bundle = client.get("/fhir/Patient", {"identifier": "urn:collis:mrn|DEMO-0003"}, **auth).json()
    assert bundle["total"] == 1
    first = client.get("/fhir/Patient", {"_count": 15}, **auth).json()
    assert first["total"] == 40
    relations = {link["relation"]: link["url"] for link in first["link"]}
    assert "next" in relations and "previous" not in relations
    second = client.get(relations["next"], **auth).json()
    assert len(second["entry"]) == 15
    assert {e["resource"]["id"] for e in first["entry"]}.isdisjoint(
        {e["resource"]["id"] for e in second["entry"]}
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"birthdate": "yesterday"}, "is not a FHIR date"),
        ({"_count": "lots"}, "whole numbers"),
        ({"_count": "-1"}, "must not be negative"),
    ],
)
def test_bad_search_input_is_400_operation_outcome(
    client, demo_data, clinician_user, bearer, query, message
):
    response = client.get("/fhir/Patient", query, **bearer(clinician_user))
    assert response.status_code == 400
    assert message in response.json()["issue"][0]["diagnostics"]


def test_unknown_resource_type_and_id(client, demo_data, clinician_user, bearer):
    auth = bearer(clinician_user)
    assert client.get("/fhir/Spaceship", **auth).status_code == 404
    assert client.get("/fhir/Patient/999999", **auth).status_code == 404
    assert client.get("/fhir/Patient/abc", **auth).status_code == 404


def test_every_fhir_read_is_audited(client, demo_data, clinician_user, bearer):
    patient = Patient.objects.get(mrn="DEMO-0005")
    client.get(f"/fhir/Patient/{patient.pk}", **bearer(clinician_user))
    event = AuditEvent.objects.get(object_type="fhir.Patient", object_id=str(patient.pk))
    assert event.actor == clinician_user and event.patient_id == patient.pk
    assert event.detail["via"] == "fhir"
