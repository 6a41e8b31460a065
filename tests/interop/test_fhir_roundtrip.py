"""Round trip: a demo record exported as FHIR validates and holds the numbers the database holds."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db.models import Count
from fhir.resources.R4B.bundle import Bundle

from collis.accounts.actions import ensure_user_with_role
from collis.accounts.roles import Role
from collis.checkins.models import HomeCheckin
from collis.injections.models import CycleOutcome, Injection, InjectionSession
from collis.patients.models import Patient
from collis.recordings.models import PostureRecording
from collis.scales.models import Assessment
from collis.scheduling.models import Appointment

pytestmark = pytest.mark.django_db


def by_type(bundle: dict) -> dict[str, dict[str, dict]]:
    found: dict[str, dict[str, dict]] = {}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        found.setdefault(resource["resourceType"], {})[resource["id"]] = resource
    return found


@pytest.fixture
def treated_patient(demo_data) -> Patient:
    """A demo patient with scores, toxin sessions and appointments."""
    return (
        Patient.objects.annotate(
            sessions=Count("injection_sessions", distinct=True),
            scores=Count("assessments", distinct=True),
            bookings=Count("appointments", distinct=True),
        )
        .filter(sessions__gt=0, scores__gt=0, bookings__gt=0)
        .order_by("pk")
        .first()
    )


def test_everything_round_trips_scores_doses_and_times(
    client, treated_patient, clinician_user, bearer
):
    response = client.get(
        f"/fhir/Patient/{treated_patient.pk}/$everything", **bearer(clinician_user)
    )
    bundle = response.json()
    Bundle.model_validate(bundle)  # every entry validates as its own resource type
    found = by_type(bundle)

    complete = Assessment.objects.filter(patient=treated_patient, status="complete")
    analyses = PostureRecording.objects.filter(patient=treated_patient, rotation_deg__isnull=False)
    outcomes = CycleOutcome.objects.filter(session__patient=treated_patient)
    assert set(found["Observation"]) == {f"scale-{a.pk}" for a in complete} | {
        f"posture-{r.pk}" for r in analyses
    } | {f"outcome-{o.pk}" for o in outcomes} | {
        f"checkin-{c.pk}"
        for c in HomeCheckin.objects.filter(
            patient=treated_patient, resting_rotation_deg__isnull=False
        )
    }
    for recording in analyses:
        observation = found["Observation"][f"posture-{recording.pk}"]
        assert observation["category"][0]["coding"][0]["code"] == "exam"
        measured = {
            c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in observation["component"]
        }
        assert measured["head-rotation"]["value"] == round(recording.rotation_deg, 2)
        assert measured["head-rotation"]["code"] == "deg"
        assert measured["head-laterocollis"]["value"] == round(recording.laterocollis_deg, 2)
    for assessment in complete:
        observation = found["Observation"][f"scale-{assessment.pk}"]
        assert observation["valueQuantity"]["value"] == assessment.total
        assert observation["valueQuantity"]["code"] == "{score}"
        assert observation["effectiveDateTime"] == assessment.assessed_on.isoformat()
        components = {
            c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"]
            for c in observation.get("component", [])
        }
        expected = {f"twstrs-{k}": v for k, v in assessment.subscores.items()}
        assert components == (expected if assessment.scale == "twstrs" else {})

    sessions = InjectionSession.objects.filter(patient=treated_patient)
    assert set(found["Procedure"]) == {str(s.pk) for s in sessions}
    injections = Injection.objects.filter(session__patient=treated_patient).select_related(
        "session__product"
    )
    assert set(found["MedicationAdministration"]) == {str(i.pk) for i in injections}
    for injection in injections:
        given = found["MedicationAdministration"][str(injection.pk)]
        dose = given["dosage"]["dose"]
        assert dose["value"] == injection.units
        assert dose["unit"] == injection.session.product.unit_label
        assert given["dosage"]["site"]["coding"][0]["code"] == injection.muscle
        laterality = given["dosage"]["site"]["extension"][0]["valueCodeableConcept"]
        assert laterality["coding"][0]["display"].lower() == injection.side
        assert given["partOf"] == [{"reference": f"Procedure/{injection.session_id}"}]
        assert given["effectiveDateTime"] == injection.session.injected_on.isoformat()
    for session in sessions:
        procedure_units = sum(
            found["MedicationAdministration"][str(i.pk)]["dosage"]["dose"]["value"]
            for i in injections
            if i.session_id == session.pk
        )
        assert procedure_units == sum(i.units for i in session.injections.all())

    zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
    bookings = Appointment.objects.filter(patient=treated_patient)
    assert set(found["Appointment"]) == {str(a.pk) for a in bookings}
    for booking in bookings:
        resource = found["Appointment"][str(booking.pk)]
        start = datetime.fromisoformat(resource["start"])
        assert start == booking.start
        assert start.utcoffset() == booking.start.astimezone(zone).utcoffset()
        assert datetime.fromisoformat(resource["end"]) == booking.end


def test_drafts_are_not_observations(client, demo_data, clinician_user, bearer):
    complete = Assessment.objects.filter(status="complete").first()
    draft = Assessment.objects.create(
        patient=complete.patient,
        scale="twstrs",
        scale_version=complete.scale_version,
        assessed_on=complete.assessed_on,
        answers={"rotation": 2},
    )
    auth = bearer(clinician_user)
    assert client.get(f"/fhir/Observation/scale-{complete.pk}", **auth).status_code == 200
    assert client.get(f"/fhir/Observation/{complete.pk}", **auth).status_code == 404
    assert client.get(f"/fhir/Observation/scale-{draft.pk}", **auth).status_code == 404
    listed = client.get(
        "/fhir/Observation", {"patient": complete.patient_id, "_count": 100}, **auth
    ).json()
    assert f"scale-{draft.pk}" not in {e["resource"]["id"] for e in listed["entry"]}


def test_posture_observations_read_search_and_page_with_scale_scores(client, demo_data, bearer):
    """Observation serves two tables: paging walks across both and reads find each by prefix."""
    patient = Patient.objects.get(mrn="DEMO-0001")
    analyses = list(
        PostureRecording.objects.filter(patient=patient, rotation_deg__isnull=False).order_by("pk")
    )
    assert analyses, "the demo patient has posture analyses"
    auth = bearer(patient.user)
    first = analyses[0]
    read = client.get(f"/fhir/Observation/posture-{first.pk}", **auth)
    assert read.status_code == 200
    assert read.json()["subject"]["reference"] == f"Patient/{patient.pk}"
    exams = client.get("/fhir/Observation", {"category": "exam", "_count": 500}, **auth).json()
    checkins = HomeCheckin.objects.filter(patient=patient, resting_rotation_deg__isnull=False)
    assert {e["resource"]["id"] for e in exams["entry"]} == {
        f"posture-{r.pk}" for r in analyses
    } | {f"checkin-{c.pk}" for c in checkins}
    assert checkins, "the demo patient has home check-ins"
    home = client.get(f"/fhir/Observation/checkin-{checkins[0].pk}", **auth).json()
    assert home["code"]["coding"][0]["code"] == "head-posture"
    assert home["method"]["text"].startswith("Home video check-in")
    everything, url, seen = [], "/fhir/Observation", set()
    params = {"_count": 3}
    while url:
        page = client.get(url, params, **auth).json()
        everything += [e["resource"]["id"] for e in page.get("entry", [])]
        url = next((link["url"] for link in page["link"] if link["relation"] == "next"), None)
        params = {}
        assert page["total"] == len(set(everything)) or url
    seen = set(everything)
    assert len(seen) == len(everything)  # no entry twice across the page boundary
    assert {f"posture-{r.pk}" for r in analyses} <= seen
    assert any(i.startswith("scale-") for i in seen)


def test_posture_observations_are_clinical(client, demo_data, front_desk, bearer):
    recording = PostureRecording.objects.filter(rotation_deg__isnull=False).first()
    other = Patient.objects.exclude(pk=recording.patient_id).filter(user__isnull=True).first()
    other.user = ensure_user_with_role("t-other-patient", Role.PATIENT, password="pw-other-12345")
    other.save(update_fields=["user"])
    assert client.get("/fhir/Observation", **bearer(front_desk)).status_code == 403
    assert (
        client.get(f"/fhir/Observation/posture-{recording.pk}", **bearer(other.user)).status_code
        == 404
    )
