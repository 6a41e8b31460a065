"""Finding 10: manage links never expired, and an old link still cancelled after a reschedule.
Links now expire after the appointment, and each change of time issues a new link and retires
the old one. Replayed over HTTP against the live server.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from collis.patients.models import Patient
from collis.scheduling.models import Appointment

from ..scheduling.conftest import make_clinic
from .attack import Attacker

pytestmark = pytest.mark.django_db(transaction=True)


def _book(live_server, clinic, hour: int) -> dict:
    response = Attacker(live_server.url).http.post(
        live_server.url + "/api/scheduling/appointments",
        json={"appointment_type": "injection-follow-up", "clinician": "dr-okafor",
              "start": clinic.at(clinic.monday, hour).isoformat(),
              "contact": {"given_name": "Lin", "family_name": "K", "email": "lin@example.com"}},
        timeout=30,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()


def test_an_old_link_cannot_cancel_after_a_reschedule(live_server):
    clinic = make_clinic()
    booked = _book(live_server, clinic, 10)
    old = booked["manage_token"]
    http = Attacker(live_server.url).http
    moved = http.post(
        f"{live_server.url}/api/scheduling/appointments/{old}/reschedule",
        json={"start": clinic.at(clinic.monday, 14).isoformat()},
        timeout=30,
    )
    assert moved.status_code == 200, moved.text
    new = moved.json()["manage_token"]
    assert new != old
    stale = http.post(
        f"{live_server.url}/api/scheduling/appointments/{old}/cancel", json={}, timeout=30
    )
    assert stale.status_code == 404
    assert Appointment.objects.get(uid=booked["uid"]).status != Appointment.Status.CANCELLED
    assert Attacker(live_server.url).get(f"/appointments/{old}/").status_code == 404
    assert Attacker(live_server.url).get(f"/appointments/{new}/").status_code == 200


def test_a_link_expires_after_the_appointment(live_server):
    clinic = make_clinic()
    booked = _book(live_server, clinic, 10)
    token = booked["manage_token"]
    assert Attacker(live_server.url).get(f"/appointments/{token}/").status_code == 200
    past = timezone.now() - timedelta(days=3)
    appointment = Appointment.objects.get(uid=booked["uid"])
    Appointment.objects.filter(pk=appointment.pk).update(  # the visit took place
        start=past, end=past + timedelta(minutes=20),
        blocked_start=past, blocked_end=past + timedelta(minutes=20),
    )  # fmt: skip
    for path in (f"/appointments/{token}/", f"/appointments/{token}/appointment.ics",
                 f"/api/scheduling/appointments/{token}"):  # fmt: skip
        assert Attacker(live_server.url).get(path).status_code == 404, path
    assert Patient.objects.count() == 1
