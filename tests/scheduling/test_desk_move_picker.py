"""The slot picker on the desk's move form: free times for the appointment's type and day."""

from __future__ import annotations

import pytest

from collis.scheduling import actions
from collis.scheduling.models import Appointment

from .conftest import contact


def book(clinic, hour, minute=0, n=1):
    return actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, hour, minute),
        clinician=clinic.okafor,
        contact=contact(n),
    )


@pytest.mark.django_db
def test_move_picker_lists_free_times_counting_the_appointment_itself_as_free(
    client, login_staff, front_desk, clinic
):
    appointment = book(clinic, 10)
    book(clinic, 11, n=2)  # someone else at 11:00
    login_staff(front_desk)
    page = client.get(
        f"/desk/appointments/{appointment.pk}/?clinician={clinic.okafor.pk}&date={clinic.monday}"
    )
    assert page.status_code == 200
    body = page.content
    # 10:15 overlaps the appointment being moved: still offered, it moves out of the way.
    assert b"time=10%3A15" in body and b"time=09%3A00" in body
    assert b"time=11%3A00" not in body  # taken by another patient
    assert f"/desk/appointments/{appointment.pk}/?".encode() in body


@pytest.mark.django_db
def test_choosing_a_time_fills_the_move_form_and_the_move_keeps_the_appointment(
    client, login_staff, front_desk, clinic
):
    appointment = book(clinic, 10)
    login_staff(front_desk)
    page = client.get(
        f"/desk/appointments/{appointment.pk}/?clinician={clinic.brennan.pk}"
        f"&date={clinic.monday}&time=14:30"
    )
    assert b'value="14:30"' in page.content
    client.post(
        f"/desk/appointments/{appointment.pk}/move/",
        {"clinician": clinic.brennan.pk, "date": clinic.monday.isoformat(), "time": "14:30"},
    )
    moved = Appointment.objects.get()
    assert moved.pk == appointment.pk and moved.uid == appointment.uid
    assert moved.start == clinic.at(clinic.monday, 14, 30) and moved.clinician == clinic.brennan
    assert moved.sequence == appointment.sequence + 1


@pytest.mark.django_db
def test_move_page_without_a_search_shows_no_picker_results(
    client, login_staff, front_desk, clinic
):
    appointment = book(clinic, 10)
    login_staff(front_desk)
    page = client.get(f"/desk/appointments/{appointment.pk}/")
    assert page.status_code == 200
    assert b"Show free times" in page.content and b"slot-list" not in page.content
