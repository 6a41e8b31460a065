"""Adverse events after toxin sessions as FHIR AdverseEvent: coded where a code is known,
the session's Procedure as suspect, clinical access rules."""

from __future__ import annotations

from datetime import date

import pytest

from collis.injections.actions import record_adverse_event, record_injection_session
from collis.injections.dosing import PlannedInjection, Side

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(clinician_user, clinician, patient, xeomin_lot):
    session = record_injection_session(
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
    return record_adverse_event(
        None,
        actor=clinician_user,
        session=session,
        kind="dysphagia",
        severity="severe",
        reported_on=date(2026, 1, 15),
    )


def test_adverse_event_reads_as_fhir_with_snomed_and_suspect(client, bearer, clinician_user, event):
    body = client.get(f"/fhir/AdverseEvent/{event.pk}", **bearer(clinician_user)).json()
    assert body["resourceType"] == "AdverseEvent" and body["actuality"] == "actual"
    assert body["event"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "40739000",
        "display": "Dysphagia",
    }
    assert body["subject"]["reference"] == f"Patient/{event.session.patient_id}"
    assert body["suspectEntity"][0]["instance"]["reference"] == f"Procedure/{event.session_id}"
    assert body["severity"]["coding"][0]["code"] == "severe"
    assert body["seriousness"]["coding"][0]["code"] == "serious"
    assert body["recordedDate"] == "2026-01-15"


def test_uncoded_kinds_are_sent_as_text(client, bearer, clinician_user, event):
    event.kind = "voice_change"
    event.save()
    body = client.get(f"/fhir/AdverseEvent/{event.pk}", **bearer(clinician_user)).json()
    assert "coding" not in body["event"] and body["event"]["text"].startswith("Voice change")


def test_adverse_events_are_clinical(client, bearer, front_desk, other_patient, event):
    assert client.get("/fhir/AdverseEvent", **bearer(front_desk)).status_code == 403
    bundle = client.get("/fhir/AdverseEvent", **bearer(event.session.patient.user)).json()
    assert len(bundle["entry"]) == 1
    search = client.get(
        "/fhir/AdverseEvent", {"patient": f"Patient/{other_patient.pk}"}, **bearer(front_desk)
    )
    assert search.status_code == 403


def test_capability_statement_lists_adverse_event(client):
    types = {r["type"] for r in client.get("/fhir/metadata").json()["rest"][0]["resource"]}
    assert "AdverseEvent" in types


def test_cycle_outcome_is_an_observation_beside_scale_scores(client, bearer, clinician_user, event):
    from decimal import Decimal

    from collis.injections.actions import record_cycle_outcome

    outcome = record_cycle_outcome(
        None,
        actor=clinician_user,
        session=event.session,
        assessed_on=date(2026, 2, 9),
        cgi_c=2,
        pgi_c=3,
        cdip58_score=Decimal("41.5"),
    )
    auth = bearer(clinician_user)
    body = client.get(f"/fhir/Observation/outcome-{outcome.pk}", **auth).json()
    assert body["code"]["coding"][0]["code"] == "toxin-cycle-outcome"
    values = {
        c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"] for c in body["component"]
    }
    assert values == {"cgi-c": 2, "pgi-c": 3, "cdip58-total": 41.5}
    assert body["partOf"][0]["reference"] == f"Procedure/{event.session_id}"
    found = client.get(
        "/fhir/Observation",
        {"code": "toxin-cycle-outcome", "patient": body["subject"]["reference"]},
        **auth,
    ).json()
    assert [e["resource"]["id"] for e in found["entry"]] == [f"outcome-{outcome.pk}"]
