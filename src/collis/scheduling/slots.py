"""Free appointment slots from working hours, exceptions and existing bookings (pure core).

No Django here: callers pass plain values and get aware UTC datetimes back.

Semantics, fixed once so the database constraint and this module agree:

- Working hours, breaks and overrides are **wall-clock times in the clinic zone**. A wall time
  is turned into an instant as RFC 5545 §3.3.5 does: a time in the spring-forward gap uses the
  offset before the gap (02:30 → 03:30 daylight time), a repeated fall-back time means its first
  occurrence. Inside a window, candidate starts step through **real time**, so no offered slot
  lies in the gap, none is offered twice, and a window's length in real time is respected on the
  night the clocks change.
- All intervals are half-open ``[start, end)``.
- A booking *blocks* ``[start - buffer_before, end + buffer_after)``. Two blocked ranges of one
  clinician may not overlap: buffers are time the clinician needs alone (preparing the toxin,
  cleaning up), so they are not shared. The appointment itself must fit in a working window;
  its buffers need only be free.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import islice

__all__ = [
    "DateOverride",
    "Interval",
    "Rules",
    "Schedule",
    "Slot",
    "WeeklyWindow",
    "ZERO",
    "first_free_slots",
    "is_offered",
    "iter_free_slots",
    "local_day",
    "nearest",
    "wall_to_utc",
    "working_windows",
]

ZERO = timedelta(0)


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open span of real time; both ends are aware datetimes."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval ends must be timezone-aware")
        if self.end < self.start:
            raise ValueError("Interval ends before it starts")

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class WeeklyWindow:
    """Wall-clock hours ``[start, end)`` on a weekday (Monday = 0) at a place (location key)."""

    weekday: int
    start: time
    end: time
    place: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
        if self.end <= self.start:
            raise ValueError("a window must end after it starts")


@dataclass(frozen=True)
class DateOverride:
    """Hours for one date that replace the weekly ones; no times means "not working that day"."""

    day: date
    start: time | None = None
    end: time | None = None
    place: str = ""

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end, or neither for a day off")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError("an override must end after it starts")


@dataclass(frozen=True)
class Schedule:
    """One clinician's availability and what is already booked.

    ``busy`` holds the blocked ranges (buffers included) of existing active bookings.
    """

    clinician: str
    weekly: tuple[WeeklyWindow, ...]
    breaks: tuple[WeeklyWindow, ...] = ()
    overrides: tuple[DateOverride, ...] = ()
    time_off: tuple[Interval, ...] = ()
    busy: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class Rules:
    """What is being booked and the clinic's booking limits."""

    duration: timedelta
    buffer_before: timedelta = ZERO
    buffer_after: timedelta = ZERO
    granularity: timedelta = timedelta(minutes=15)
    min_notice: timedelta = ZERO
    horizon: timedelta = timedelta(days=90)

    def __post_init__(self) -> None:
        if self.duration <= ZERO or self.granularity <= ZERO:
            raise ValueError("duration and granularity must be positive")
        if min(self.buffer_before, self.buffer_after, self.min_notice, self.horizon) < ZERO:
            raise ValueError("buffers, notice and horizon cannot be negative")

    def blocked(self, start: datetime) -> Interval:
        """Return the span a booking starting at ``start`` keeps the clinician busy."""
        return Interval(start - self.buffer_before, start + self.duration + self.buffer_after)


@dataclass(frozen=True, order=True)
class Slot:
    """A bookable start: ``start``/``end`` are aware UTC; ``place`` is the location key."""

    start: datetime
    end: datetime
    clinician: str = field(compare=True)
    place: str = field(default="", compare=True)


def wall_to_utc(day: date, wall: time, zone: tzinfo) -> datetime:
    """Return the instant a wall-clock time on ``day`` in ``zone`` denotes (RFC 5545 §3.3.5)."""
    local = datetime.combine(day, wall).replace(tzinfo=zone, fold=0)
    return local.astimezone(UTC)


def local_day(instant: datetime, zone: tzinfo) -> date:
    return instant.astimezone(zone).date()


def _merge(intervals: Iterable[Interval]) -> tuple[list[datetime], list[datetime]]:
    """Merge overlapping intervals; return the sorted starts and ends of the disjoint result."""
    starts: list[datetime] = []
    ends: list[datetime] = []
    for item in sorted(intervals):
        if ends and item.start <= ends[-1]:
            ends[-1] = max(ends[-1], item.end)
        else:
            starts.append(item.start)
            ends.append(item.end)
    return starts, ends


class _BusyIndex:
    """Disjoint busy spans, searchable in O(log n)."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        self.starts, self.ends = _merge(intervals)

    def conflict_end(self, start: datetime, end: datetime) -> datetime | None:
        """Return the end of the busy span overlapping ``[start, end)``, or None if free."""
        # The only candidate is the last busy span starting before ``end`` (spans are disjoint,
        # so their ends are sorted too).
        index = bisect_left(self.starts, end) - 1
        if index >= 0 and self.ends[index] > start:
            return self.ends[index]
        return None


def _subtract(
    windows: list[tuple[time, time, str]], breaks: list[tuple[time, time]]
) -> list[tuple[time, time, str]]:
    result = windows
    for b_start, b_end in breaks:
        pieces: list[tuple[time, time, str]] = []
        for start, end, place in result:
            if b_end <= start or b_start >= end:
                pieces.append((start, end, place))
                continue
            if start < b_start:
                pieces.append((start, b_start, place))
            if b_end < end:
                pieces.append((b_end, end, place))
        result = pieces
    return result


def working_windows(schedule: Schedule, day: date) -> list[tuple[time, time, str]]:
    """Return the wall-clock windows worked on ``day``: overrides win, weekly breaks apply."""
    overrides = [o for o in schedule.overrides if o.day == day]
    if overrides:
        windows = [
            (o.start, o.end, o.place)
            for o in overrides
            if o.start is not None and o.end is not None
        ]
    else:
        windows = [(w.start, w.end, w.place) for w in schedule.weekly if w.weekday == day.weekday()]
    breaks = [(b.start, b.end) for b in schedule.breaks if b.weekday == day.weekday()]
    return sorted(_subtract(windows, breaks))


def iter_free_slots(
    schedule: Schedule,
    rules: Rules,
    *,
    zone: tzinfo,
    now: datetime,
    closed_days: frozenset[date] = frozenset(),
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[Slot]:
    """Yield the clinician's free slots in chronological order.

    Slots start no earlier than ``now + min_notice`` (and ``since``), and no later than
    ``now + horizon`` (and before ``until``). Nothing is offered on ``closed_days`` (local dates).
    """
    earliest = now + rules.min_notice
    if since is not None:
        earliest = max(earliest, since)
    latest = now + rules.horizon
    if until is not None:
        latest = min(latest, until - timedelta(microseconds=1))
    if latest < earliest:
        return
    busy = _BusyIndex((*schedule.busy, *schedule.time_off))
    day = local_day(earliest, zone)
    last_day = local_day(latest, zone)
    while day <= last_day:
        if day not in closed_days:
            yield from _day_slots(schedule, rules, day, zone, busy, earliest, latest)
        day += timedelta(days=1)


def _day_slots(
    schedule: Schedule,
    rules: Rules,
    day: date,
    zone: tzinfo,
    busy: _BusyIndex,
    earliest: datetime,
    latest: datetime,
) -> Iterator[Slot]:
    day_slots: list[Slot] = []
    for wall_start, wall_end, place in working_windows(schedule, day):
        window_start = wall_to_utc(day, wall_start, zone)
        window_end = wall_to_utc(day, wall_end, zone)
        start = window_start
        if start < earliest:
            # Stay on the window's grid: skip whole steps up to the first start not too early.
            steps = -((window_start - earliest) // rules.granularity)
            start = window_start + steps * rules.granularity
        while start + rules.duration <= window_end and start <= latest:
            busy_until = busy.conflict_end(
                start - rules.buffer_before, start + rules.duration + rules.buffer_after
            )
            if busy_until is None:
                day_slots.append(Slot(start, start + rules.duration, schedule.clinician, place))
                start += rules.granularity
            else:
                # Every later start overlaps that busy span until its blocked range begins at
                # busy_until: jump there on the window's grid instead of trying each step.
                steps = -((start - busy_until - rules.buffer_before) // rules.granularity)
                start += max(steps, 1) * rules.granularity
    # Windows at two places may interleave; a clinician is in one place at a time, so a start
    # offered by two windows is kept once.
    seen: set[datetime] = set()
    for slot in sorted(day_slots):
        if slot.start not in seen:
            seen.add(slot.start)
            yield slot


def first_free_slots(
    schedules: Sequence[Schedule],
    rules: Rules,
    *,
    zone: tzinfo,
    now: datetime,
    limit: int,
    closed_days: frozenset[date] = frozenset(),
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Slot]:
    """Return the earliest ``limit`` free slots across clinicians ("first available")."""
    streams = [
        iter_free_slots(
            schedule,
            rules,
            zone=zone,
            now=now,
            closed_days=closed_days,
            since=since,
            until=until,
        )
        for schedule in schedules
    ]
    return list(islice(heapq.merge(*streams), limit))


def is_offered(
    schedule: Schedule,
    rules: Rules,
    start: datetime,
    *,
    zone: tzinfo,
    now: datetime,
    closed_days: frozenset[date] = frozenset(),
) -> Slot | None:
    """Return the free slot starting exactly at ``start``, or None if it is not offered."""
    day = local_day(start, zone)
    day_start = wall_to_utc(day, time(0), zone)
    for slot in iter_free_slots(
        schedule,
        rules,
        zone=zone,
        now=now,
        closed_days=closed_days,
        since=max(day_start, start - timedelta(microseconds=1)),
        until=start + timedelta(microseconds=1),
    ):
        if slot.start == start:
            return slot
    return None


def nearest(slots: Iterable[Slot], target: datetime, count: int) -> list[Slot]:
    """Return up to ``count`` slots closest in time to ``target``, in chronological order."""
    closest = heapq.nsmallest(count, slots, key=lambda s: (abs(s.start - target), s))
    return sorted(closest)
