"""Cycles: baseline and peak TWSTRS per session, and the early wearing-off flag."""

from datetime import date, timedelta

from collis.injections.cycles import CycleSession, ScorePoint, summarise_cycles

FIRST = date(2026, 1, 5)
SECOND = FIRST + timedelta(days=91)


def session(sid, on):
    return CycleSession(sid, on, "Xeomin", 200, "Xeomin units", 84)


def test_baseline_and_peak_are_matched_to_each_cycle():
    scores = [
        ScorePoint(FIRST, 40, "baseline"),
        ScorePoint(FIRST + timedelta(days=35), 26, "other"),  # in the 4–6-week window
        ScorePoint(SECOND - timedelta(days=3), 38, "other"),
        ScorePoint(SECOND + timedelta(days=30), 24, "peak"),
    ]
    first, second = summarise_cycles([session(2, SECOND), session(1, FIRST)], scores, [])
    assert (first.baseline.total, first.peak.total, first.improvement_percent) == (40, 26, 35)
    assert first.ends_on == SECOND and second.ends_on is None
    assert (second.baseline.total, second.peak.total) == (38, 24)
    assert second.next_due == SECOND + timedelta(days=84)


def test_scores_outside_the_windows_are_not_used():
    scores = [
        ScorePoint(FIRST - timedelta(days=15), 40, "other"),
        ScorePoint(FIRST + timedelta(days=27), 20, "other"),
        ScorePoint(FIRST + timedelta(days=43), 20, "other"),
    ]
    (cycle,) = summarise_cycles([session(1, FIRST)], scores, [])
    assert cycle.baseline is None and cycle.peak is None and cycle.improvement_percent is None


def test_marked_peak_is_preferred_over_an_unmarked_score():
    scores = [
        ScorePoint(FIRST + timedelta(days=35), 30, "other"),
        ScorePoint(FIRST + timedelta(days=29), 22, "peak"),
    ]
    (cycle,) = summarise_cycles([session(1, FIRST)], scores, [])
    assert cycle.peak.total == 22


def test_diary_flags_early_wearing_off():
    diary = [(FIRST, 8), (FIRST + timedelta(days=28), 3), (FIRST + timedelta(days=49), 8)]
    (cycle,) = summarise_cycles([session(1, FIRST)], [], diary)
    assert cycle.wears_off_early
    assert cycle.wearing_off.weeks_to_wear_off == 7


def test_no_sessions_no_cycles():
    assert summarise_cycles([], [ScorePoint(FIRST, 30, "baseline")], []) == []
