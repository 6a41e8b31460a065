"""What a person sees on the scheduling pages (issue #11): layout, clinic times, true messages."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from collis_testing import sign_in_with_second_factor
from django.urls import reverse

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


def test_desk_cannot_book_the_past_even_with_an_override(client, clinic, front_desk, patient):
    """Defect 4: a past time has its own rule and message; nothing is booked or emailed."""
    from django.core import mail
    from django.utils import timezone

    sign_in_with_second_factor(client, front_desk)
    yesterday = timezone.localdate() - timedelta(days=1)
    for override in ("", "patient insisted"):
        page = _desk_post(
            client, clinic, patient, 10, day=yesterday, override_reason=override
        ).content.decode()
        assert "already passed" in page and "bookable hours" not in page
    assert Appointment.objects.count() == 0 and not mail.outbox


def test_booking_a_past_slot_says_it_has_passed(client, clinic):
    """Defect 5: a stale slot page, submitted after the time, says the time has passed."""
    from .test_views import FORM, details_url

    past = clinic.at(clinic.monday, 10) - timedelta(days=14)
    response = client.post(details_url(clinic, past), {**FORM, "idempotency_key": "p1"})
    page = response.content.decode()
    assert "already passed" in page and "just taken" not in page


def test_a_clinician_at_a_location_she_does_not_work_at_is_named(client, clinic):
    """Defect 5: not "just taken" but where she works."""
    from collis.providers.models import Location

    from .test_views import FORM, details_url

    elsewhere = Location.objects.create(
        clinic=clinic.location.clinic, name="Evanston", slug="evanston", street="2 Elm St"
    )
    url = details_url(clinic, clinic.at(clinic.monday, 10)).replace(
        "location=downtown", "location=evanston"
    )
    assert elsewhere.slug in url
    page = client.post(url, {**FORM, "idempotency_key": "l1"}).content.decode()
    assert "does not see patients at Evanston" in page and "just taken" not in page


def test_an_old_booking_is_already_booked_not_just_taken(client, clinic, front_desk, patient):
    """Defect 5: a time booked long ago reads "already booked"; nearby times show the date."""
    from django.utils import timezone

    other = _book(clinic, 10)
    Appointment.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(days=3))
    sign_in_with_second_factor(client, front_desk)
    page = _desk_post(client, clinic, patient, 10).content.decode()
    assert "already booked" in page and "just taken" not in page
    day = clinic.monday
    assert f"{day:%a}, {day:%b} {day.day}" in page  # nearby times carry their day


def test_desk_nearby_times_keep_the_patient_and_visit_type(client, clinic, front_desk, patient):
    """Defect 5: a nearby-time button opens the form with patient and type still chosen."""
    import re
    from html import unescape

    _book(clinic, 10)
    sign_in_with_second_factor(client, front_desk)
    page = _desk_post(client, clinic, patient, 10).content.decode()
    link = unescape(re.search(r'href="(/desk/book/\?[^"]+)"', page).group(1))
    assert f"patient={patient.pk}" in link and f"appointment_type={clinic.follow_up.pk}" in link
    form_page = client.get(link).content.decode()
    assert f'<option value="{patient.pk}" selected>' in form_page


def test_back_and_resubmit_shows_the_patients_own_booking(client, clinic):
    """Defect 5: the same browser booking the same time again is shown its booking."""
    from .test_views import FORM, details_url

    url = details_url(clinic, clinic.at(clinic.monday, 10))
    first = client.post(url, {**FORM, "idempotency_key": "b1"})
    assert first.status_code == 302
    # Back, reload (a fresh form key), Book again:
    again = client.post(url, {**FORM, "idempotency_key": "b2"}, follow=True)
    page = again.content.decode()
    assert "already booked this time" in page and "Your appointment" in page
    assert Appointment.objects.count() == 1
    # Another browser gets no such shortcut to someone's booking.
    from django.test import Client

    other = Client().post(url, {**FORM, "idempotency_key": "b3"})
    assert other.status_code == 409 and "already booked this time" not in other.content.decode()


def test_clinician_closed_to_new_patients_offers_no_first_visit(client, clinic):
    """Defect 6: no new-patient slots, not under "First available", refused if posted."""
    from .test_views import FORM, details_url

    clinic.consult.for_new_patients = True
    clinic.consult.save()
    clinic.brennan.accepting_new_patients = False
    clinic.brennan.save()
    choose = client.get(reverse("scheduling:book-choose"), {"type": clinic.consult.slug})
    assert "Dr. Lucas Brennan" not in choose.content.decode()
    slots = client.get(
        reverse("scheduling:book-slots"),
        {"type": clinic.consult.slug, "clinician": "any", "from": clinic.monday},
    ).content.decode()
    assert "Dr. Maya Okafor" in slots and "Dr. Lucas Brennan" not in slots
    own = client.get(
        reverse("scheduling:book-slots"),
        {"type": clinic.consult.slug, "clinician": clinic.brennan.slug, "from": clinic.monday},
    ).content.decode()
    assert 'class="slot-list"' not in own
    url = (
        details_url(clinic, clinic.at(clinic.monday, 10))
        .replace("type=injection-follow-up", "type=new-patient")
        .replace("dr-okafor", "dr-brennan")
    )
    page = client.post(url, {**FORM, "idempotency_key": "n1"}).content.decode()
    assert "existing patients only" in page
    assert not Appointment.objects.exists()


def test_the_injection_interval_is_told_at_the_slot_step(client, clinic, patient_user):
    """Defect 12: a signed-in patient sees the due date before typing anything; no DOB field."""
    from collis.patients.models import Patient
    from collis.scheduling.models import InjectionRecall

    patient = Patient.objects.create(
        mrn="T-12", given_name="Ada", family_name="Byron", email="ada12@example.com",
        user=patient_user,
    )  # fmt: skip
    due = clinic.monday + timedelta(days=21)
    InjectionRecall.objects.create(
        patient=patient,
        last_injected_on=due - timedelta(days=84),
        min_interval_days=84,
        product_name="Xeomin",
        due_on=due,
    )
    client.force_login(patient_user)
    page = client.get(
        reverse("scheduling:book-slots"),
        {"type": clinic.injection.slug, "clinician": "any", "from": clinic.monday},
    ).content.decode()
    assert f"Your next injection can be from {due:%A}, {due:%B} {due.day}, {due.year}" in page
    assert "book a follow-up visit" in page and "can override" not in page
    assert f"Showing {due:%B} {due.day}" in page
    from .test_views import details_url

    details = client.get(
        details_url(clinic, clinic.at(clinic.monday, 10)).replace(
            "injection-follow-up", clinic.follow_up.slug
        )
    ).content.decode()
    assert 'name="birth_date"' not in details and 'value="Ada"' in details


WAIT_FORM = {
    "given_name": "Jordan",
    "family_name": "Rivera",
    "email": "jordan@example.com",
    "phone": "",
    "birth_date": "1980-04-02",
}


@pytest.mark.django_db(transaction=True)
def test_waitlist_refuses_past_windows_merges_duplicates_and_confirms(client, clinic):
    """Defect 11: no past window, no duplicate, a confirmation email, no patient in the list."""
    from django.core import mail
    from django.utils import timezone

    from collis.patients.models import Patient
    from collis.scheduling.models import WaitlistEntry

    url = reverse("scheduling:book-waitlist") + f"?type={clinic.follow_up.slug}&clinician=any"
    today = timezone.localdate()
    past = {"earliest": today - timedelta(days=20), "latest": today - timedelta(days=10)}
    page = client.post(url, {**WAIT_FORM, **past}).content.decode()
    assert "This date has passed" in page and not WaitlistEntry.objects.exists()
    window = {"earliest": today + timedelta(days=2), "latest": today + timedelta(days=9)}
    response = client.post(url, {**WAIT_FORM, **window}, follow=True)
    assert "We emailed you a confirmation" in response.content.decode()
    assert len(mail.outbox) == 1 and "on the waitlist" in mail.outbox[0].subject
    wider = {"earliest": today + timedelta(days=1), "latest": today + timedelta(days=30)}
    client.post(url, {**WAIT_FORM, **wider})
    entry = WaitlistEntry.objects.get()  # one entry, widened
    assert entry.earliest == wider["earliest"] and entry.latest == wider["latest"]
    assert len(mail.outbox) == 1
    held = Patient.objects.get(email="jordan@example.com")
    assert held.is_pending_contact


def test_online_contacts_are_not_in_the_clinicians_patient_list(client, clinic, clinician):
    """Defect 11: an anonymous booking holds a pending contact until the first visit."""
    from collis.patients.models import Patient

    from .test_views import FORM, details_url

    client.post(details_url(clinic, clinic.at(clinic.monday, 10)), {**FORM, "idempotency_key": "c"})
    held = Patient.objects.get(email="jordan@example.com")
    assert held.is_pending_contact
    sign_in_with_second_factor(client, clinician.user)
    page = client.get(reverse("patients:patient-list")).content.decode()
    assert "Rivera" not in page
    appointment = Appointment.objects.get()
    actions.set_appointment_status(appointment, "arrived", now=appointment.start)
    held.refresh_from_db()
    assert not held.is_pending_contact
    assert "Rivera" in client.get(reverse("patients:patient-list")).content.decode()


def test_desk_calendar_queries_do_not_grow_with_clinicians(client, clinic, front_desk):
    """Issue #11 defect 15: no query per clinician for their locations (N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from collis.providers.models import Clinician

    sign_in_with_second_factor(client, front_desk)
    url = reverse("scheduling:desk-calendar")
    query = {"date": clinic.monday, "location": clinic.location.slug}

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, query).status_code == 200
        return len(captured)

    before = count()
    for n in range(4):
        extra = Clinician.objects.create(display_name=f"Dr. Extra {n}", slug=f"dr-extra-{n}")
        extra.locations.add(clinic.location)
    assert count() == before


def test_desk_patient_picker_searches_name_mrn_birth_date_and_phone(client, clinic, front_desk):
    """Desk tool: the patient list shows matches of a search, not every patient."""
    from datetime import date

    from collis.patients.models import Patient

    Patient.objects.create(
        mrn="T-77", given_name="Ada", family_name="Quill", birth_date=date(1970, 1, 2),
        phone="(312) 555-0177", email="quill@example.com",
    )  # fmt: skip
    Patient.objects.create(mrn="T-78", given_name="Bo", family_name="Other", email="o@example.com")
    sign_in_with_second_factor(client, front_desk)
    url = reverse("scheduling:desk-book")
    assert "Quill, Ada" not in client.get(url).content.decode()
    for query in ("quill", "T-77", "1970-01-02", "555-0177"):
        page = client.get(url, {"q": query}).content.decode()
        assert "Quill, Ada (T-77)" in page, query
        assert "Other, Bo" not in page, query


def test_desk_slot_picker_lists_free_times_and_keeps_the_patient(
    client, clinic, front_desk, patient
):
    """Desk tool: free times for the clinician, type and day; each keeps patient and type."""
    from html import unescape

    _book(clinic, 10)
    sign_in_with_second_factor(client, front_desk)
    page = client.get(
        reverse("scheduling:desk-book"),
        {
            "patient": patient.pk,
            "appointment_type": clinic.follow_up.pk,
            "clinician": clinic.okafor.pk,
            "date": clinic.monday,
        },
    ).content.decode()
    assert "Free times that day" in page
    links = [unescape(x) for x in __import__("re").findall(r'href="(/desk/book/\?[^"]+)"', page)]
    assert any("time=09%3A00" in x for x in links) and not any("time=10%3A00" in x for x in links)
    assert all(f"patient={patient.pk}" in x for x in links)


def test_recall_list_actions_send_snooze_and_unreachable(client, clinic, front_desk, patient):
    """Desk tool: book from the recall list, send the recall, snooze with a reason (audited),
    mark unreachable; snoozed and unreachable patients leave the list."""
    from django.core import mail
    from django.utils import timezone

    from collis.audit.models import AuditEvent
    from collis.scheduling.models import InjectionRecall

    today = timezone.localdate()
    recall = InjectionRecall.objects.create(
        patient=patient,
        last_injected_on=today - timedelta(days=90),
        due_on=today - timedelta(days=6),
        product_name="Xeomin",
    )
    sign_in_with_second_factor(client, front_desk)
    url = reverse("scheduling:desk-recalls")
    page = client.get(url).content.decode()
    assert f"/desk/book/?patient={patient.pk}" in page and "Send recall" in page

    def act(action, **data):
        target = reverse("scheduling:desk-recall-action", args=[recall.pk, action])
        return client.post(target, data, follow=True).content.decode()

    assert "Recall emailed" in act("send") and mail.outbox[-1].to == [patient.email]
    assert "Say why" in act("snooze", until=today + timedelta(days=7), reason="")
    act("snooze", until=today + timedelta(days=7), reason="on holiday")
    assert AuditEvent.objects.filter(detail__recall="snoozed").exists()
    assert patient.family_name not in client.get(url).content.decode()
    InjectionRecall.objects.filter(pk=recall.pk).update(snoozed_until=None)
    assert "marked unreachable" in act("unreachable", reason="three calls, no answer")
    assert patient.family_name not in client.get(url).content.decode()


def test_recall_sent_by_the_desk_is_in_the_patients_language(client, clinic, front_desk, patient):
    """The desk's "Send recall" writes the same letter as the nightly job: in the patient's
    language, and the recall is marked sent for its due date (audited once)."""
    from django.core import mail
    from django.utils import timezone

    from collis.audit.models import AuditEvent
    from collis.scheduling.models import InjectionRecall

    patient.preferred_language = "es"
    patient.save(update_fields=["preferred_language"])
    today = timezone.localdate()
    recall = InjectionRecall.objects.create(
        patient=patient,
        last_injected_on=today - timedelta(days=90),
        due_on=today - timedelta(days=6),
        product_name="Xeomin",
    )
    sign_in_with_second_factor(client, front_desk)
    client.post(reverse("scheduling:desk-recall-action", args=[recall.pk, "send"]))
    [message] = mail.outbox
    assert message.subject.startswith("Es hora de pedir su próxima inyección")
    assert InjectionRecall.objects.get(pk=recall.pk).recall_sent_for == recall.due_on
    assert AuditEvent.objects.filter(detail__recall="sent by desk").count() == 1
