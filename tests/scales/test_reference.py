"""The [U]/[S] scale details in one table: time bands and the pain-severity formula."""

import pytest

from collis.scales import reference


@pytest.mark.parametrize(
    ("seconds", "grade"),
    [
        (0, 4),
        (14, 4),
        (15, 4),  # the transcription leaves 15 s unassigned; documented choice
        (16, 3),
        (30, 3),
        (31, 2),
        (45, 2),
        (46, 1),
        (60, 1),
        (61, 0),
        (600, 0),
    ],
)
def test_time_at_midline_bands(seconds, grade):
    assert reference.time_at_midline_grade(seconds) == grade


def test_negative_seconds_rejected():
    with pytest.raises(ValueError, match="negative"):
        reference.time_at_midline_grade(-1)


@pytest.mark.parametrize(
    ("best", "worst", "usual", "expected"),
    [
        (0, 0, 0, 0),
        (10, 10, 10, 10),
        (2, 8, 5, 5),  # (8 + 2 + 2 × 5) / 4 = 5
        (1, 8, 4, 4),  # 17 / 4 = 4.25 -> 4
        (1, 7, 3, 4),  # 14 / 4 = 3.5 -> 4 (half up)
        (1, 8, 5, 5),  # 19 / 4 = 4.75 -> 5
        (0, 9, 2, 3),  # 13 / 4 = 3.25 -> 3
    ],
)
def test_pain_severity_formula_rounds_half_up(best, worst, usual, expected):
    assert reference.pain_severity_from_ratings(best=best, worst=worst, usual=usual) == expected


def test_pain_ratings_outside_0_to_10_rejected():
    with pytest.raises(ValueError, match="worst"):
        reference.pain_severity_from_ratings(best=0, worst=11, usual=3)


@pytest.mark.parametrize(
    ("best", "worst", "usual"),
    [(5, 8, 4), (2, 6, 7), (9, 3, 5)],
)
def test_pain_ratings_must_be_best_usual_worst_in_order(best, worst, usual):
    with pytest.raises(ValueError, match="best ≤ usual ≤ worst"):
        reference.pain_severity_from_ratings(best=best, worst=worst, usual=usual)


@pytest.mark.parametrize(("best", "worst", "usual"), [(2.5, 8, 5), (True, 8, 5), ("2", 8, 5)])
def test_pain_ratings_must_be_whole_numbers(best, worst, usual):
    with pytest.raises(ValueError, match="whole number"):
        reference.pain_severity_from_ratings(best=best, worst=worst, usual=usual)


def test_every_rating_triple_rounds_half_up_to_0_to_10():
    from decimal import ROUND_HALF_UP, Decimal

    for best in range(11):
        for usual in range(best, 11):
            for worst in range(usual, 11):
                got = reference.pain_severity_from_ratings(best=best, worst=worst, usual=usual)
                exact = Decimal(best + worst + 2 * usual) / 4
                assert got == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
                assert best <= got <= worst


def test_tsui_source_is_lancet_1986():
    from collis.scales import tsui

    assert "Lancet 1986" in tsui.TSUI_SOURCE and "1991" not in tsui.__doc__
