"""Finding 13: the booking API accepted cross-site ``text/plain`` posts carrying a patient's
session (only SameSite=Lax saved browsers today). Session-authenticated API writes now need a
JSON content type and a same-site Origin; and X-Forwarded-Proto is trusted only behind a
configured proxy.
"""

from __future__ import annotations

import json

import pytest

from ..scheduling.conftest import make_clinic
from ..test_settings import _production_value
from .attack import Attacker

pytestmark = pytest.mark.django_db(transaction=True)


def _body(clinic) -> str:
    return json.dumps({
        "appointment_type": "injection-follow-up", "clinician": "dr-okafor",
        "start": clinic.at(clinic.monday, 10).isoformat(),
        "contact": {"given_name": "Pat", "family_name": "T", "email": "pat@example.com"},
    })  # fmt: skip


def test_a_cross_site_text_plain_post_with_a_patient_session_is_refused(live_server, patient_user):
    from collis.scheduling.models import Appointment

    clinic = make_clinic()
    victim = Attacker(live_server.url).sign_in("t-patient", "pw-pat-1234567")
    url = live_server.url + "/api/scheduling/appointments"
    forged = victim.http.post(  # what a form on evil.test makes the victim's browser send
        url, data=_body(clinic), timeout=30,
        headers={"Content-Type": "text/plain", "Origin": "https://evil.test"},
    )  # fmt: skip
    assert forged.status_code in {403, 415}
    assert forged.headers["Content-Type"].startswith("application/problem+json")
    cross_json = victim.http.post(
        url, data=_body(clinic), timeout=30,
        headers={"Content-Type": "application/json", "Origin": "https://evil.test"},
    )  # fmt: skip
    assert cross_json.status_code == 403
    assert not Appointment.objects.exists()
    same_site = victim.http.post(
        url, data=_body(clinic), timeout=30,
        headers={"Content-Type": "application/json", "Origin": live_server.url},
    )  # fmt: skip
    assert same_site.status_code == 201, same_site.text


def test_an_anonymous_api_client_must_send_json(live_server):
    clinic = make_clinic()
    response = Attacker(live_server.url).http.post(
        live_server.url + "/api/scheduling/appointments", data=_body(clinic), timeout=30,
        headers={"Content-Type": "text/plain"},
    )  # fmt: skip
    assert response.status_code == 415


def test_forwarded_proto_is_trusted_only_behind_a_configured_proxy():
    assert _production_value("s.SECURE_PROXY_SSL_HEADER") == "None"
    assert _production_value("s.SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY="true") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
