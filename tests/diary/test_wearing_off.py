"""Wearing-off detection: 80 % of the peak improvement lost well before the due date."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from collis.diary.wearing_off import EARLY_MARGIN_DAYS, assess_wearing_off

INJECTED = date(2026, 1, 5)
DUE = INJECTED + timedelta(days=84)


def weekly(values_by_week):
    """Diary values once a week; week 0 is the injection day."""
    return [(INJECTED + timedelta(weeks=w), v) for w, v in values_by_week.items()]


def test_effect_lasting_to_the_due_date_is_not_early():
    diary = weekly({-1: 8, 0: 8, 2: 5, 4: 3, 6: 3, 8: 4, 10: 5, 11: 6})
    result = assess_wearing_off(INJECTED, DUE, diary)
    assert result.baseline == 8 and result.peak == 3
    assert result.worn_off_on is None
    assert not result.is_early


def test_effect_wearing_off_at_week_7_is_flagged():
    diary = weekly({-1: 8, 0: 8, 2: 5, 4: 3, 5: 4, 7: 7, 9: 8, 11: 8})
    result = assess_wearing_off(INJECTED, DUE, diary)
    assert result.worn_off_on == INJECTED + timedelta(weeks=7)
    assert result.weeks_to_wear_off == 7
    assert result.days_before_due == 35
    assert result.is_early


def test_exactly_80_percent_counts_as_worn_off_and_just_below_does_not():
    # baseline 8, peak 3: threshold 3 + 0.8 × 5 = 7.0
    at = assess_wearing_off(INJECTED, DUE, weekly({0: 8, 4: 3, 9: 7}))
    below = assess_wearing_off(INJECTED, DUE, weekly({0: 8, 4: 3, 9: 6.9}))
    assert at.worn_off_on == INJECTED + timedelta(weeks=9)
    assert below.worn_off_on is None


def test_early_margin_boundary():
    day_at_margin = DUE - timedelta(days=EARLY_MARGIN_DAYS)
    day_after_margin = day_at_margin + timedelta(days=1)
    for worn_day, expected in ((day_at_margin, True), (day_after_margin, False)):
        diary = [(INJECTED, 8), (INJECTED + timedelta(weeks=4), 3), (worn_day, 8)]
        assert assess_wearing_off(INJECTED, DUE, diary).is_early is expected


def test_no_clear_response_is_never_flagged():
    result = assess_wearing_off(INJECTED, DUE, weekly({0: 6, 4: 5.5, 6: 6}))
    assert result.worn_off_on is None and not result.is_early


def test_not_enough_data():
    assert assess_wearing_off(INJECTED, DUE, []) is None
    assert assess_wearing_off(INJECTED, DUE, weekly({4: 3})) is None  # no baseline
    assert assess_wearing_off(INJECTED, DUE, weekly({0: 8, 10: 8})) is None  # no peak window


def test_entries_after_the_due_date_are_ignored():
    diary = weekly({0: 8, 4: 3, 13: 8})
    assert assess_wearing_off(INJECTED, DUE, diary).worn_off_on is None


def test_daily_entries_are_smoothed_over_seven_days():
    diary = [(INJECTED, 8)] + [
        (INJECTED + timedelta(days=d), 3 if d < 40 else 8) for d in range(14, 70)
    ]
    diary.append((INJECTED + timedelta(days=20), 3))
    result = assess_wearing_off(INJECTED, DUE, diary)
    # the 7-day mean first reaches 7.0 on day 45 (six 8s and one 3 -> 7.29; five 8s -> 6.57)
    assert result.worn_off_on == INJECTED + timedelta(days=45)


@given(st.lists(st.tuples(st.integers(-14, 83), st.integers(0, 10)), min_size=1, max_size=40))
def test_peak_never_worse_than_baseline_when_flagged(points):
    diary = [(INJECTED + timedelta(days=d), v) for d, v in points]
    result = assess_wearing_off(INJECTED, DUE, diary)
    if result is not None and result.worn_off_on is not None:
        assert result.baseline - result.peak >= 1
        assert result.peak_on < result.worn_off_on < DUE


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10)), min_size=1, max_size=50))
def test_sliding_mean_equals_the_naive_seven_day_mean(points):
    from collis.diary.wearing_off import _smoothed

    entries = sorted((INJECTED + timedelta(days=d), float(v)) for d, v in points)
    for day, mean in _smoothed(entries).items():
        window = [v for d, v in entries if day - timedelta(days=6) <= d <= day]
        assert abs(mean - sum(window) / len(window)) < 1e-9
