"""Tsui scale (commonly cited scheme): A × B + C + D, 0–25, and its input checks."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collis.scales.errors import InvalidAnswersError
from collis.scales.tsui import ITEMS, check_tsui_draft, score_tsui

NONE = {
    "rotation": 0,
    "tilt": 0,
    "antero_retrocollis": 0,
    "posture_duration": 1,
    "shoulder_elevation": 0,
    "tremor_severity": 0,
    "tremor_duration": 0,
}


def test_no_signs_scores_zero():
    assert score_tsui(NONE).total == 0


def test_maximum_is_25():
    top = {item.key: item.maximum for item in ITEMS}
    score = score_tsui(top)
    assert (score.posture, score.shoulder, score.tremor, score.total) == (18, 3, 4, 25)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"rotation": 3}, 3),  # A = 3, B = 1
        ({"rotation": 3, "posture_duration": 2}, 6),  # A × 2
        ({"rotation": 2, "tilt": 1, "antero_retrocollis": 1, "posture_duration": 2}, 8),
        ({"shoulder_elevation": 3}, 3),  # C is not multiplied
        ({"tremor_severity": 1, "tremor_duration": 1}, 1),
        ({"tremor_severity": 2, "tremor_duration": 1}, 2),
        ({"tremor_severity": 2, "tremor_duration": 2}, 4),
        (
            {
                "rotation": 1,
                "posture_duration": 2,
                "shoulder_elevation": 1,
                "tremor_severity": 1,
                "tremor_duration": 2,
            },
            5,
        ),
    ],
)
def test_hand_computed_examples(changes, expected):
    assert score_tsui({**NONE, **changes}).total == expected


@pytest.mark.parametrize(
    ("item", "grade"),
    [
        ("rotation", 4),
        ("tilt", 4),
        ("antero_retrocollis", 4),
        ("posture_duration", 0),
        ("posture_duration", 3),
        ("shoulder_elevation", 4),
        ("tremor_severity", 3),
        ("tremor_duration", 3),
        ("rotation", -1),
    ],
)
def test_out_of_range_grades_name_the_item(item, grade):
    with pytest.raises(InvalidAnswersError) as caught:
        score_tsui({**NONE, item: grade})
    assert [p.item for p in caught.value.problems] == [item]


@pytest.mark.parametrize(
    ("severity", "duration", "named"),
    [(0, 1, "tremor_duration"), (1, 0, "tremor_severity")],
)
def test_tremor_severity_and_duration_must_agree(severity, duration, named):
    answers = {**NONE, "tremor_severity": severity, "tremor_duration": duration}
    with pytest.raises(InvalidAnswersError) as caught:
        score_tsui(answers)
    assert caught.value.problems[0].item == named
    with pytest.raises(InvalidAnswersError):
        check_tsui_draft(answers)


def test_missing_item_is_named():
    answers = dict(NONE)
    del answers["tilt"]
    with pytest.raises(InvalidAnswersError, match="Tilt"):
        score_tsui(answers)


def test_draft_may_be_partial():
    assert check_tsui_draft({"rotation": 2}) == {"rotation": 2}


@given(st.fixed_dictionaries({i.key: st.integers(i.minimum, i.maximum) for i in ITEMS}))
def test_total_in_bounds_when_consistent(answers):
    if (answers["tremor_severity"] == 0) != (answers["tremor_duration"] == 0):
        with pytest.raises(InvalidAnswersError):
            score_tsui(answers)
    else:
        assert 0 <= score_tsui(answers).total <= 25
