"""Read side of booking: load hours and bookings from the database into the pure slot core."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils import timezone

from collis.providers.models import Clinician, Location
from collis.scheduling import slots as core
from collis.scheduling.models import (
    Appointment,
    AppointmentType,
    BookingPolicy,
    ClinicClosure,
    DateOverride,
    TimeOff,
    WeeklyBreak,
    WeeklyHours,
)

# Busy times are loaded this far beyond the searched range, so that a slot starting near its end
# (visit plus buffers, at most half a day) still sees the bookings after it.
MAX_BUFFER = timedelta(hours=12)


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(settings.CLINIC_TIME_ZONE)


def rules_for(appointment_type: AppointmentType, policy: BookingPolicy) -> core.Rules:
    return core.Rules(
        duration=appointment_type.duration,
        buffer_before=timedelta(minutes=appointment_type.buffer_before_minutes),
        buffer_after=timedelta(minutes=appointment_type.buffer_after_minutes),
        granularity=timedelta(minutes=policy.granularity_minutes),
        min_notice=timedelta(hours=policy.min_notice_hours),
        horizon=timedelta(days=policy.horizon_days),
    )


def staff_rules(rules: core.Rules) -> core.Rules:
    """Front-desk bookings may be made at short notice: the horizon and notice do not apply."""
    return core.Rules(
        duration=rules.duration,
        buffer_before=rules.buffer_before,
        buffer_after=rules.buffer_after,
        granularity=rules.granularity,
        min_notice=timedelta(0),
        horizon=timedelta(days=3660),
    )


def closed_days(since: date, until: date) -> frozenset[date]:
    return frozenset(
        ClinicClosure.objects.filter(date__range=(since, until)).values_list("date", flat=True)
    )


def bookable_clinicians(
    appointment_type: AppointmentType, *, for_staff: bool = False
) -> list[Clinician]:
    """Who offers this type; a first visit leaves out clinicians seeing existing patients only."""
    clinicians = appointment_type.clinicians.active().order_by("display_name")
    if appointment_type.for_new_patients and not for_staff:
        clinicians = clinicians.filter(accepting_new_patients=True)
    return list(clinicians)


def load_schedules(
    clinicians: Iterable[Clinician],
    *,
    since: datetime,
    until: datetime,
    location: Location | None = None,
    exclude_appointment: Appointment | None = None,
) -> list[core.Schedule]:
    """Build one core ``Schedule`` per clinician for the span ``[since, until)``.

    Five queries whatever the number of clinicians. ``location`` keeps only hours there.
    ``exclude_appointment`` leaves one booking out of the busy times (when moving it).
    """
    ids = [c.pk for c in clinicians]
    zone = clinic_zone()
    first_day = core.local_day(since, zone) - timedelta(days=1)
    last_day = core.local_day(until, zone) + timedelta(days=1)

    weekly: dict[int, list[core.WeeklyWindow]] = defaultdict(list)
    default_place: dict[int, str] = {}
    hours = WeeklyHours.objects.filter(clinician_id__in=ids).order_by("weekday", "start")
    for row in hours.values_list("clinician_id", "location_id", "weekday", "start", "end"):
        clinician_id, location_id, weekday, start, end = row
        default_place.setdefault(clinician_id, str(location_id))
        if location is None or location_id == location.pk:
            weekly[clinician_id].append(core.WeeklyWindow(weekday, start, end, str(location_id)))

    breaks: dict[int, list[core.WeeklyWindow]] = defaultdict(list)
    for clinician_id, weekday, start, end in WeeklyBreak.objects.filter(
        clinician_id__in=ids
    ).values_list("clinician_id", "weekday", "start", "end"):
        breaks[clinician_id].append(core.WeeklyWindow(weekday, start, end))

    overrides: dict[int, list[core.DateOverride]] = defaultdict(list)
    for clinician_id, day, location_id, start, end in DateOverride.objects.filter(
        clinician_id__in=ids, date__range=(first_day, last_day)
    ).values_list("clinician_id", "date", "location_id", "start", "end"):
        place = str(location_id) if location_id else default_place.get(clinician_id, "")
        if location is not None and start is not None and place != str(location.pk):
            # Working elsewhere that day: for this location it is a day off.
            start = end = None
        overrides[clinician_id].append(core.DateOverride(day, start, end, place))

    time_off: dict[int, list[core.Interval]] = defaultdict(list)
    for clinician_id, start, end in TimeOff.objects.filter(
        clinician_id__in=ids, starts_at__lt=until + MAX_BUFFER, ends_at__gt=since - MAX_BUFFER
    ).values_list("clinician_id", "starts_at", "ends_at"):
        time_off[clinician_id].append(core.Interval(start, end))

    busy: dict[int, list[core.Interval]] = defaultdict(list)
    booked = Appointment.objects.active().filter(
        clinician_id__in=ids,
        blocked_start__lt=until + MAX_BUFFER,
        blocked_end__gt=since - MAX_BUFFER,
    )
    if exclude_appointment is not None:
        booked = booked.exclude(pk=exclude_appointment.pk)
    for clinician_id, start, end in _raw_rows(
        booked.values_list("clinician_id", "blocked_start", "blocked_end")
    ):
        busy[clinician_id].append(core.Interval(_utc(start), _utc(end)))

    return [
        core.Schedule(
            clinician=str(pk),
            weekly=tuple(weekly[pk]),
            breaks=tuple(breaks[pk]),
            overrides=tuple(overrides[pk]),
            time_off=tuple(time_off[pk]),
            busy=tuple(busy[pk]),
        )
        for pk in ids
    ]


def _raw_rows(queryset: QuerySet) -> list[tuple]:
    """Run a values_list query without Django's per-value converters.

    "First available" may read thousands of bookings; on SQLite the datetime converter (a regex
    parse and a make_aware per value) costs several times the slot search itself.
    """
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _utc(value: datetime | str) -> datetime:
    """Return a stored UTC timestamp as aware (SQLite gives text, PostgreSQL a datetime)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def find_slots(
    appointment_type: AppointmentType,
    *,
    clinicians: list[Clinician] | None = None,
    location: Location | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    now: datetime | None = None,
    policy: BookingPolicy | None = None,
    for_staff: bool = False,
    exclude_appointment: Appointment | None = None,
    hold_owner: int | None = None,
) -> list[core.Slot]:
    """Return the earliest free slots for a type, across ``clinicians`` (default: all who offer it).

    ``exclude_appointment`` (one being moved) does not count as busy. Times held for a
    waitlisted patient (a live SlotHold) are left out, except for patient ``hold_owner``.

    The search widens in steps (a week, a month, then the whole horizon) so that "first
    available" reads only the bookings near the front of the calendar.
    """
    policy = policy or BookingPolicy.current()
    now = now or timezone.now()
    rules = rules_for(appointment_type, policy)
    if clinicians is None:
        clinicians = bookable_clinicians(appointment_type, for_staff=for_staff)
    elif appointment_type.for_new_patients and not for_staff:
        clinicians = [c for c in clinicians if c.accepting_new_patients]
    if not clinicians:
        return []
    zone = clinic_zone()
    start = max(since or now, now)
    end_limit = min(until or now + rules.horizon, now + rules.horizon + timedelta(seconds=1))
    found: list[core.Slot] = []
    cursor = start
    for span in (timedelta(days=7), timedelta(days=31), None):
        end = end_limit if span is None else min(start + span, end_limit)
        if end <= cursor:
            continue
        schedules = load_schedules(
            clinicians,
            since=cursor,
            until=end,
            location=location,
            exclude_appointment=exclude_appointment,
        )
        closed = closed_days(core.local_day(cursor, zone), core.local_day(end, zone))
        found += core.first_free_slots(
            schedules,
            rules,
            zone=zone,
            now=now,
            limit=limit - len(found),
            closed_days=closed,
            since=cursor,
            until=end,
        )
        if len(found) >= limit or end >= end_limit:
            break
        cursor = end  # later passes only look past what was searched already
    return _without_held(found, rules, now, hold_owner)


def free_slots(
    appointment_type: AppointmentType,
    *,
    clinician: Clinician | None = None,
    location: Location | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    now: datetime | None = None,
) -> list[core.Slot]:
    """Return the free slots a patient may book online for this type, earliest first.

    The one answer to "which times are free?" for the booking page, the booking API and the
    FHIR Slot search, so they cannot disagree. ``clinician`` narrows to one clinician, who must
    offer the type (else there are none); a first visit leaves out clinicians seeing existing
    patients only. Times held for a waitlisted patient are left out.
    """
    clinicians = bookable_clinicians(appointment_type)
    if clinician is not None:
        clinicians = [c for c in clinicians if c.pk == clinician.pk]
    if not clinicians:
        return []
    return find_slots(
        appointment_type,
        clinicians=clinicians,
        location=location,
        since=since,
        until=until,
        limit=limit,
        now=now,
    )


def _without_held(
    found: list[core.Slot], rules: core.Rules, now: datetime, owner: int | None
) -> list[core.Slot]:
    """Drop slots that overlap a live hold for a waitlisted patient (one query)."""
    from collis.scheduling.models import SlotHold

    if not found:
        return found
    holds = SlotHold.objects.filter(
        status=SlotHold.Status.HELD,
        expires_at__gt=now,
        clinician_id__in={int(s.clinician) for s in found},
        blocked_start__lt=max(s.start for s in found) + timedelta(days=1),
        blocked_end__gt=min(s.start for s in found) - timedelta(days=1),
    )
    if owner is not None:
        holds = holds.exclude(patient_id=owner)
    held = list(holds.values_list("clinician_id", "blocked_start", "blocked_end"))
    if not held:
        return found
    kept = []
    for slot in found:
        blocked = rules.blocked(slot.start)
        if not any(
            c == int(slot.clinician) and b0 < blocked.end and b1 > blocked.start
            for c, b0, b1 in held
        ):
            kept.append(slot)
    return kept


def offered_slot(
    appointment_type: AppointmentType,
    clinician: Clinician,
    start: datetime,
    *,
    location: Location | None = None,
    now: datetime | None = None,
    exclude_appointment: Appointment | None = None,
    for_staff: bool = False,
    policy: BookingPolicy | None = None,
) -> core.Slot | None:
    """Return the slot if ``clinician`` offers ``start`` for this type right now, else None."""
    policy = policy or BookingPolicy.current()
    now = now or timezone.now()
    rules = rules_for(appointment_type, policy)
    if for_staff:
        rules = staff_rules(rules)
    zone = clinic_zone()
    day_start = core.wall_to_utc(core.local_day(start, zone), datetime.min.time(), zone)
    schedules = load_schedules(
        [clinician],
        since=day_start,
        until=day_start + timedelta(days=2),
        location=location,
        exclude_appointment=exclude_appointment,
    )
    day = core.local_day(start, zone)
    return core.is_offered(
        schedules[0], rules, start, zone=zone, now=now, closed_days=closed_days(day, day)
    )


def overlapping_booking(
    clinician: Clinician, blocked: core.Interval, *, exclude: Appointment | None = None
) -> Appointment | None:
    """Return an active booking of ``clinician`` whose blocked range overlaps ``blocked``."""
    clash = Appointment.objects.active().filter(
        clinician=clinician, blocked_start__lt=blocked.end, blocked_end__gt=blocked.start
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    return clash.first()


def patient_clash(
    patient_id: int, start: datetime, end: datetime, *, exclude: Appointment | None = None
) -> Appointment | None:
    clash = Appointment.objects.active().filter(
        Q(patient_id=patient_id), start__lt=end, end__gt=start
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    return clash.first()
