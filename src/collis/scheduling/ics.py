"""iCalendar files for appointments and clinicians' private feeds (RFC 5545, icalendar library).

Every event carries the appointment's stable UID and its SEQUENCE, which the actions bump on each
change, so calendar apps update or remove the event they already hold. Times are written in the
clinic zone with its VTIMEZONE, so the event stays right across daylight-saving changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from collis.lib.i18n import patient_language
from collis.scheduling.availability import clinic_zone
from collis.scheduling.links import manage_url
from collis.scheduling.models import Appointment

PRODID = "-//Collis//Clinic scheduling//EN"


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _event(appointment: Appointment, *, summary: str, description: str, stamp: datetime) -> Event:
    zone = clinic_zone()
    event = Event()
    event.add("uid", f"{appointment.uid}@collis")
    event.add("dtstamp", stamp)
    event.add("dtstart", appointment.start.astimezone(zone))
    event.add("dtend", appointment.end.astimezone(zone))
    event.add("sequence", appointment.sequence)
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", f"{appointment.location.name}, {appointment.location.one_line_address}")
    if appointment.status == Appointment.Status.CANCELLED:
        event.add("status", "CANCELLED")
    elif appointment.status == Appointment.Status.REQUESTED:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    return event


def _add_zone(calendar: Calendar, zone: tzinfo, starts: list[datetime]) -> None:
    """Add the clinic zone's VTIMEZONE, with its transitions from a year before the first event.

    icalendar opens a VTIMEZONE with a component whose TZOFFSETFROM equals TZOFFSETTO (the offset
    before the first transition). vobject's parser (dateutil's tzical) then picks that component
    for every date and reads summer times one hour off, so it is left out: with a year of
    transitions before the first event, it never decides an event's offset.
    """
    if not starts:
        return
    first = min(starts).date() - timedelta(days=366)
    last = max(starts).date() + timedelta(days=366)
    vtimezone = Timezone.from_tzinfo(zone, tzid=str(zone), first_date=first, last_date=last)
    transitions = [c for c in vtimezone.subcomponents if c["TZOFFSETFROM"].td != c["TZOFFSETTO"].td]
    if transitions:  # a zone without daylight saving keeps its single component
        vtimezone.subcomponents = transitions
    calendar.subcomponents.insert(0, vtimezone)


def appointment_ics(
    appointment: Appointment, *, for_patient: bool = True, language: str | None = None
) -> bytes:
    """Return one appointment as an .ics file: METHOD:CANCEL once it is cancelled.

    A patient's file is written in ``language``, by default the patient's own (issue #17).
    """
    cancelled = appointment.status == Appointment.Status.CANCELLED
    calendar = _calendar(method="CANCEL" if cancelled else "PUBLISH")
    who = appointment.clinician.display_name if for_patient else appointment.patient_initials
    language = language or patient_language(appointment.patient)
    with translation.override(language if for_patient else None):
        summary = _("%(visit)s with %(who)s") % {
            "visit": appointment.appointment_type.name,
            "who": who,
        }
        description = (
            _("Cancel or reschedule: %(url)s") % {"url": manage_url(appointment, language)}
            if for_patient
            else ""
        )
    calendar.add_component(
        _event(appointment, summary=summary, description=description, stamp=timezone.now())
    )
    _add_zone(calendar, clinic_zone(), [appointment.start])
    return calendar.to_ical()


def clinician_feed_ics(name: str, appointments: Iterable[Appointment]) -> bytes:
    """Return a clinician's schedule: patients appear only as initials and visit type."""
    calendar = _calendar(name=name)
    stamp = timezone.now()
    starts = []
    for appointment in appointments:
        summary = f"{appointment.patient_initials} · {appointment.appointment_type.name}"
        calendar.add_component(_event(appointment, summary=summary, description="", stamp=stamp))
        starts.append(appointment.start)
    _add_zone(calendar, clinic_zone(), starts)
    return calendar.to_ical()
