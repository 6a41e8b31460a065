"""The pure slot core: hand-computed cases, the 2026 DST weeks in Chicago, and invariants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collis.scheduling.slots import (
    DateOverride,
    Interval,
    Rules,
    Schedule,
    Slot,
    WeeklyWindow,
    first_free_slots,
    is_offered,
    iter_free_slots,
    nearest,
    wall_to_utc,
    working_windows,
)

CHICAGO = ZoneInfo("America/Chicago")
MIN = timedelta(minutes=1)
# A Monday in January (CST, UTC-6) and one in July (CDT, UTC-5).
JAN_MONDAY = date(2026, 1, 12)
JUL_MONDAY = date(2026, 7, 13)
LONG_AGO = datetime(2025, 12, 1, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def rules(minutes: int = 30, step: int = 30, before: int = 0, after: int = 0, **kw) -> Rules:
    return Rules(
        duration=minutes * MIN,
        granularity=step * MIN,
        buffer_before=before * MIN,
        buffer_after=after * MIN,
        horizon=kw.pop("horizon", timedelta(days=400)),
        **kw,
    )


def mornings(**kw) -> Schedule:
    """Monday to Friday, 9:00–12:00 at "dt"."""
    weekly = tuple(WeeklyWindow(d, time(9), time(12), "dt") for d in range(5))
    return Schedule("c1", weekly=weekly, **kw)


def starts(slots) -> list[datetime]:
    return [s.start for s in slots]


def day_slots(schedule: Schedule, day: date, r: Rules | None = None, **kw) -> list[Slot]:
    since = wall_to_utc(day, time(0), CHICAGO)
    until = wall_to_utc(day + timedelta(days=1), time(0), CHICAGO)
    return list(
        iter_free_slots(
            schedule,
            r or rules(),
            zone=CHICAGO,
            now=kw.pop("now", LONG_AGO),
            since=since,
            until=until,
            **kw,
        )
    )


@pytest.mark.parametrize(
    ("day", "first_utc"),
    [
        (JAN_MONDAY, utc(2026, 1, 12, 15)),  # 9:00 CST = 15:00 UTC
        (JUL_MONDAY, utc(2026, 7, 13, 14)),  # 9:00 CDT = 14:00 UTC
        (date(2026, 3, 6), utc(2026, 3, 6, 15)),  # Friday before spring-forward: CST
        (date(2026, 3, 9), utc(2026, 3, 9, 14)),  # Monday after: CDT, still 9:00 local
        (date(2026, 10, 30), utc(2026, 10, 30, 14)),  # Friday before fall-back: CDT
        (date(2026, 11, 2), utc(2026, 11, 2, 15)),  # Monday after: CST, still 9:00 local
    ],
)
def test_working_hours_stay_at_nine_local_across_dst(day, first_utc):
    slots = day_slots(mornings(), day)
    assert slots[0].start == first_utc
    assert slots[0].start.astimezone(CHICAGO).time() == time(9)
    assert len(slots) == 6  # 9:00 to 11:30, every 30 minutes
    assert slots[-1].end.astimezone(CHICAGO).time() == time(12)


def test_spring_forward_night_has_no_slot_in_the_missing_hour():
    """On 8 March 2026 clocks jump 2:00 → 3:00: a 1:00–4:00 window is two real hours."""
    schedule = Schedule(
        "c1", weekly=(), overrides=(DateOverride(date(2026, 3, 8), time(1), time(4)),)
    )
    slots = day_slots(schedule, date(2026, 3, 8))
    local = [s.start.astimezone(CHICAGO).strftime("%H:%M%z") for s in slots]
    assert local == ["01:00-0600", "01:30-0600", "03:00-0500", "03:30-0500"]
    assert all(s.end - s.start == 30 * MIN for s in slots)


def test_fall_back_night_offers_each_repeated_half_hour_once_per_real_instant():
    """On 1 November 2026 1:00–2:00 happens twice: 0:00–3:00 local is four real hours."""
    schedule = Schedule(
        "c1", weekly=(), overrides=(DateOverride(date(2026, 11, 1), time(0), time(3)),)
    )
    slots = day_slots(schedule, date(2026, 11, 1))
    local = [s.start.astimezone(CHICAGO).strftime("%H:%M%z") for s in slots]
    assert local == [
        "00:00-0500",
        "00:30-0500",
        "01:00-0500",
        "01:30-0500",
        "01:00-0600",
        "01:30-0600",
        "02:00-0600",
        "02:30-0600",
    ]
    assert len(set(starts(slots))) == len(slots)  # none doubled


def test_wall_time_in_the_gap_resolves_as_rfc5545_says():
    # 02:30 does not exist on 8 March 2026: read with the offset before the gap → 03:30 CDT.
    assert wall_to_utc(date(2026, 3, 8), time(2, 30), CHICAGO) == utc(2026, 3, 8, 8, 30)
    # 01:30 happens twice on 1 November 2026: the first occurrence (CDT) is meant.
    assert wall_to_utc(date(2026, 11, 1), time(1, 30), CHICAGO) == utc(2026, 11, 1, 6, 30)


def test_breaks_split_the_day():
    schedule = Schedule(
        "c1",
        weekly=(WeeklyWindow(0, time(9), time(17), "dt"),),
        breaks=(WeeklyWindow(0, time(12), time(13)),),
    )
    assert working_windows(schedule, JAN_MONDAY) == [
        (time(9), time(12), "dt"),
        (time(13), time(17), "dt"),
    ]
    slots = day_slots(schedule, JAN_MONDAY, rules(60, 60))
    assert [s.start.astimezone(CHICAGO).hour for s in slots] == [9, 10, 11, 13, 14, 15, 16]


def test_an_override_replaces_the_weekly_hours_and_an_empty_one_is_a_day_off():
    schedule = mornings(
        overrides=(
            DateOverride(JAN_MONDAY, time(14), time(15), "nc"),
            DateOverride(JAN_MONDAY + timedelta(days=1)),
        )
    )
    monday = day_slots(schedule, JAN_MONDAY)
    assert [(s.start.astimezone(CHICAGO).hour, s.place) for s in monday] == [(14, "nc"), (14, "nc")]
    assert day_slots(schedule, JAN_MONDAY + timedelta(days=1)) == []


def test_closed_days_offer_nothing():
    assert day_slots(mornings(), JAN_MONDAY, closed_days=frozenset({JAN_MONDAY})) == []


@pytest.mark.parametrize(
    ("busy_local", "expected_hours"),
    [
        # A 10:00–10:30 booking blocks exactly its own half hour (no buffers).
        (("10:00", "10:30"), ["09:00", "09:30", "10:30", "11:00", "11:30"]),
        # A booking ending 10:05 (its 5-minute after-buffer) also takes 10:00–10:30 away.
        (("09:30", "10:05"), ["09:00", "10:30", "11:00", "11:30"]),
        # Touching intervals do not overlap (half-open).
        (("08:00", "09:00"), ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]),
    ],
)
def test_busy_blocked_ranges_remove_overlapping_slots(busy_local, expected_hours):
    start, end = (
        datetime.combine(JAN_MONDAY, time.fromisoformat(t)).replace(tzinfo=CHICAGO)
        for t in busy_local
    )
    slots = day_slots(mornings(busy=(Interval(start, end),)), JAN_MONDAY)
    assert [s.start.astimezone(CHICAGO).strftime("%H:%M") for s in slots] == expected_hours


def test_buffers_of_the_new_booking_must_be_free_too():
    """A 30-min visit with 10 min before: it cannot start right after a booking ending 10:00."""
    busy = Interval(
        *(datetime.combine(JAN_MONDAY, t).replace(tzinfo=CHICAGO) for t in (time(9), time(10)))
    )
    slots = day_slots(mornings(busy=(busy,)), JAN_MONDAY, rules(30, 15, before=10))
    assert slots[0].start.astimezone(CHICAGO).time() == time(10, 15)


def test_time_off_is_busy():
    off = Interval(utc(2026, 1, 12, 15), utc(2026, 1, 12, 17))  # 9:00–11:00 CST
    slots = day_slots(mornings(time_off=(off,)), JAN_MONDAY)
    assert [s.start.astimezone(CHICAGO).hour for s in slots] == [11, 11]


def test_min_notice_and_horizon_bound_the_search():
    now = utc(2026, 1, 12, 15, 10)  # Monday 9:10 CST
    r = rules(30, 30, min_notice=timedelta(hours=1), horizon=timedelta(days=1))
    slots = list(iter_free_slots(mornings(), r, zone=CHICAGO, now=now))
    local = [s.start.astimezone(CHICAGO).strftime("%a %H:%M") for s in slots]
    # Earliest 10:10 → first on-grid start 10:30; latest Tuesday 9:10 → only 9:00 Tuesday.
    assert local == ["Mon 10:30", "Mon 11:00", "Mon 11:30", "Tue 09:00"]


def test_first_available_merges_clinicians_in_time_order_and_stops_at_the_limit():
    early = Schedule("early", weekly=(WeeklyWindow(0, time(8), time(9), "a"),))
    late = Schedule("late", weekly=(WeeklyWindow(0, time(8, 30), time(10), "b"),))
    found = first_free_slots(
        [late, early],
        rules(30, 30),
        zone=CHICAGO,
        now=LONG_AGO,
        limit=4,
        since=utc(2026, 1, 12),
        until=utc(2026, 1, 13),
    )
    assert [(s.clinician, s.start.astimezone(CHICAGO).strftime("%H:%M")) for s in found] == [
        ("early", "08:00"),
        ("early", "08:30"),
        ("late", "08:30"),
        ("late", "09:00"),
    ]


def test_is_offered_accepts_only_grid_starts_that_are_free():
    schedule = mornings()
    r = rules(30, 15)
    on_grid = datetime(2026, 1, 12, 9, 15, tzinfo=CHICAGO)
    assert is_offered(schedule, r, on_grid, zone=CHICAGO, now=LONG_AGO) is not None
    assert is_offered(schedule, r, on_grid + 5 * MIN, zone=CHICAGO, now=LONG_AGO) is None
    assert (
        is_offered(schedule, r, on_grid.replace(hour=11, minute=45), zone=CHICAGO, now=LONG_AGO)
        is None
    )


def test_nearest_returns_closest_in_time_order():
    base = utc(2026, 1, 12, 15)
    slots = [Slot(base + i * 30 * MIN, base + (i + 1) * 30 * MIN, "c") for i in range(6)]
    picked = nearest(slots, base + 95 * MIN, 3)
    assert [s.start - base for s in picked] == [60 * MIN, 90 * MIN, 120 * MIN]


def test_invalid_inputs_are_rejected():
    with pytest.raises(ValueError):
        WeeklyWindow(7, time(9), time(10))
    with pytest.raises(ValueError):
        WeeklyWindow(0, time(10), time(9))
    with pytest.raises(ValueError):
        DateOverride(JAN_MONDAY, time(9), None)
    with pytest.raises(ValueError):
        Rules(duration=timedelta(0))
    with pytest.raises(ValueError):
        Interval(datetime(2026, 1, 1), datetime(2026, 1, 2))


busy_strategy = st.lists(st.tuples(st.integers(0, 14 * 24 * 4), st.integers(1, 16)), max_size=25)


@settings(max_examples=60, deadline=None)
@given(
    busy=busy_strategy,
    duration=st.sampled_from([15, 20, 30, 45, 60]),
    step=st.sampled_from([10, 15, 30]),
    before=st.sampled_from([0, 5, 10]),
    after=st.sampled_from([0, 5, 15]),
    start_day=st.sampled_from([date(2026, 3, 2), date(2026, 10, 26), JAN_MONDAY]),
    late_hours=st.booleans(),
)
def test_invariants_hold_for_any_bookings(
    busy, duration, step, before, after, start_day, late_hours
):
    """Sorted, unique, inside working hours, never overlapping a booking, real local times."""
    origin = datetime.combine(start_day, time(0)).replace(tzinfo=CHICAGO).astimezone(UTC)
    intervals = tuple(Interval(origin + q * 15 * MIN, origin + (q + n) * 15 * MIN) for q, n in busy)
    hours = (time(0), time(3)) if late_hours else (time(8), time(17))
    weekly = tuple(WeeklyWindow(d, *hours, "p") for d in range(7))
    r = rules(duration, step, before, after)
    schedule = Schedule("c", weekly=weekly, busy=intervals)
    slots = list(
        iter_free_slots(schedule, r, zone=CHICAGO, now=origin, until=origin + timedelta(days=14))
    )
    assert starts(slots) == sorted(set(starts(slots)))
    for slot in slots:
        assert slot.end - slot.start == duration * MIN
        blocked = r.blocked(slot.start)
        assert not any(blocked.overlaps(b) for b in intervals)
        local = slot.start.astimezone(CHICAGO)
        # A real local time: it converts back to the same instant.
        wall = local.replace(tzinfo=None).replace(tzinfo=CHICAGO, fold=local.fold)
        assert wall.astimezone(UTC) == slot.start
        window_start = wall_to_utc(local.date(), hours[0], CHICAGO)
        window_end = wall_to_utc(local.date(), hours[1], CHICAGO)
        assert window_start <= slot.start and slot.end <= window_end
        assert (slot.start - window_start) % (step * MIN) == timedelta(0)
