"""iCalendar files for appointments and clinicians' private feeds (RFC 5545, icalendar library).

Every event carries the appointment's stable UID and its SEQUENCE, which the actions bump on each
change, so calendar apps update or remove the event they already hold. Times are written in the
clinic zone with its VTIMEZONE, so the event stays right across daylight-saving changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vText,
)

from collis.lib.i18n import patient_language
from collis.providers.models import Clinic
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
    event.add("organizer", _organizer())
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


@dataclass(frozen=True)
class _Transition:
    """A change of UTC offset: its local wall time (in the offset before it) and the offsets."""

    local: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    dst: bool


def _transitions(zone: tzinfo, first: date, last: date) -> list[_Transition]:
    """Every offset change of ``zone`` between two days, found day by day, then to the minute."""
    found = []
    day = first
    noon = time(12)

    def offset(instant: datetime) -> timedelta:
        return instant.astimezone(zone).utcoffset()

    while day < last:
        lo = datetime.combine(day, noon, tzinfo=UTC)
        hi = lo + timedelta(days=1)
        if offset(lo) != offset(hi):
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid <= lo:
                    mid = lo + timedelta(minutes=1)
                if offset(mid) == offset(lo):
                    lo = mid
                else:
                    hi = mid
            after = hi.astimezone(zone)
            before = offset(lo)
            found.append(
                _Transition(
                    local=(hi + before).replace(tzinfo=None),
                    offset_from=before,
                    offset_to=after.utcoffset(),
                    name=after.tzname() or "",
                    dst=bool(after.dst()),
                )
            )
        day += timedelta(days=1)
    return found


_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _yearly_rule(group: list[_Transition]) -> dict | None:
    """The RRULE that yields every transition of ``group`` (same month, weekday and wall time,
    the n-th or last weekday of the month), or None when no single rule does."""
    first = group[0].local
    same = all(
        t.local.month == first.month
        and t.local.weekday() == first.weekday()
        and t.local.time() == first.time()
        for t in group
    )
    if not same:
        return None
    nths = {(t.local.day - 1) // 7 + 1 for t in group}
    lasts = {(t.local + timedelta(days=7)).month != t.local.month for t in group}
    if lasts == {True} and (len(nths) > 1 or nths == {5}):
        ordinal = -1
    elif len(nths) == 1:
        ordinal = nths.pop()
    else:
        return None
    return {
        "freq": "yearly",
        "bymonth": first.month,
        "byday": f"{ordinal}{_WEEKDAYS[first.weekday()]}",
    }


def _observance(transition: _Transition, rule: dict | None):
    component = TimezoneDaylight() if transition.dst else TimezoneStandard()
    component.add("tzname", transition.name)
    component.add("dtstart", transition.local)
    component.add("tzoffsetfrom", transition.offset_from)
    component.add("tzoffsetto", transition.offset_to)
    if rule is not None:
        component.add("rrule", rule)
    return component


def vtimezone(zone: tzinfo, starts: list[datetime]) -> Timezone:
    """The clinic zone as a VTIMEZONE with one RRULE per kind of observance (RFC 5545 §3.6.5).

    Each observance starts at its first transition in the year before the first event and
    repeats yearly (e.g. the 2nd Sunday of March at 02:00), which every parser reads, including
    ical.js (Thunderbird), which reads only the first value of a multi-valued RDATE. Where a
    zone changed its rules inside that span, each transition gets its own observance instead.
    """
    first = date(min(starts).year - 1, 1, 1)
    last = date(max(starts).year + 2, 1, 1)
    component = Timezone()
    component.add("tzid", str(zone))
    changes = _transitions(zone, first, last)
    if not changes:  # no daylight saving: one standard observance
        sample = datetime.combine(first, time(12), tzinfo=UTC).astimezone(zone)
        standard = TimezoneStandard()
        standard.add("tzname", sample.tzname() or str(zone))
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", sample.utcoffset())
        standard.add("tzoffsetto", sample.utcoffset())
        component.add_component(standard)
        return component
    groups: dict[tuple, list[_Transition]] = {}
    for change in changes:
        groups.setdefault((change.dst, change.offset_from, change.offset_to), []).append(change)
    for group in groups.values():
        rule = _yearly_rule(group) if len(group) > 1 else None
        if rule is not None:
            component.add_component(_observance(group[0], rule))
        else:
            for change in group:
                component.add_component(_observance(change, None))
    return component


def _add_zone(calendar: Calendar, zone: tzinfo, starts: list[datetime]) -> None:
    if starts:
        calendar.subcomponents.insert(0, vtimezone(zone, starts))


def _organizer() -> vCalAddress:
    """The clinic organises every appointment (RFC 5546: PUBLISH and CANCEL need ORGANIZER)."""
    clinic = Clinic.current()
    email = (clinic.email if clinic and clinic.email else "") or parseaddr(
        settings.DEFAULT_FROM_EMAIL
    )[1]
    organizer = vCalAddress(f"mailto:{email}")
    organizer.params["CN"] = vText(clinic.name if clinic else "Collis clinic")
    return organizer


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
    event = _event(appointment, summary=summary, description=description, stamp=timezone.now())
    if cancelled and for_patient and appointment.patient.email:
        # RFC 5546 CANCEL: name the attendees removed (the whole event: the patient).
        attendee = vCalAddress(f"mailto:{appointment.patient.email}")
        attendee.params["CN"] = vText(appointment.patient.full_name)
        event.add("attendee", attendee)
    calendar.add_component(event)
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
