"""A FHIR client finds a free Slot and books it; then it is gone and cannot be booked again."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.bundle import Bundle
from jstools import r4_errors

from collis.audit.models import AuditEvent
from collis.patients.models import Patient
from collis.scheduling.models import Appointment, AppointmentType

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit_type(demo_data) -> AppointmentType:
    """A bookable type with no re-injection interval, so only availability decides."""
    return AppointmentType.objects.filter(
        is_active=True, bookable_online=True, is_reinjection=False
    ).first()


def appointment_body(slot_id: str, patient_pk: int | str, **extra: object) -> str:
    return json.dumps(
        {
            "resourceType": "Appointment",
            "status": "proposed",
            "slot": [{"reference": f"Slot/{slot_id}"}],
            "participant": [
                {"actor": {"reference": f"Patient/{patient_pk}"}, "status": "needs-action"}
            ],
            **extra,
        }
    )


def post(client, body: str, auth: dict[str, str]):
    return client.post("/fhir/Appointment", body, content_type="application/fhir+json", **auth)


def first_free_slot(client, auth, visit_type, **query) -> dict:
    bundle = client.get(
        "/fhir/Slot", {"service-type": visit_type.slug, "_count": 3, **query}, **auth
    ).json()
    Bundle.model_validate(bundle)
    return bundle["entry"][0]["resource"]


def test_patient_finds_a_free_slot_books_it_and_cannot_book_it_twice(client, visit_type, bearer):
    me = Patient.objects.get(mrn="DEMO-0001")
    auth = bearer(me.user, "Slot.read", "Appointment.read", "Appointment.write")
    slot = first_free_slot(client, auth, visit_type)
    assert slot["status"] == "free"
    assert client.get(f"/fhir/Slot/{slot['id']}", **auth).status_code == 200

    created = post(client, appointment_body(slot["id"], me.pk, comment="neck pulling"), auth)
    assert created.status_code == 201, created.content
    body = FhirAppointment.model_validate(created.json())
    stored = Appointment.objects.get(pk=int(body.id))
    assert created["Location"].endswith(f"/fhir/Appointment/{stored.pk}/_history/1")
    assert stored.patient == me and stored.source == Appointment.Source.API
    assert stored.reason == "neck pulling" and stored.booked_by == me.user
    assert stored.start == datetime.fromisoformat(slot["start"])
    assert body.status == "booked"
    assert AuditEvent.objects.filter(action="create", object_id=str(stored.pk)).exists()

    again = post(client, appointment_body(slot["id"], me.pk), auth)
    assert again.status_code == 409
    assert again.json()["issue"][0]["code"] == "conflict"
    assert Appointment.objects.filter(start=stored.start, clinician=stored.clinician).count() == 1

    # The booking holds its Slot: the Appointment names it, and the Slot now reads busy.
    assert created.json()["slot"] == [{"reference": f"Slot/{slot['id']}"}]
    held = client.get(f"/fhir/Slot/{slot['id']}", **auth)
    assert held.status_code == 200
    assert held.json()["status"] == "busy"
    assert r4_errors(held.json()) == []
    by_slot = client.get("/fhir/Appointment", {"slot": f"Slot/{slot['id']}"}, **auth).json()
    assert [e["resource"]["id"] for e in by_slot["entry"]] == [str(stored.pk)]
    busy = client.get(
        "/fhir/Slot", {"status": "busy", "start": f"ge{slot['start'][:10]}"}, **auth
    ).json()
    assert slot["id"] in {e["resource"]["id"] for e in busy["entry"]}
    listed = client.get(
        "/fhir/Slot",
        {"service-type": visit_type.slug, "start": f"le{slot['end']}", "_count": 100},
        **auth,
    ).json()
    assert slot["id"] not in {e["resource"]["id"] for e in listed.get("entry", [])}
    mine = client.get("/fhir/Appointment", {"patient": f"Patient/{me.pk}"}, **auth).json()
    assert str(stored.pk) in {e["resource"]["id"] for e in mine["entry"]}


def test_front_desk_books_for_any_patient(client, visit_type, front_desk, bearer):
    auth = bearer(front_desk, "Slot.read", "Appointment.write")
    slot = first_free_slot(client, auth, visit_type)
    # A patient with no booking of their own that clashes with the slot.
    start, end = (datetime.fromisoformat(slot[k]) for k in ("start", "end"))
    busy = Appointment.objects.active().filter(start__lt=end, end__gt=start).values("patient")
    patient = Patient.objects.exclude(pk__in=busy).order_by("mrn").first()
    assert post(client, appointment_body(slot["id"], patient.pk), auth).status_code == 201


def test_patient_cannot_book_for_someone_else(client, visit_type, bearer):
    me = Patient.objects.get(mrn="DEMO-0001")
    other = Patient.objects.get(mrn="DEMO-0002")
    auth = bearer(me.user, "Slot.read", "Appointment.write")
    slot = first_free_slot(client, auth, visit_type)
    response = post(client, appointment_body(slot["id"], other.pk), auth)
    assert response.status_code == 403
    assert not Appointment.objects.filter(patient=other, source=Appointment.Source.API).exists()


def test_booking_needs_a_token_with_appointment_write(
    client, visit_type, clinician_user, bearer, login_staff
):
    patient = Patient.objects.get(mrn="DEMO-0003")
    read_only = bearer(clinician_user, "*.read")
    slot = first_free_slot(client, read_only, visit_type)
    body = appointment_body(slot["id"], patient.pk)
    assert post(client, body, read_only).status_code == 403
    login_staff(clinician_user)
    assert post(client, body, {}).status_code == 403  # a session is read-only
    client.logout()
    assert post(client, body, {}).status_code == 401


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("not json", 400, "not JSON"),
        (json.dumps({"resourceType": "Patient"}), 400, "must be a Appointment"),
        (json.dumps({"resourceType": "Appointment", "status": "proposed"}), 400, "participant"),
        (appointment_body("1-2-3", "{me}"), 422, "not a bookable slot"),
        (appointment_body("999-999-999-20261201T1500", "{me}"), 422, "not a bookable slot"),
        (appointment_body("9-9-9-20261201T1500", 999999), 422, "Patient/999999 is not known"),
    ],
)
def test_invalid_appointments_are_refused_with_an_outcome(
    client, demo_data, clinician_user, bearer, body, status, message
):
    before = Appointment.objects.count()
    body = body.replace("{me}", str(Patient.objects.get(mrn="DEMO-0003").pk))
    response = post(client, body, bearer(clinician_user, "Appointment.write"))
    assert response.status_code == status
    assert message in response.json()["issue"][0]["diagnostics"]
    assert Appointment.objects.count() == before


def test_slot_without_patient_or_with_two_slots_is_422(client, visit_type, clinician_user, bearer):
    auth = bearer(clinician_user, "Slot.read", "Appointment.write")
    slot = first_free_slot(client, auth, visit_type)
    no_patient = json.dumps(
        {
            "resourceType": "Appointment",
            "status": "proposed",
            "slot": [{"reference": f"Slot/{slot['id']}"}],
            "participant": [{"actor": {"reference": "Practitioner/1"}, "status": "accepted"}],
        }
    )
    assert post(client, no_patient, auth).status_code == 422
    patient = Patient.objects.get(mrn="DEMO-0003")
    two = json.loads(appointment_body(slot["id"], patient.pk))
    two["slot"].append({"reference": f"Slot/{slot['id']}"})
    assert post(client, json.dumps(two), auth).status_code == 422


def test_slot_search_by_practitioner_schedule_and_dates(client, visit_type, clinician_user, bearer):
    auth = bearer(clinician_user)
    slot = first_free_slot(client, auth, visit_type)
    schedule_id = slot["schedule"]["reference"].removeprefix("Schedule/")
    practitioner = schedule_id.split("-")[0]
    schedule = client.get(f"/fhir/Schedule/{schedule_id}", **auth).json()
    assert {a["reference"] for a in schedule["actor"]} >= {f"Practitioner/{practitioner}"}
    by_actor = client.get("/fhir/Schedule", {"actor": f"Practitioner/{practitioner}"}, **auth)
    assert schedule_id in {e["resource"]["id"] for e in by_actor.json()["entry"]}
    assert client.get("/fhir/Schedule", {"actor": "Patient/1"}, **auth).status_code == 400
    day = slot["start"][:10]
    same_day = client.get(
        "/fhir/Slot",
        {
            "practitioner": f"Practitioner/{practitioner}",
            "schedule": f"Schedule/{schedule_id}",
            "start": [f"ge{day}", f"le{day}"],
            "_count": 100,
        },
        **auth,
    ).json()
    assert same_day["total"] >= 1
    for entry in same_day["entry"]:
        assert entry["resource"]["start"][:10] == day
        assert entry["resource"]["schedule"]["reference"] == f"Schedule/{schedule_id}"
    unknown = client.get("/fhir/Slot", {"status": "entered-in-error"}, **auth).json()
    assert unknown["total"] == 0
    bad = client.get("/fhir/Slot", {"start": "ge2026-13-01"}, **auth)
    assert bad.status_code == 400


def test_unknown_or_malformed_slot_ids_are_not_found(client, demo_data, clinician_user, bearer):
    auth = bearer(clinician_user)
    for slot_id in ("nonsense", "1-1-1-20261301T0900", "999-1-1-20261201T1500"):
        assert client.get(f"/fhir/Slot/{slot_id}", **auth).status_code == 404
    assert client.get("/fhir/Schedule/999-999", **auth).status_code == 404
