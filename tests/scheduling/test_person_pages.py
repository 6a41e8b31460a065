"""What a person sees on the scheduling pages (issue #11): layout, clinic times, true messages."""

from __future__ import annotations

from datetime import UTC

import pytest
from django.urls import reverse

from collis.accounts.testing import sign_in_with_second_factor
from collis.scheduling import actions
from collis.scheduling.errors import InvalidTransitionError
from collis.scheduling.links import manage_token
from collis.scheduling.models import Appointment

from .conftest import contact


def _book(clinic, hour=10, day=None, **extra):
    return actions.book_appointment(
        appointment_type=extra.pop("appointment_type", clinic.follow_up),
        start=clinic.at(day or clinic.monday, hour),
        clinician=extra.pop("clinician", clinic.okafor),
        contact=extra.pop("contact", contact()),
        **extra,
    )


def test_reschedule_page_is_one_page_in_the_site_layout(client, clinic):
    """Defect 1: one <html>, one form, days paged like the booking picker, small."""
    token = manage_token(_book(clinic))
    url = reverse("scheduling:appointment-reschedule", args=[token])
    response = client.get(url, {"from": clinic.monday})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<html") == 1 and page.count('<form method="post"') == 1
    assert page.count("<h1") == 1 and "site-header" in page
    assert len(response.content) < 100_000
    new_start = clinic.at(clinic.monday, 14).astimezone(UTC).isoformat()
    assert f'value="{new_start}"' in page
    assert "Later days" in page
    # Today is the first page: no link to earlier days from it.
    assert "Earlier days" not in client.get(url).content.decode()
    assert "Earlier days" in page  # the Monday ahead is not the first page


DESK_FORM = {"reason": "", "override_reason": ""}


def _desk_post(client, clinic, patient, hour, minute=0, day=None, **extra):
    return client.post(
        reverse("scheduling:desk-book"),
        {
            "patient": patient.pk,
            "appointment_type": clinic.follow_up.pk,
            "clinician": clinic.okafor.pk,
            "location": clinic.location.pk,
            "date": day or clinic.monday,
            "time": f"{hour:02d}:{minute:02d}",
            **DESK_FORM,
            **extra,
        },
        follow=True,
    )


def test_desk_confirmation_shows_the_clinic_time(client, clinic, front_desk, patient):
    """Defect 2: a 9:45 AM booking reads 9:45 AM, never the UTC wall time."""
    sign_in_with_second_factor(client, front_desk)
    page = _desk_post(client, clinic, patient, 9, 45).content.decode()
    day = clinic.monday
    assert f"{day:%A}, {day:%B} {day.day}, {day.year}, 9:45 AM" in page
    assert "15:45" not in page and "14:45" not in page
    assert str(Appointment.objects.get()).endswith("9:45 AM")


def _move_to_today(appointment):
    """Test setup: put a booked appointment at this moment (the rules allow no such booking)."""
    from django.utils import timezone

    start = timezone.now()
    shift = start - appointment.start
    Appointment.objects.filter(pk=appointment.pk).update(
        start=start,
        end=appointment.end + shift,
        blocked_start=appointment.blocked_start + shift,
        blocked_end=appointment.blocked_end + shift,
    )
    appointment.refresh_from_db()
    return appointment


def test_arrived_is_refused_before_the_appointments_day(client, clinic, front_desk):
    """Defect 3: no arrived/completed/no-show for a future day; no button offered for it."""
    appointment = _book(clinic)
    sign_in_with_second_factor(client, front_desk)
    page = client.get(reverse("scheduling:desk-appointment", args=[appointment.pk]))
    assert "Mark arrived" not in page.content.decode()
    assert "Mark no show" not in page.content.decode()
    response = client.post(
        reverse("scheduling:desk-status", args=[appointment.pk]), {"status": "arrived"}, follow=True
    )
    assert "only on or after its day" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"
    with pytest.raises(InvalidTransitionError):
        actions.set_appointment_status(appointment, "no_show", actor=front_desk)


def test_a_mistaken_arrival_is_undone_with_a_reason_and_audited(client, clinic, front_desk):
    """Defect 3: staff undo a status with a reason; the audit keeps from, to and why."""
    from collis.audit.models import AuditEvent

    appointment = _move_to_today(_book(clinic))
    sign_in_with_second_factor(client, front_desk)
    url = reverse("scheduling:desk-appointment", args=[appointment.pk])
    assert "Mark arrived" in client.get(url).content.decode()
    client.post(reverse("scheduling:desk-status", args=[appointment.pk]), {"status": "arrived"})
    appointment.refresh_from_db()
    assert appointment.status == "arrived"
    assert "Undo: back to confirmed" in client.get(url).content.decode()
    undo = reverse("scheduling:desk-status-undo", args=[appointment.pk])
    page = client.post(undo, {"reason": ""}, follow=True).content.decode()
    assert "Say why" in page
    page = client.post(undo, {"reason": "wrong patient"}, follow=True).content.decode()
    assert "back to confirmed" in page
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"
    event = AuditEvent.objects.filter(detail__change="status undone").get()
    assert event.detail["reason"] == "wrong patient" and event.detail["from"] == "arrived"
