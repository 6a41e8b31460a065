"""Calendar files: valid for icalendar and vobject, updated by SEQUENCE, cancelled by METHOD."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
import vobject

from collis.scheduling import actions
from collis.scheduling.ics import appointment_ics, clinician_feed_ics

from .conftest import contact


@pytest.fixture
def appointment(clinic):
    return actions.book_appointment(
        appointment_type=clinic.injection,
        start=clinic.at(clinic.monday, 9),
        clinician=clinic.okafor,
        contact=contact(),
    )


def test_appointment_ics_parses_with_both_libraries(appointment):
    body = appointment_ics(appointment)
    calendar = icalendar.Calendar.from_ical(body)
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "PUBLISH"
    assert event["UID"] == f"{appointment.uid}@collis"
    assert event.decoded("DTSTART") == appointment.start
    assert event.decoded("DTEND") == appointment.end
    assert int(event["SEQUENCE"]) == 0
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "America/Chicago"
    assert "/appointments/" in str(event["DESCRIPTION"])

    parsed = vobject.readOne(body.decode())
    assert parsed.vevent.dtstart.value == appointment.start
    assert parsed.vevent.summary.value == "Botulinum-toxin injection with Dr. Maya Okafor"


def test_updates_raise_sequence_and_cancellation_says_cancel(clinic, appointment):
    moved = actions.reschedule_appointment(
        appointment, new_start=appointment.start + timedelta(days=1)
    )
    event = icalendar.Calendar.from_ical(appointment_ics(moved)).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    cancelled = actions.cancel_appointment(moved)
    calendar = icalendar.Calendar.from_ical(appointment_ics(cancelled))
    assert calendar["METHOD"] == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED" and int(event["SEQUENCE"]) == 2
    assert event["UID"] == f"{appointment.uid}@collis"


def test_feed_shows_initials_and_type_only(clinic, appointment):
    body = clinician_feed_ics("Dr. Okafor", [appointment]).decode()
    assert "Pat1" not in body and "Example" not in body and "pat1@example.com" not in body
    parsed = vobject.readOne(body)
    assert parsed.vevent.summary.value == "PE · Botulinum-toxin injection"


@pytest.mark.parametrize(
    ("before", "after", "offsets"),
    [
        # Clocks spring forward on 8 March 2026 and fall back on 1 November 2026 (Chicago).
        ((2026, 3, 6), (2026, 3, 9), (-6, -5)),
        ((2026, 10, 30), (2026, 11, 2), (-5, -6)),
    ],
)
def test_feed_keeps_nine_oclock_across_dst_in_both_parsers(clinic, before, after, offsets):
    from datetime import UTC, date, datetime

    now = datetime(*before, tzinfo=UTC) - timedelta(days=14)
    booked = [
        actions.book_appointment(
            appointment_type=clinic.follow_up,
            start=clinic.at(date(*day), 9),
            clinician=clinic.okafor,
            contact=contact(n),
            now=now,
        )
        for n, day in enumerate((before, after), start=1)
    ]
    body = clinician_feed_ics("Dr. Okafor", booked)

    calendar = icalendar.Calendar.from_ical(body)
    [zone] = calendar.walk("VTIMEZONE")
    assert {c.name for c in zone.subcomponents} >= {"STANDARD", "DAYLIGHT"}
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    parsed = sorted(vobject.readOne(body.decode()).vevent_list, key=lambda e: e.dtstart.value)
    for appointment, event, other, hours in zip(booked, events, parsed, offsets, strict=True):
        for start in (event.decoded("DTSTART"), other.dtstart.value):
            assert start == appointment.start
            assert start.hour == 9
            assert start.utcoffset() == timedelta(hours=hours)
