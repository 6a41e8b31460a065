"""JSON API: types, clinicians, slots, book (201/409/422), cancel and reschedule by token."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from collis.api.api import api
from collis.scheduling import actions
from collis.scheduling.models import Appointment

from .conftest import contact

BASE = "/api/scheduling"


def booking(clinic, start, **extra) -> dict:
    return {
        "appointment_type": "injection-follow-up",
        "clinician": clinic.okafor.slug,
        "start": start.isoformat(),
        "contact": {
            "given_name": "Jordan",
            "family_name": "Rivera",
            "email": "jordan@example.com",
            "birth_date": "1980-04-02",
        },
        **extra,
    }


def post(client: Client, path: str, body: dict):
    return client.post(BASE + path, body, content_type="application/json")


def test_lists_types_and_clinicians(client, clinic):
    types = client.get(f"{BASE}/appointment-types").json()
    follow_up = next(t for t in types if t["slug"] == "injection-follow-up")
    assert follow_up["duration_minutes"] == 20
    assert sorted(follow_up["clinicians"]) == ["dr-brennan", "dr-okafor"]
    clinicians = client.get(f"{BASE}/clinicians").json()
    assert {c["slug"] for c in clinicians} == {"dr-brennan", "dr-okafor"}
    assert clinicians[0]["locations"] == ["downtown"]


def test_slots_are_iso_with_offsets_in_clinic_time(client, clinic):
    response = client.get(
        f"{BASE}/slots",
        {
            "appointment_type": "injection-follow-up",
            "clinician": "dr-okafor",
            "date_from": clinic.monday,
            "date_to": clinic.monday,
        },
    )
    slots = response.json()
    assert response.status_code == 200
    assert slots[0]["start"] == clinic.at(clinic.monday, 9).isoformat()
    assert slots[0]["start"][-6:] in {"-06:00", "-05:00"}
    assert all(s["clinician"] == "dr-okafor" and s["location"] == "downtown" for s in slots)


def test_slots_reject_a_backwards_or_long_range(client, clinic):
    response = client.get(
        f"{BASE}/slots",
        {
            "appointment_type": "injection-follow-up",
            "date_from": clinic.monday,
            "date_to": clinic.monday - timedelta(days=1),
        },
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_book_201_then_409_with_alternatives(client, clinic):
    start = clinic.at(clinic.monday, 10)
    created = post(client, "/appointments", booking(clinic, start))
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "confirmed" and body["start"] == start.isoformat()
    taken = post(client, "/appointments", booking(clinic, start))
    assert taken.status_code == 409
    problem = taken.json()
    assert taken["Content-Type"] == "application/problem+json"
    assert problem["code"] == "slot_taken" and problem["alternatives"]


def test_first_available_when_no_clinician_is_given(client, clinic):
    start = clinic.at(clinic.monday, 10)
    first = post(client, "/appointments", booking(clinic, start, clinician=None)).json()
    other = booking(clinic, start, clinician=None)
    other["contact"] = other["contact"] | {"email": "sam@example.com"}
    second = post(client, "/appointments", other).json()
    assert {first["clinician"], second["clinician"]} == {"dr-okafor", "dr-brennan"}


def test_invalid_input_is_422_problem_json(client, clinic):
    response = post(client, "/appointments", {"appointment_type": "injection-follow-up"})
    assert response.status_code == 422
    response = post(
        client, "/appointments", booking(clinic, clinic.at(clinic.monday, 12, 15))
    )  # lunch break
    assert response.status_code == 422 and response.json()["code"] == "slot_unavailable"
    unknown = post(
        client,
        "/appointments",
        booking(clinic, clinic.at(clinic.monday, 10)) | {"appointment_type": "nope"},
    )
    assert unknown.status_code == 404
    assert Appointment.objects.count() == 0


def test_cancel_and_reschedule_with_the_token(client, clinic):
    created = post(client, "/appointments", booking(clinic, clinic.at(clinic.monday, 10))).json()
    token = created["manage_token"]
    new_start = clinic.at(clinic.monday, 15)
    moved = post(client, f"/appointments/{token}/reschedule", {"start": new_start.isoformat()})
    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    assert client.get(f"{BASE}/appointments/{token}").status_code == 404  # the old link retired
    token = moved.json()["manage_token"]
    assert client.get(f"{BASE}/appointments/{token}").json()["start"] == new_start.isoformat()
    cancelled = post(client, f"/appointments/{token}/cancel", {"reason": "better"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = post(client, f"/appointments/{token}/cancel", {})
    assert again.status_code == 409
    assert client.get(f"{BASE}/appointments/{token}x").status_code == 404


def test_reschedule_onto_a_taken_time_is_409(client, clinic):
    actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, 15),
        clinician=clinic.okafor,
        contact=contact(2),
    )
    token = post(client, "/appointments", booking(clinic, clinic.at(clinic.monday, 10))).json()[
        "manage_token"
    ]
    response = post(
        client,
        f"/appointments/{token}/reschedule",
        {"start": clinic.at(clinic.monday, 15).isoformat()},
    )
    assert response.status_code == 409


def test_openapi_documents_the_booking_endpoints():
    schema = api.get_openapi_schema()
    paths = schema["paths"]
    assert {201, 409, 422} <= set(paths["/api/scheduling/appointments"]["post"]["responses"])
    assert "/api/scheduling/slots" in paths
    assert "/api/scheduling/appointments/{token}/reschedule" in paths


def test_booking_submissions_are_rate_limited_per_address(db, client, settings, monkeypatch):
    import collis.lib.throttle

    monkeypatch.setattr(collis.lib.throttle.time, "time", lambda: 1_800_000_030.0)
    settings.BOOKING_RATE_LIMIT = "3/m"
    statuses = [
        client.post("/api/scheduling/appointments", {}, content_type="application/json").status_code
        for _ in range(4)
    ]
    assert statuses[:3] == [422, 422, 422]  # counted even when the body is invalid
    assert statuses[3] == 429
