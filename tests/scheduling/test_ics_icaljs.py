"""Calendar files read right by ical.js (Mozilla's parser, used by Thunderbird), in winter and
in summer, beside the Python parsers; PUBLISH and CANCEL carry an ORGANIZER (RFC 5546)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import vobject
from jstools import run_node

from collis.scheduling import actions
from collis.scheduling.ics import appointment_ics, clinician_feed_ics

from .conftest import contact

ICALJS = """
import ICAL from 'ical.js';
import { readFileSync } from 'node:fs';
const root = new ICAL.Component(ICAL.parse(readFileSync(0, 'utf8')));
for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
const events = root.getAllSubcomponents('vevent').map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    start: event.startDate.toUnixTime(),
    end: event.endDate.toUnixTime(),
    zone: event.startDate.zone && event.startDate.zone.tzid,
    hour: event.startDate.hour,
    organizer: vevent.getFirstPropertyValue('organizer'),
    attendee: vevent.getFirstPropertyValue('attendee'),
  };
});
console.log(JSON.stringify({ method: root.getFirstPropertyValue('method'), events }));
"""


def read_with_icaljs(body: bytes) -> dict:
    return json.loads(run_node(ICALJS, stdin=body.decode()))


def weekday_on_or_after(day: date, weekday: int = 1) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@pytest.fixture
def winter_and_summer(clinic):
    """Two appointments at 09:00 clinic time next year: one in January (CST, UTC-6) and one in
    July (CDT, UTC-5)."""
    year = date.today().year + 1
    booked = []
    for n, month in enumerate((1, 7), start=1):
        day = weekday_on_or_after(date(year, month, 12))
        booked.append(
            actions.book_appointment(
                appointment_type=clinic.follow_up,
                start=clinic.at(day, 9),
                clinician=clinic.okafor,
                contact=contact(n),
                now=datetime.combine(day, datetime.min.time(), tzinfo=UTC) - timedelta(days=14),
            )
        )
    return booked


def test_icaljs_reads_january_and_july_appointments_at_their_real_times(winter_and_summer):
    for appointment, hours in zip(winter_and_summer, (-6, -5), strict=True):
        body = appointment_ics(appointment)
        read = read_with_icaljs(body)
        assert read["method"] == "PUBLISH"
        [event] = read["events"]
        assert event["zone"] == "America/Chicago"
        assert event["start"] == int(appointment.start.timestamp())
        assert event["end"] == int(appointment.end.timestamp())
        assert event["hour"] == 9
        assert event["organizer"].startswith("mailto:")
        # The Python parsers agree.
        [python_event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
        assert python_event.decoded("DTSTART") == appointment.start
        assert python_event.decoded("DTSTART").utcoffset() == timedelta(hours=hours)
        assert vobject.readOne(body.decode()).vevent.dtstart.value == appointment.start


def test_icaljs_reads_every_event_of_a_feed_spanning_the_year(winter_and_summer):
    body = clinician_feed_ics("Dr. Okafor", winter_and_summer)
    read = read_with_icaljs(body)
    starts = sorted(e["start"] for e in read["events"])
    assert starts == sorted(int(a.start.timestamp()) for a in winter_and_summer)
    zone = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")[0]
    for observance in zone.subcomponents:
        assert "RDATE" not in observance
        assert "RRULE" in observance


def test_cancel_has_organizer_and_attendee(winter_and_summer):
    cancelled = actions.cancel_appointment(winter_and_summer[0])
    body = appointment_ics(cancelled)
    read = read_with_icaljs(body)
    assert read["method"] == "CANCEL"
    [event] = read["events"]
    assert event["organizer"].startswith("mailto:")
    assert event["attendee"] == f"mailto:{cancelled.patient.email}"
    assert event["start"] == int(cancelled.start.timestamp())


@pytest.mark.parametrize(
    ("zone", "rules"),
    [
        (
            "America/Chicago",
            {"FREQ=YEARLY;BYDAY=2SU;BYMONTH=3", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"},
        ),
        (
            "Europe/Berlin",
            {"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"},
        ),
        ("Asia/Tokyo", set()),
    ],
)
def test_vtimezone_rules_for_other_zones(zone, rules):
    from zoneinfo import ZoneInfo

    from collis.scheduling.ics import vtimezone

    component = vtimezone(ZoneInfo(zone), [datetime(2027, 1, 5, tzinfo=UTC)])
    found = {c["RRULE"].to_ical().decode() for c in component.subcomponents if "RRULE" in c}
    assert found == rules
    assert len(component.subcomponents) == max(len(rules), 1)
