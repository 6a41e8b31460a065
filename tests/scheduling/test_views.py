"""Pages: the booking journey, the emailed links, and the front desk (allowed and denied)."""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from urllib.parse import urlencode

import pytest
from collis_testing import sign_in_with_second_factor
from django.core import mail
from django.urls import reverse

from collis.audit.models import AuditEvent
from collis.scheduling import actions
from collis.scheduling.links import manage_token
from collis.scheduling.models import Appointment, CalendarFeed

from .conftest import contact

EMAILS = pytest.mark.django_db(transaction=True)


def details_url(clinic, start, **extra) -> str:
    query = {
        "type": clinic.follow_up.slug,
        "clinician": clinic.okafor.slug,
        "location": clinic.location.slug,
        "start": start.isoformat(),
        **extra,
    }
    return f"{reverse('scheduling:book-details')}?{urlencode(query)}"


FORM = {
    "given_name": "Jordan",
    "family_name": "Rivera",
    "email": "jordan@example.com",
    "phone": "",
    "birth_date": "1980-04-02",
    "reason": "new to the clinic with neck turning",
}


def test_start_page_lists_types_and_steps_through(client, clinic):
    response = client.get(reverse("scheduling:book-start"))
    assert response.status_code == 200
    assert "Injection follow-up" in response.content.decode()
    response = client.get(reverse("scheduling:book-start"), {"type": "injection-follow-up"})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert "First available" in response.content.decode()


def test_slot_page_shows_real_availability(client, clinic):
    actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, 9),
        clinician=clinic.okafor,
        contact=contact(),
    )
    response = client.get(
        reverse("scheduling:book-slots"),
        {"type": "injection-follow-up", "clinician": clinic.okafor.slug, "from": clinic.monday},
    )
    page = response.content.decode()
    assert response.status_code == 200
    first_monday_slot = re.search(r'aria-label="Monday, [^"]*?, (\d+:\d+ [AP]M)', page).group(1)
    assert first_monday_slot == "9:30 AM"  # 9:00 is taken; 9:15 would overlap it (20 min)


def test_slot_page_empty_state_points_to_the_next_free_time(client, clinic):
    from collis.scheduling.models import ClinicClosure

    for i in range(7):
        ClinicClosure.objects.create(date=clinic.monday + timedelta(days=i), name="Closed")
    response = client.get(
        reverse("scheduling:book-slots"), {"type": "injection-follow-up", "from": clinic.monday}
    )
    page = response.content.decode()
    assert "No free times in these days" in page and "The next free time is" in page


@EMAILS
def test_booking_form_books_and_shows_confirmation(client, clinic):
    url = details_url(clinic, clinic.at(clinic.monday, 10))
    form = client.get(url)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form.content.decode()).group(1)
    response = client.post(url, {**FORM, "idempotency_key": key}, follow=True)
    assert response.status_code == 200
    assert "Your appointment is booked" in response.content.decode()
    appointment = Appointment.objects.get()
    assert appointment.reason == "new to the clinic with neck turning"
    assert appointment.patient.given_name == "Jordan"
    [message] = mail.outbox
    assert message.to == ["jordan@example.com"]
    # Posting the same form again books nothing new.
    again = client.post(url, {**FORM, "idempotency_key": key}, follow=True)
    assert "Your appointment is booked" in again.content.decode()
    assert Appointment.objects.count() == 1


def test_a_taken_slot_says_so_and_offers_alternatives(client, clinic):
    start = clinic.at(clinic.monday, 10)
    actions.book_appointment(
        appointment_type=clinic.follow_up, start=start, clinician=clinic.okafor, contact=contact()
    )
    response = client.post(details_url(clinic, start), {**FORM, "idempotency_key": "k1"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Sorry, that time was just taken." in page
    assert page.count('class="who"') >= 3  # nearby alternatives, with the clinician named


def test_bad_input_keeps_what_was_typed(client, clinic):
    response = client.post(
        details_url(clinic, clinic.at(clinic.monday, 10)),
        {**FORM, "email": "not-an-email", "idempotency_key": "k2"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Enter a valid email address" in page
    assert 'value="Rivera"' in page
    assert Appointment.objects.count() == 0


def test_details_without_a_time_go_back_to_the_start(client, clinic):
    response = client.get(reverse("scheduling:book-details"), {"type": "injection-follow-up"})
    assert response.status_code == 302


@EMAILS
def test_manage_link_cancels(client, clinic):
    appointment = actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, 10),
        clinician=clinic.okafor,
        contact=contact(),
    )
    link = re.search(r"http://\S+/appointments/\S+/", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[1]
    page = client.get(path).content.decode()
    assert "Cancel appointment" in page and "Reschedule" in page
    response = client.post(path + "cancel/", {"reason": "better"}, follow=True)
    assert "Your appointment is cancelled" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert AuditEvent.objects.filter(detail__by_patient=True).exists()


def test_manage_link_reschedules(client, clinic):
    appointment = actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, 10),
        clinician=clinic.okafor,
        contact=contact(),
    )
    token = manage_token(appointment)
    page = client.get(
        reverse("scheduling:appointment-reschedule", args=[token]), {"from": clinic.monday}
    )
    new_start = clinic.at(clinic.monday, 14)
    assert f'value="{new_start.astimezone(UTC).isoformat()}"' in page.content.decode()
    response = client.post(
        reverse("scheduling:appointment-reschedule", args=[token]),
        {"start": new_start.isoformat()},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == new_start and appointment.sequence == 1


def test_a_tampered_link_is_not_found(client, clinic):
    appointment = actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, 10),
        clinician=clinic.okafor,
        contact=contact(),
    )
    token = manage_token(appointment)
    assert client.get(reverse("scheduling:appointment-manage", args=[token])).status_code == 200
    bad = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("scheduling:appointment-manage", args=[bad])).status_code == 404
    ics = client.get(reverse("scheduling:appointment-ics", args=[token]))
    assert ics["Content-Type"] == "text/calendar" and b"BEGIN:VCALENDAR" in ics.content


DESK_PAGES = ["scheduling:desk-calendar", "scheduling:desk-book", "scheduling:desk-recalls"]


@pytest.mark.parametrize("name", DESK_PAGES)
@pytest.mark.parametrize("persona", ["front_desk", "clinician_user", "administrator"])
def test_staff_open_the_desk(client, clinic, request, name, persona):
    sign_in_with_second_factor(client, request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", DESK_PAGES)
@pytest.mark.parametrize("persona", ["patient_user", "outsider"])
def test_patients_and_others_are_refused_the_desk(client, clinic, request, name, persona):
    sign_in_with_second_factor(client, request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, clinic):
    response = client.get(reverse("scheduling:desk-calendar"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_desk_calendar_shows_the_days_bookings(client, clinic, front_desk):
    actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, 10),
        clinician=clinic.okafor,
        contact=contact(),
    )
    sign_in_with_second_factor(client, front_desk)
    for view in ("day", "week"):
        page = client.get(
            reverse("scheduling:desk-calendar"), {"date": clinic.monday, "view": view}
        ).content.decode()
        assert "Pat1 Example" in page and "1 appointment." in page


def test_desk_calendar_date_box_shows_the_day_on_screen(client, clinic, front_desk):
    """Without ?date the page shows today; its date box said mm/dd/yyyy (found on a phone)."""
    from django.utils import timezone

    from collis.scheduling.availability import clinic_zone

    sign_in_with_second_factor(client, front_desk)
    today = timezone.now().astimezone(clinic_zone()).date()
    page = client.get(reverse("scheduling:desk-calendar"), {"view": "week"}).content.decode()
    assert f'value="{today.isoformat()}"' in page
    page = client.get(reverse("scheduling:desk-calendar"), {"date": clinic.monday}).content.decode()
    assert f'value="{clinic.monday.isoformat()}"' in page


def test_desk_calendar_says_when_it_cannot_read_the_date(client, clinic, front_desk):
    """A typed URL with 30 February used to show today without a word."""
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    from collis.scheduling.availability import clinic_zone

    sign_in_with_second_factor(client, front_desk)
    today = timezone.now().astimezone(clinic_zone()).date()
    page = client.get(reverse("scheduling:desk-calendar"), {"date": "2026-02-30"}).content.decode()
    assert 'role="alert"' in page and "Enter a valid date." in page
    assert f"Showing {date_format(today, 'F j, Y')} instead." in page


def test_desk_books_moves_marks_and_cancels(client, clinic, front_desk, patient):
    sign_in_with_second_factor(client, front_desk)
    response = client.post(
        reverse("scheduling:desk-book"),
        {
            "patient": patient.pk,
            "appointment_type": clinic.consult.pk,
            "clinician": clinic.okafor.pk,
            "location": clinic.location.pk,
            "date": clinic.monday,
            "time": "18:00",
            "reason": "",
            "override_reason": "",
        },
    )
    assert "Give a reason" in response.content.decode()
    response = client.post(
        reverse("scheduling:desk-book"),
        {
            "patient": patient.pk,
            "appointment_type": clinic.consult.pk,
            "clinician": clinic.okafor.pk,
            "location": clinic.location.pk,
            "date": clinic.monday,
            "time": "09:00",
        },
    )
    appointment = Appointment.objects.get()
    assert response["Location"] == reverse("scheduling:desk-appointment", args=[appointment.pk])
    assert appointment.source == "staff" and appointment.booked_by == front_desk
    page = client.get(response["Location"]).content.decode()
    assert patient.full_name in page
    client.post(
        reverse("scheduling:desk-move", args=[appointment.pk]),
        {"clinician": clinic.brennan.pk, "date": clinic.monday, "time": "14:00"},
    )
    appointment.refresh_from_db()
    assert appointment.clinician == clinic.brennan
    assert appointment.start == clinic.at(clinic.monday, 14)
    # Arrival is for the appointment's day (test_person_pages covers the refusal before it).
    actions.set_appointment_status(appointment, "arrived", now=appointment.start)
    appointment.refresh_from_db()
    assert appointment.status == "arrived"
    response = client.post(
        reverse("scheduling:desk-status", args=[appointment.pk]),
        {"status": "confirmed"},
        follow=True,
    )
    assert "cannot become confirmed" in response.content.decode()


def test_desk_appointment_is_refused_to_a_patient(client, clinic, patient_user):
    appointment = actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, 10),
        clinician=clinic.okafor,
        contact=contact(),
    )
    sign_in_with_second_factor(client, patient_user)
    url = reverse("scheduling:desk-appointment", args=[appointment.pk])
    assert client.get(url).status_code == 403
    assert client.post(reverse("scheduling:desk-cancel", args=[appointment.pk])).status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == "confirmed"


def test_clinician_feed_is_private_and_revocable(client, clinic):
    from collis.accounts.actions import ensure_user_with_role
    from collis.accounts.roles import Role

    user = ensure_user_with_role("dr.okafor", Role.CLINICIAN, password=None)
    clinic.okafor.user = user
    clinic.okafor.save()
    actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, 10),
        clinician=clinic.okafor,
        contact=contact(),
    )
    sign_in_with_second_factor(client, user)
    page = client.get(reverse("scheduling:desk-feed")).content.decode()
    token = CalendarFeed.objects.get(clinician=clinic.okafor).token
    assert token in page
    feed = client.get(reverse("scheduling:clinician-feed", args=[token]))
    assert feed.status_code == 200 and b"PE \xc2\xb7 Injection follow-up" in feed.content
    assert b"Pat1" not in feed.content
    client.post(reverse("scheduling:desk-feed"))
    assert client.get(reverse("scheduling:clinician-feed", args=[token])).status_code == 404
