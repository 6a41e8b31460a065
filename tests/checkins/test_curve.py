"""The objective early wearing-off flag (pure core)."""

from __future__ import annotations

from datetime import date, timedelta

from collis.checkins.curve import CheckinPoint, build_cycles

INJECTED = date(2026, 1, 5)


def _cycle(deviations_by_week: dict[int, float], baseline: float = 30.0):
    points = [CheckinPoint(INJECTED, -baseline, 0.0, 0.0)]  # made on the injection morning
    points += [
        CheckinPoint(INJECTED + timedelta(weeks=w), -d, 0.0, 0.0)
        for w, d in deviations_by_week.items()
    ]
    return build_cycles([INJECTED], points)[0]


def test_wearing_off_at_week_8_confirmed_at_week_9_is_flagged():
    cycle = _cycle({2: 12, 3: 9, 4: 8, 5: 8, 6: 10, 7: 15, 8: 25, 9: 27, 10: 29})
    assert cycle.flagged and cycle.flagged_week == 9
    assert "week 9" in cycle.reasons[0]


def test_holding_to_week_12_is_not_flagged():
    cycle = _cycle({2: 12, 3: 9, 4: 8, 5: 8, 6: 8, 7: 9, 8: 9, 9: 10, 10: 12, 11: 20, 12: 26})
    assert not cycle.flagged


def test_one_bad_week_is_not_enough():
    cycle = _cycle({2: 12, 4: 26, 5: 10, 6: 10, 7: 25, 8: 10})
    assert not cycle.flagged


def test_no_baseline_check_in_means_no_flag():
    points = [CheckinPoint(INJECTED + timedelta(weeks=w), -29.0, 0, 0) for w in (2, 3, 4)]
    assert not build_cycles([INJECTED], points)[0].flagged


def test_check_ins_fall_into_their_cycle_and_the_fraction_is_configurable():
    second = INJECTED + timedelta(weeks=12)
    points = [
        CheckinPoint(INJECTED, -30, 0, 0),
        CheckinPoint(INJECTED + timedelta(weeks=3), -20, 0, 0),
        CheckinPoint(INJECTED + timedelta(weeks=4), -20, 0, 0),
        CheckinPoint(second + timedelta(weeks=2), -10, 0, 0),
    ]
    first, after = build_cycles([INJECTED, second], points, fraction=0.6)
    assert [p.on for p in first.points] == [points[1].on, points[2].on]
    assert first.flagged  # 20/30 = 67 % >= 60 %
    assert [p.on for p in after.points] == [points[3].on]
    assert not build_cycles([INJECTED, second], points)[0].flagged  # 67 % < 80 %
