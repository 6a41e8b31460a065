"""Finding 6: idempotency keys were global: anyone who reused another client's key got that
client's booking and its manage token. Keys are now bound to the caller and the request body:
the same key with a different body answers 422, and another caller's key is just a new key.
"""

from __future__ import annotations

from datetime import date

import pytest

from ..scheduling.conftest import make_clinic
from .attack import Attacker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clinic(db):
    return make_clinic()


def _body(clinic, hour: int, email: str, key: str) -> dict:
    return {
        "appointment_type": "injection-follow-up",
        "start": clinic.at(clinic.monday, hour).isoformat(),
        "clinician": "dr-okafor",
        "contact": {"given_name": "Vic", "family_name": "Tim", "email": email,
                    "birth_date": date(1980, 1, 1).isoformat()},
        "idempotency_key": key,
    }  # fmt: skip


def _post(live_server, body, session=None):
    http = session or Attacker(live_server.url).http
    return http.post(live_server.url + "/api/scheduling/appointments", json=body, timeout=30)


def test_reusing_a_key_with_another_body_reveals_nothing(live_server, clinic):
    victim = _post(live_server, _body(clinic, 10, "victim@example.com", "shared-key-1"))
    assert victim.status_code == 201
    secret = victim.json()["manage_token"]
    attacker = _post(live_server, _body(clinic, 11, "attacker@evil.test", "shared-key-1"))
    assert attacker.status_code == 422
    assert attacker.headers["Content-Type"].startswith("application/problem+json")
    assert secret not in attacker.text and victim.json()["uid"] not in attacker.text


def test_the_same_caller_retrying_the_same_body_gets_the_same_booking(live_server, clinic):
    body = _body(clinic, 10, "victim@example.com", "retry-key-1")
    first = _post(live_server, body)
    again = _post(live_server, body)
    assert first.status_code == 201 and again.status_code in {200, 201}
    assert again.json()["uid"] == first.json()["uid"]


def test_another_caller_with_the_same_key_and_body_does_not_get_the_booking(
    live_server, clinic, patient_user
):
    body = _body(clinic, 10, "victim@example.com", "same-everything")
    victim = _post(live_server, body)
    signed_in = Attacker(live_server.url).sign_in("t-patient", "pw-pat-1234567")
    other = signed_in.http.post(
        live_server.url + "/api/scheduling/appointments",
        json=body,
        headers={"X-CSRFToken": signed_in.csrf(), "Origin": live_server.url},
        timeout=30,
    )
    assert victim.json()["manage_token"] not in other.text
    assert victim.json()["uid"] not in other.text


def test_the_booking_form_binds_its_key_too(live_server, clinic):
    start = clinic.at(clinic.monday, 10).isoformat()
    query = f"type=injection-follow-up&clinician=dr-okafor&location=downtown&start={start}"
    form = {"given_name": "Vic", "family_name": "Tim", "email": "victim@example.com",
            "birth_date": "1980-01-01", "idempotency_key": "form-key-1"}  # fmt: skip
    victim = Attacker(live_server.url).post(f"/book/details/?{query}", form)
    assert victim.status_code == 302
    later = clinic.at(clinic.monday, 14).isoformat()
    query2 = f"type=injection-follow-up&clinician=dr-okafor&location=downtown&start={later}"
    attacker = Attacker(live_server.url).post(
        f"/book/details/?{query2}", {**form, "email": "attacker@evil.test"}
    )
    assert attacker.status_code != 302 or attacker.headers["Location"] != victim.headers["Location"]
