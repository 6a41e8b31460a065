"""Patient-reported side effects (AdverseEvent, the patient as recorder) and toxin antibody tests
(laboratory Observation) in the FHIR API: valid R4, searchable by patient, clinical access rules
(front desk refused, patients only their own, SMART patient/ and user/ scopes), audited reads."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from fhirclient.models.adverseevent import AdverseEvent as R4AdverseEvent
from fhirclient.models.observation import Observation as R4Observation
from jstools import r4_errors

from collis.audit.models import AuditEvent
from collis.injections.actions import (
    record_antibody_test,
    record_injection_session,
    report_side_effect,
)
from collis.injections.dosing import PlannedInjection, Side

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(clinician_user, clinician, patient, xeomin_lot):
    return record_injection_session(
        None,
        actor=clinician_user,
        patient=patient,
        lot=xeomin_lot,
        units_product=xeomin_lot.product.code,
        injected_on=date(2026, 1, 5),
        dilution_units_per_ml=50,
        injections=[PlannedInjection("scm", Side.RIGHT, 40)],
        clinician=clinician,
    )


@pytest.fixture
def report(session, patient):
    return report_side_effect(
        None,
        actor=patient.user,
        patient=patient,
        symptoms=["dysphagia"],
        severe=True,
        started_on=date(2026, 1, 14),
        note="Soup only",
    )


@pytest.fixture
def antibody(clinician_user, patient):
    return record_antibody_test(
        None,
        actor=clinician_user,
        patient=patient,
        tested_on=date(2026, 2, 2),
        toxin_type="A",
        method="mpa",
        result="positive",
        titre="1.5 mU/mL",
    )


@pytest.fixture
def other_report(other_patient):
    return report_side_effect(
        None, actor=other_patient.user, patient=other_patient, symptoms=["ptosis", "diplopia"]
    )


def assert_r4(model, body: dict) -> None:
    """Valid R4 twice over: HL7's R4 JSON schema, and the R4 (4.0.1) model classes of SMART's
    ``fhirclient``, strict (an element R4 lacks, e.g. R4B's ``AdverseEvent.note``, fails),
    which read back exactly what was served. fhir.resources 8.x ships no R4 models
    (``interop/fhir/codes.py``)."""
    assert r4_errors(body) == []
    assert model(body, strict=True).as_json() == body


def smart_bearer(user, scope: str, patient=None) -> dict[str, str]:
    """A SMART (OAuth 2.0) access token for ``user`` with ``scope`` and a launch patient."""
    from oauth2_provider.models import get_access_token_model, get_application_model

    from collis.interop.models import SmartContext

    app = get_application_model().objects.create(
        name="test app",
        client_type="public",
        authorization_grant_type="authorization-code",
        redirect_uris="https://app.example/cb",
    )
    raw = f"smart-{user.pk}-{scope}-{patient.pk if patient else 0}"
    access = get_access_token_model().objects.create(
        user=user,
        application=app,
        token=raw,
        token_checksum=hashlib.sha256(raw.encode()).hexdigest(),
        scope=scope,
        expires=timezone.now() + timedelta(hours=1),
    )
    if patient is not None:
        SmartContext.objects.create(access_token=access, patient=patient)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_reported_side_effect_reads_as_valid_r4_adverse_event(
    client, bearer, clinician_user, report, session
):
    body = client.get(f"/fhir/AdverseEvent/report-{report.pk}", **bearer(clinician_user)).json()
    assert_r4(R4AdverseEvent, body)
    assert body["id"] == f"report-{report.pk}" and body["actuality"] == "actual"
    assert body["event"]["coding"] == [
        {"system": "http://snomed.info/sct", "code": "40739000", "display": "Dysphagia"}
    ]
    assert body["event"]["text"].startswith("Patient-reported: Swallowing difficulty")
    assert body["subject"] == {"reference": f"Patient/{report.patient_id}"}
    assert body["recorder"] == {"reference": f"Patient/{report.patient_id}"}
    assert body["date"] == "2026-01-14"
    recorded = datetime.fromisoformat(body["recordedDate"].replace("Z", "+00:00"))
    assert recorded == report.reported_at and body["detected"] == body["recordedDate"]
    # Severe swallowing trouble is an emergency: serious, severe.
    assert body["seriousness"]["coding"][0]["code"] == "serious"
    assert body["severity"]["coding"][0]["code"] == "severe"
    assert body["suspectEntity"] == [{"instance": {"reference": f"Procedure/{session.pk}"}}]
    # The suspect resolves to the injection the project serves as a Procedure.
    procedure = client.get(f"/fhir/Procedure/{session.pk}", **bearer(clinician_user))
    assert procedure.status_code == 200


def test_several_symptoms_are_text_and_unknown_seriousness_is_left_out(
    client, bearer, clinician_user, other_report
):
    body = client.get(
        f"/fhir/AdverseEvent/report-{other_report.pk}", **bearer(clinician_user)
    ).json()
    assert_r4(R4AdverseEvent, body)
    assert "coding" not in body["event"]
    assert (
        "Drooping eyelid" in body["event"]["text"] and "Double or blurred" in body["event"]["text"]
    )
    assert "seriousness" not in body and "severity" not in body and "date" not in body
    assert "suspectEntity" not in body  # no injection on file for this patient


def test_adverse_event_search_by_patient_spans_clinic_events_and_reports(
    client, bearer, clinician_user, report, other_report, patient
):
    auth = bearer(clinician_user)
    bundle = client.get("/fhir/AdverseEvent", {"patient": f"Patient/{patient.pk}"}, **auth).json()
    assert r4_errors(bundle) == []
    assert [e["resource"]["id"] for e in bundle["entry"]] == [f"report-{report.pk}"]
    everyone = client.get("/fhir/AdverseEvent", **auth).json()
    assert {e["resource"]["id"] for e in everyone["entry"]} == {
        f"report-{report.pk}",
        f"report-{other_report.pk}",
    }
    dated = client.get("/fhir/AdverseEvent", {"date": "2026-01-14"}, **auth).json()
    assert [e["resource"]["id"] for e in dated["entry"]] == [f"report-{report.pk}"]


def test_antibody_test_reads_as_valid_r4_laboratory_observation(
    client, bearer, clinician_user, antibody, patient
):
    auth = bearer(clinician_user)
    body = client.get(f"/fhir/Observation/antibody-{antibody.pk}", **auth).json()
    assert_r4(R4Observation, body)
    assert body["category"][0]["coding"][0]["code"] == "laboratory"
    assert body["code"]["coding"][0]["code"] == "toxin-antibodies-a"
    assert body["effectiveDateTime"] == "2026-02-02"
    assert body["valueCodeableConcept"]["coding"][0]["code"] == "positive"
    assert body["interpretation"][0]["coding"][0]["code"] == "POS"
    assert body["method"]["text"] == "Mouse protection assay"
    assert body["note"] == [{"text": "Titre: 1.5 mU/mL"}]
    found = client.get(
        "/fhir/Observation",
        {"patient": f"Patient/{patient.pk}", "category": "laboratory"},
        **auth,
    ).json()
    assert r4_errors(found) == []
    assert [e["resource"]["id"] for e in found["entry"]] == [f"antibody-{antibody.pk}"]
    by_code = client.get("/fhir/Observation", {"code": "toxin-antibodies-b"}, **auth).json()
    assert not by_code.get("entry")


@pytest.mark.parametrize("url", ["/fhir/AdverseEvent/report-{r}", "/fhir/Observation/antibody-{a}"])
def test_front_desk_is_refused(client, bearer, front_desk, report, antibody, url):
    response = client.get(url.format(r=report.pk, a=antibody.pk), **bearer(front_desk))
    assert response.status_code == 403
    search = client.get("/fhir/Observation", {"category": "laboratory"}, **bearer(front_desk))
    assert search.status_code == 403


def test_patients_read_only_their_own(
    client, bearer, patient, other_patient, report, other_report, antibody
):
    mine = bearer(patient.user)
    assert client.get(f"/fhir/AdverseEvent/report-{report.pk}", **mine).status_code == 200
    assert client.get(f"/fhir/Observation/antibody-{antibody.pk}", **mine).status_code == 200
    theirs = bearer(other_patient.user)
    assert client.get(f"/fhir/AdverseEvent/report-{report.pk}", **theirs).status_code == 404
    assert client.get(f"/fhir/Observation/antibody-{antibody.pk}", **theirs).status_code == 404
    listed = client.get("/fhir/AdverseEvent", **theirs).json()
    assert [e["resource"]["id"] for e in listed["entry"]] == [f"report-{other_report.pk}"]


def test_smart_patient_scope_reaches_only_the_launch_patient(
    client, patient, other_patient, clinician_user, report, other_report, antibody
):
    # A clinician's app launched for one patient with patient/*.read sees that patient only.
    auth = smart_bearer(clinician_user, "launch/patient patient/*.read", patient=patient)
    bundle = client.get("/fhir/AdverseEvent", **auth).json()
    assert [e["resource"]["id"] for e in bundle["entry"]] == [f"report-{report.pk}"]
    other = client.get(f"/fhir/AdverseEvent/report-{other_report.pk}", **auth)
    assert other.status_code == 404
    assert client.get(f"/fhir/Observation/antibody-{antibody.pk}", **auth).status_code == 200
    # user/*.read: whatever the user's role may read.
    user_auth = smart_bearer(clinician_user, "user/*.read")
    everyone = client.get("/fhir/AdverseEvent", **user_auth).json()
    assert len(everyone["entry"]) == 2
    # A scope that does not name the type is refused.
    narrow = smart_bearer(clinician_user, "user/Patient.read")
    assert client.get("/fhir/AdverseEvent", **narrow).status_code == 403


def test_reads_are_audited_with_the_patient(client, bearer, clinician_user, report, antibody):
    auth = bearer(clinician_user)
    client.get(f"/fhir/AdverseEvent/report-{report.pk}", **auth)
    client.get(f"/fhir/Observation/antibody-{antibody.pk}", **auth)
    reads = AuditEvent.objects.filter(object_type__in=["fhir.AdverseEvent", "fhir.Observation"])
    assert {(e.object_id, e.patient_id) for e in reads} == {
        (f"report-{report.pk}", report.patient_id),
        (f"antibody-{antibody.pk}", antibody.patient_id),
    }
