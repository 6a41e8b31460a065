"""Offering a freed time to one waitlisted patient: held, emailed, accepted or expired."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from collis.audit.models import AuditEvent
from collis.scheduling import actions
from collis.scheduling.errors import SlotTakenError, WaitlistOfferError
from collis.scheduling.models import Appointment, SlotHold, WaitlistEntry

from .conftest import contact

EMAILS = pytest.mark.django_db(transaction=True)


def audited(action: str) -> bool:
    return AuditEvent.objects.filter(
        object_type__iexact="scheduling.slothold", action=action
    ).exists()


def waiting(clinic, patient):
    return actions.join_waitlist(
        patient=patient,
        appointment_type=clinic.follow_up,
        earliest=clinic.monday,
        latest=clinic.monday + timedelta(days=4),
    )


def offer(clinic, entry, hour=10, **kw):
    return actions.offer_waitlist_slot(
        entry=entry, start=clinic.at(clinic.monday, hour), clinician=clinic.okafor, **kw
    )


def book_other(clinic, hour=10, source=Appointment.Source.ONLINE, n=7, **kw):
    return actions.book_appointment(
        appointment_type=clinic.follow_up,
        start=clinic.at(clinic.monday, hour),
        clinician=kw.pop("clinician", clinic.okafor),
        contact=contact(n),
        source=source,
        **kw,
    )


@EMAILS
def test_offer_holds_the_time_and_emails_an_accept_link(clinic, patient):
    entry = waiting(clinic, patient)
    hold = offer(clinic, entry)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    assert entry.offered_start == clinic.at(clinic.monday, 10)
    assert abs(hold.expires_at - hold.created_at - timedelta(hours=24)) < timedelta(minutes=1)
    email = next(m for m in mail.outbox if "held for you" in m.subject)
    assert email.to == [patient.email]
    assert f"/waitlist/offers/{hold.token}/" in email.body
    assert AuditEvent.objects.filter(
        object_type__iexact="scheduling.slothold", action="create"
    ).exists()


@pytest.mark.django_db
def test_a_held_time_is_refused_online_and_at_the_desk(clinic, patient):
    hold = offer(clinic, waiting(clinic, patient))
    with pytest.raises(SlotTakenError):
        book_other(clinic)
    with pytest.raises(SlotTakenError):
        book_other(
            clinic,
            source=Appointment.Source.STAFF,
            override_reason="squeeze in",
            location=clinic.location,
        )
    # Any-clinician online booking goes to the other clinician instead.
    other = book_other(clinic, clinician=None)
    assert other.clinician == clinic.brennan
    # A move onto the held time is refused as well.
    moving = book_other(clinic, hour=14, n=8)
    with pytest.raises(SlotTakenError):
        actions.reschedule_appointment(moving, new_start=hold.start)


@pytest.mark.django_db
def test_accepting_books_the_held_time_once(clinic, patient):
    entry = waiting(clinic, patient)
    hold = offer(clinic, entry)
    appointment = actions.accept_waitlist_offer(token=hold.token)
    assert appointment.patient == patient and appointment.start == hold.start
    assert actions.accept_waitlist_offer(token=hold.token) == appointment
    hold.refresh_from_db()
    entry.refresh_from_db()
    assert hold.status == SlotHold.Status.ACCEPTED and hold.appointment == appointment
    assert entry.status == WaitlistEntry.Status.BOOKED
    assert AuditEvent.objects.filter(
        object_type__iexact="scheduling.slothold", action="update"
    ).exists()


@pytest.mark.django_db
def test_an_expired_hold_frees_the_time_and_the_entry_can_be_offered_again(clinic, patient):
    entry = waiting(clinic, patient)
    hold = offer(clinic, entry)
    later = timezone.now() + timedelta(hours=25)
    with pytest.raises(WaitlistOfferError):
        actions.accept_waitlist_offer(token=hold.token, now=later)
    assert actions.expire_waitlist_offers(now=later) == 1
    hold.refresh_from_db()
    entry.refresh_from_db()
    assert hold.status == SlotHold.Status.EXPIRED
    assert entry.status == WaitlistEntry.Status.WAITING
    again = offer(clinic, entry, hour=11, now=later - timedelta(hours=1))
    assert again.status == SlotHold.Status.HELD


@pytest.mark.django_db
def test_expiry_is_lazy_for_booking(clinic, patient):
    hold = offer(clinic, waiting(clinic, patient))
    SlotHold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert book_other(clinic).start == hold.start


@pytest.mark.django_db
def test_one_live_hold_per_entry_and_only_free_times(clinic, patient):
    entry = waiting(clinic, patient)
    book_other(clinic, hour=11)
    with pytest.raises(SlotTakenError):
        offer(clinic, entry, hour=11)
    offer(clinic, entry)
    with pytest.raises(WaitlistOfferError):
        offer(clinic, entry, hour=14)


@override_settings(WAITLIST_HOLD_HOURS=2)
@pytest.mark.django_db
def test_hold_time_is_a_setting(clinic, patient):
    hold = offer(clinic, waiting(clinic, patient))
    assert abs(hold.expires_at - hold.created_at - timedelta(hours=2)) < timedelta(minutes=1)


# --- Pages: the staff waitlist and the patient's accept link ------------------------------


@pytest.mark.django_db
def test_desk_waitlist_lists_filters_and_offers_a_picked_time(
    client, login_staff, front_desk, clinic, patient
):
    entry = waiting(clinic, patient)
    login_staff(front_desk)
    page = client.get("/desk/waitlist/")
    assert page.status_code == 200
    assert b"Lovelace" in page.content and b"Offer a time" in page.content
    other_type = client.get(f"/desk/waitlist/?appointment_type={clinic.consult.pk}")
    assert b"Lovelace" not in other_type.content
    outside = clinic.monday + timedelta(days=20)
    assert b"Lovelace" not in client.get(f"/desk/waitlist/?day={outside}").content
    picker = client.get(
        f"/desk/waitlist/?offer={entry.pk}&clinician={clinic.okafor.pk}&date={clinic.monday}"
    )
    # The slot picker links fill the offer form with a free time.
    assert b"time=09%3A00" in picker.content and b"Hold it and email" in picker.content
    response = client.post(
        f"/desk/waitlist/{entry.pk}/offer/",
        {"clinician": clinic.okafor.pk, "date": clinic.monday.isoformat(), "time": "10:00"},
    )
    assert response.status_code == 302
    hold = SlotHold.objects.get(entry=entry)
    assert hold.start == clinic.at(clinic.monday, 10) and hold.offered_by == front_desk
    listed = client.get("/desk/waitlist/")
    assert b"Held" in listed.content
    # The held time is no longer among the free times of the desk's slot picker.
    again = client.get(
        f"/desk/book/?appointment_type={clinic.follow_up.pk}&clinician={clinic.okafor.pk}"
        f"&date={clinic.monday}"
    )
    assert b"time=09%3A30" in again.content and b"time=10%3A30" in again.content
    assert b"time=09%3A45" not in again.content and b"time=10%3A00" not in again.content


@pytest.mark.django_db
def test_desk_offer_of_a_taken_time_says_so(client, login_staff, front_desk, clinic, patient):
    entry = waiting(clinic, patient)
    book_other(clinic)
    login_staff(front_desk)
    response = client.post(
        f"/desk/waitlist/{entry.pk}/offer/",
        {"clinician": clinic.okafor.pk, "date": clinic.monday.isoformat(), "time": "10:00"},
        follow=True,
    )
    assert not SlotHold.objects.exists()
    assert b"nearest free time" in response.content


@pytest.mark.django_db
def test_patients_cannot_open_the_staff_waitlist(client, clinic, patient):
    assert client.get("/desk/waitlist/").status_code in (302, 403)


@pytest.mark.django_db
def test_accept_link_books_and_an_expired_one_says_so(client, clinic, patient):
    hold = offer(clinic, waiting(clinic, patient))
    page = client.get(f"/waitlist/offers/{hold.token}/")
    assert page.status_code == 200 and b"Book this time" in page.content
    response = client.post(f"/waitlist/offers/{hold.token}/")
    assert response.status_code == 302 and "/appointments/" in response["Location"]
    assert Appointment.objects.get(patient=patient).start == hold.start
    gone = client.get(f"/waitlist/offers/{hold.token}/")
    assert b"no longer open" in gone.content
    assert b"no longer open" in client.get("/waitlist/offers/not-a-token/").content


@pytest.mark.django_db
def test_online_free_times_leave_out_a_held_time_but_its_patient_still_sees_it(clinic, patient):
    from collis.scheduling import availability

    hold = offer(clinic, waiting(clinic, patient))
    since = clinic.at(clinic.monday, 9)

    def starts(**kw):
        found = availability.find_slots(
            clinic.follow_up, clinicians=[clinic.okafor], since=since, limit=20, **kw
        )
        return {slot.start for slot in found}

    assert hold.start not in starts()
    assert hold.start in starts(hold_owner=patient.pk)
    SlotHold.objects.filter(pk=hold.pk).update(expires_at=timezone.now())
    assert hold.start in starts()
