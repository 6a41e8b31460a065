"""Booking rules through the actions, on the real database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from collis.audit.models import AuditEvent
from collis.patients.models import Patient
from collis.scheduling import actions
from collis.scheduling.errors import (
    CancellationWindowClosedError,
    InvalidTransitionError,
    OverrideReasonRequiredError,
    PatientBusyError,
    ReinjectionTooEarlyError,
    SlotTakenError,
    SlotUnavailableError,
)
from collis.scheduling.models import Appointment, BookingPolicy, ReminderDelivery, WaitlistEntry

from .conftest import contact

Status = Appointment.Status
# Emails go out from jobs run after commit. The job runner closes stale connections, which on
# PostgreSQL ends a test wrapped in one transaction; these tests commit for real instead.
EMAILS = pytest.mark.django_db(transaction=True)


def book(clinic, start, kind=None, n=1, **kw):
    return actions.book_appointment(
        appointment_type=kind or clinic.follow_up,
        start=start,
        clinician=kw.pop("clinician", clinic.okafor),
        contact=kw.pop("who", contact(n)),
        **kw,
    )


@EMAILS
def test_books_a_free_slot_and_emails_a_calendar_file(clinic):
    start = clinic.at(clinic.monday, 10)
    appointment = book(clinic, start, kind=clinic.injection, reason="re-injection")
    assert appointment.status == Status.CONFIRMED
    assert appointment.end - appointment.start == timedelta(minutes=30)
    # Buffers: 10 min before, 5 after.
    assert appointment.blocked_start == start - timedelta(minutes=10)
    assert appointment.blocked_end == start + timedelta(minutes=35)
    assert appointment.location == clinic.location
    assert appointment.patient.email == "pat1@example.com"
    [message] = mail.outbox
    assert message.to == ["pat1@example.com"]
    assert "/appointments/" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == "appointment.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content
    assert AuditEvent.objects.filter(
        object_type="scheduling.Appointment", object_id=str(appointment.pk), action="create"
    ).exists()


@EMAILS
def test_request_mode_waits_for_staff_confirmation(clinic, front_desk):
    BookingPolicy.objects.update(auto_confirm=False)
    appointment = book(clinic, clinic.at(clinic.monday, 9))
    assert appointment.status == Status.REQUESTED
    assert "received your appointment request" in mail.outbox[0].subject
    actions.set_appointment_status(appointment, Status.CONFIRMED, actor=front_desk)
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CONFIRMED
    assert "confirmed" in mail.outbox[1].subject


def test_the_same_form_posted_twice_books_once(clinic):
    first = book(clinic, clinic.at(clinic.monday, 9), idempotency_key="form-123")
    again = book(clinic, clinic.at(clinic.monday, 9), idempotency_key="form-123")
    assert again.pk == first.pk
    assert Appointment.objects.count() == 1


def test_a_taken_time_is_refused_with_nearby_alternatives(clinic):
    start = clinic.at(clinic.monday, 10)
    book(clinic, start, n=1)
    with pytest.raises(SlotTakenError) as caught:
        book(clinic, start, n=2)
    alternatives = caught.value.alternatives
    assert alternatives and start not in [s.start for s in alternatives]
    assert all(abs(s.start - start) <= timedelta(hours=2) for s in alternatives)
    assert Appointment.objects.count() == 1


def test_buffers_keep_the_next_visit_away(clinic):
    book(clinic, clinic.at(clinic.monday, 10), kind=clinic.injection)  # blocks 9:50–10:35
    with pytest.raises(SlotTakenError):
        book(clinic, clinic.at(clinic.monday, 10, 30), n=2)
    assert book(clinic, clinic.at(clinic.monday, 10, 45), n=2).pk


def test_first_available_picks_a_free_clinician(clinic):
    start = clinic.at(clinic.monday, 9)
    taken = book(clinic, start, n=1)
    second = book(clinic, start, n=2, clinician=None)
    assert {taken.clinician, second.clinician} == {clinic.okafor, clinic.brennan}
    with pytest.raises(SlotTakenError):
        book(clinic, start, n=3, clinician=None)


def test_online_booking_outside_hours_is_refused(clinic):
    with pytest.raises(SlotUnavailableError):
        book(clinic, clinic.at(clinic.monday, 12, 15))  # lunch break
    with pytest.raises(SlotUnavailableError):
        book(clinic, clinic.at(clinic.monday, 10, 5))  # off the 15-minute grid
    with pytest.raises(SlotUnavailableError):
        book(clinic, clinic.at(clinic.monday + timedelta(days=200), 10))  # beyond the horizon


def test_staff_override_outside_hours_needs_a_reason_and_records_it(clinic, front_desk, patient):
    start = clinic.at(clinic.monday, 18)
    kwargs = {"patient": patient, "source": Appointment.Source.STAFF, "actor": front_desk}
    kwargs["location"] = clinic.location
    with pytest.raises(OverrideReasonRequiredError):
        book(clinic, start, **kwargs)
    appointment = book(clinic, start, override_reason="Botox clinic runs late today", **kwargs)
    assert appointment.override_reason == "Botox clinic runs late today"
    assert appointment.booked_by == front_desk


def test_no_override_can_double_book(clinic, front_desk, patient):
    start = clinic.at(clinic.monday, 18)
    kwargs = {"source": Appointment.Source.STAFF, "actor": front_desk, "location": clinic.location}
    book(clinic, start, patient=patient, override_reason="late clinic", **kwargs)
    with pytest.raises(SlotTakenError):
        book(clinic, start, n=2, override_reason="squeeze in", **kwargs)


def test_a_public_booking_never_attaches_to_an_existing_record(clinic, patient):
    """Matching is the front desk's job: typed details never reach an existing record (#12.4)."""
    who = actions.Contact("Ada", "Lovelace", "ADA@example.com", "", patient.birth_date)
    booked = book(clinic, clinic.at(clinic.monday, 9), who=who).patient
    assert booked != patient and booked.mrn.startswith("W")
    stranger = actions.Contact("Ada", "Lovelace", "ada@example.com", "", date(1990, 1, 1))
    other = book(clinic, clinic.at(clinic.monday, 10), who=stranger).patient
    assert other not in (patient, booked) and other.mrn.startswith("W")
    assert Patient.objects.count() == 3


def test_a_patient_cannot_be_in_two_places_at_once(clinic, patient):
    book(clinic, clinic.at(clinic.monday, 9), patient=patient)
    with pytest.raises(PatientBusyError):
        book(clinic, clinic.at(clinic.monday, 9, 15), patient=patient, clinician=clinic.brennan)


class TestReinjectionInterval:
    """The minimum interval since the last toxin injection (84 days, clinical.md §3/§4)."""

    @pytest.fixture
    def due_on(self, clinic, patient):
        injected = clinic.monday - timedelta(days=80)  # due on Friday of that week
        recall = actions.record_injection_cycle(
            patient=patient, injected_on=injected, min_interval_days=84, product_name="Dysport"
        )
        assert recall.due_on == injected + timedelta(days=84)
        return recall.due_on

    def test_refused_before_due_without_override(self, clinic, patient, due_on):
        with pytest.raises(ReinjectionTooEarlyError) as caught:
            book(clinic, clinic.at(clinic.monday, 9), kind=clinic.injection, patient=patient)
        assert caught.value.due_on == due_on

    def test_front_desk_cannot_override_it(self, clinic, patient, due_on, front_desk):
        with pytest.raises(ReinjectionTooEarlyError):
            book(
                clinic,
                clinic.at(clinic.monday, 9),
                kind=clinic.injection,
                patient=patient,
                source=Appointment.Source.STAFF,
                actor=front_desk,
                override_reason="patient asked",
            )

    def test_a_clinician_can_override_with_a_reason(self, clinic, patient, due_on, clinician_user):
        kwargs = {
            "kind": clinic.injection,
            "patient": patient,
            "source": Appointment.Source.STAFF,
            "actor": clinician_user,
        }
        with pytest.raises(ReinjectionTooEarlyError):
            book(clinic, clinic.at(clinic.monday, 9), **kwargs)
        appointment = book(
            clinic,
            clinic.at(clinic.monday, 9),
            override_reason="wearing off at 10 weeks",
            **kwargs,
        )
        assert appointment.override_reason == "wearing off at 10 weeks"

    def test_allowed_from_the_due_date(self, clinic, patient, due_on):
        assert book(clinic, clinic.at(due_on, 9), kind=clinic.injection, patient=patient).pk
        # Other visit types are never held back.
        assert book(clinic, clinic.at(clinic.monday, 9), patient=patient).pk

    def test_an_older_injection_does_not_move_the_due_date_back(self, patient, due_on):
        recall = actions.record_injection_cycle(
            patient=patient,
            injected_on=due_on - timedelta(days=200),
            min_interval_days=84,
            product_name="Botox",
        )
        assert recall.due_on == due_on

    def test_interval_must_be_positive(self, patient):
        with pytest.raises(ValueError):
            actions.record_injection_cycle(
                patient=patient,
                injected_on=date(2026, 1, 1),
                min_interval_days=0,
                product_name="Botox",
            )


@EMAILS
def test_cancel_frees_the_time_and_sends_a_cancellation(clinic):
    start = clinic.at(clinic.monday, 9)
    appointment = book(clinic, start)
    ReminderDelivery.objects.create(appointment=appointment, kind="72h")
    mail.outbox.clear()
    cancelled = actions.cancel_appointment(appointment, reason="feeling better", by_patient=True)
    assert cancelled.status == Status.CANCELLED and cancelled.sequence == 1
    assert ReminderDelivery.objects.get().status == "skipped"
    [message] = mail.outbox
    assert "METHOD:CANCEL" in message.attachments[0][1]
    assert book(clinic, start, n=2).pk  # the time is free again
    with pytest.raises(InvalidTransitionError):
        actions.cancel_appointment(cancelled)


def test_patients_cannot_cancel_inside_the_window(clinic):
    appointment = book(clinic, clinic.at(clinic.monday, 9))
    late = appointment.start - timedelta(hours=5)
    with pytest.raises(CancellationWindowClosedError):
        actions.cancel_appointment(appointment, by_patient=True, now=late)
    assert actions.cancel_appointment(appointment, now=late).status == Status.CANCELLED


@EMAILS
def test_reschedule_moves_and_bumps_the_sequence(clinic):
    appointment = book(clinic, clinic.at(clinic.monday, 9))
    new_start = clinic.at(clinic.monday + timedelta(days=1), 14)
    mail.outbox.clear()
    moved = actions.reschedule_appointment(appointment, new_start=new_start, by_patient=True)
    assert moved.start == new_start and moved.sequence == 1
    assert moved.end == new_start + timedelta(minutes=20)
    assert "moved" in mail.outbox[0].subject
    assert "SEQUENCE:1" in mail.outbox[0].attachments[0][1]


def test_reschedule_onto_a_taken_time_is_refused(clinic):
    book(clinic, clinic.at(clinic.monday, 11), n=2)
    appointment = book(clinic, clinic.at(clinic.monday, 9))
    with pytest.raises(SlotTakenError):
        actions.reschedule_appointment(appointment, new_start=clinic.at(clinic.monday, 11))
    with pytest.raises(SlotUnavailableError):
        actions.reschedule_appointment(
            appointment, new_start=clinic.at(clinic.monday, 20), by_patient=True
        )
    # Moving within its own time (overlapping itself) is fine.
    moved = actions.reschedule_appointment(appointment, new_start=clinic.at(clinic.monday, 9, 15))
    assert moved.start == clinic.at(clinic.monday, 9, 15)


def test_status_follows_the_visit(clinic, front_desk):
    appointment = book(clinic, clinic.at(clinic.monday, 9))
    on_the_day = appointment.start
    for status in (Status.ARRIVED, Status.COMPLETED):
        appointment = actions.set_appointment_status(
            appointment, status, actor=front_desk, now=on_the_day
        )
        assert appointment.status == status
    with pytest.raises(InvalidTransitionError):
        actions.set_appointment_status(
            appointment, Status.NO_SHOW, actor=front_desk, now=on_the_day
        )


@EMAILS
def test_a_freed_slot_is_offered_to_the_waitlist(clinic, patient):
    start = clinic.at(clinic.monday, 9)
    appointment = book(clinic, start, n=2)
    entry = actions.join_waitlist(
        patient=patient,
        appointment_type=clinic.follow_up,
        earliest=clinic.monday,
        latest=clinic.monday + timedelta(days=3),
    )
    actions.cancel_appointment(appointment)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED and entry.offered_start == start
    offer = next(m for m in mail.outbox if m.to == [patient.email] and "free" in m.subject)
    assert "/book/details/?" in offer.body and "token=" in offer.body


def test_join_waitlist_refuses_a_backwards_range(clinic, patient):
    with pytest.raises(ValueError):
        actions.join_waitlist(
            patient=patient,
            appointment_type=clinic.follow_up,
            earliest=clinic.monday,
            latest=clinic.monday - timedelta(days=1),
        )


def test_feed_rotation_revokes_the_old_token(clinic):
    old = actions.ensure_calendar_feed(clinic.okafor).token
    new = actions.rotate_calendar_feed(clinic.okafor).token
    assert new != old
