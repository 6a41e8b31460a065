"""Original TWSTRS scoring: every item's boundaries, subscale sums, drafts never scored."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collis.scales import twstrs
from collis.scales.errors import InvalidAnswersError
from collis.scales.twstrs import ITEMS, ITEMS_BY_KEY, score_twstrs

ZERO = {item.key: 0 for item in ITEMS}
MAXIMUM = {item.key: item.maximum for item in ITEMS}


def test_all_zero_scores_zero():
    score = score_twstrs(ZERO)
    assert (score.severity, score.disability, score.pain, score.total) == (0, 0, 0, 0)


def test_all_maximum_scores_35_30_20_85():
    score = score_twstrs(MAXIMUM)
    assert (score.severity, score.disability, score.pain, score.total) == (35, 30, 20, 85)
    assert score.version == twstrs.TWSTRS_VERSION


# (item, grade, expected points in its subscale): the top and bottom of every item, by hand.
BOUNDARIES = [
    ("rotation", 4, "severity", 4),
    ("laterocollis", 3, "severity", 3),
    ("anterocollis_retrocollis", 3, "severity", 3),
    ("lateral_shift", 1, "severity", 1),
    ("sagittal_shift", 1, "severity", 1),
    ("duration", 1, "severity", 2),  # weighted × 2
    ("duration", 5, "severity", 10),
    ("sensory_trick", 2, "severity", 2),
    ("shoulder_elevation", 3, "severity", 3),
    ("range_of_motion", 4, "severity", 4),
    ("time_at_midline", 4, "severity", 4),
    ("work", 5, "disability", 5),
    ("daily_living", 5, "disability", 5),
    ("driving", 5, "disability", 5),
    ("reading", 5, "disability", 5),
    ("television", 5, "disability", 5),
    ("outside_activities", 5, "disability", 5),
    ("pain_severity", 10, "pain", 10),
    ("pain_duration", 5, "pain", 5),
    ("pain_disability", 5, "pain", 5),
]


@pytest.mark.parametrize(("item", "grade", "subscale", "points"), BOUNDARIES)
def test_top_grade_of_each_item_counts_in_its_subscale(item, grade, subscale, points):
    score = score_twstrs({**ZERO, item: grade})
    assert score.subscores[subscale] == points
    assert score.total == points


@pytest.mark.parametrize("item", [i.key for i in ITEMS])
def test_one_above_the_top_grade_is_rejected_naming_the_item(item):
    spec = ITEMS_BY_KEY[item]
    with pytest.raises(InvalidAnswersError) as caught:
        score_twstrs({**ZERO, item: spec.maximum + 1})
    (problem,) = caught.value.problems
    assert problem.item == item
    assert spec.label in str(caught.value)
    assert f"{spec.maximum + 1} is out of range 0–{spec.maximum}" in problem.message


@pytest.mark.parametrize("item", [i.key for i in ITEMS])
def test_negative_grade_is_rejected(item):
    with pytest.raises(InvalidAnswersError, match="out of range"):
        score_twstrs({**ZERO, item: -1})


def test_missing_items_are_each_named_and_never_scored():
    answers = dict(ZERO)
    del answers["rotation"]
    answers["pain_duration"] = None
    with pytest.raises(InvalidAnswersError) as caught:
        score_twstrs(answers)
    assert {p.item for p in caught.value.problems} == {"rotation", "pain_duration"}
    assert "Rotation (maximal excursion): is missing" in str(caught.value)


def test_draft_accepts_missing_items_but_not_bad_grades():
    assert twstrs.check_twstrs_draft({"rotation": 2, "work": ""}) == {"rotation": 2}
    with pytest.raises(InvalidAnswersError, match="Laterocollis"):
        twstrs.check_twstrs_draft({"laterocollis": 4})


@pytest.mark.parametrize("bad", [True, 1.5, "two", [1], "--2", "²", "٣", "1-", "+-1", "3 3"])
def test_non_integer_grades_are_rejected_not_coerced(bad):
    with pytest.raises(InvalidAnswersError, match="whole number"):
        score_twstrs({**ZERO, "rotation": bad})


def test_numeric_strings_from_forms_are_accepted():
    assert score_twstrs({k: str(v) for k, v in MAXIMUM.items()}).total == 85
    assert score_twstrs({**ZERO, "rotation": " 2 "}).answers["rotation"] == 2


def test_a_negative_number_is_out_of_range_not_a_crash():
    with pytest.raises(InvalidAnswersError, match="out of range"):
        score_twstrs({**ZERO, "rotation": "-2"})


def test_unknown_item_is_rejected():
    with pytest.raises(InvalidAnswersError, match="not an item"):
        score_twstrs({**ZERO, "head_tremor": 1})


def test_a_mixed_hand_computed_example():
    answers = {
        **ZERO,
        "rotation": 3,
        "laterocollis": 1,
        "lateral_shift": 1,
        "duration": 4,
        "sensory_trick": 1,
        "shoulder_elevation": 2,
        "range_of_motion": 2,
        "time_at_midline": 3,
        "work": 2,
        "daily_living": 1,
        "driving": 3,
        "reading": 2,
        "television": 1,
        "outside_activities": 2,
        "pain_severity": 6,
        "pain_duration": 3,
        "pain_disability": 2,
    }
    # severity 3+1+0+1+0 + 4×2 + 1 + 2 + 2 + 3 = 21; disability 11; pain 11
    score = score_twstrs(answers)
    assert (score.severity, score.disability, score.pain, score.total) == (21, 11, 11, 43)


def test_maxima_add_up_to_the_published_subscales():
    for subscale, maximum in twstrs.SUBSCALE_MAXIMA.items():
        assert sum(i.max_points for i in ITEMS if i.group == subscale) == maximum
    assert sum(twstrs.SUBSCALE_MAXIMA.values()) == twstrs.TOTAL_MAXIMUM == 85


def test_every_item_has_a_description_for_each_grade():
    for item in ITEMS:
        assert len(item.grades) == item.maximum - item.minimum + 1, item.key
    assert ITEMS_BY_KEY["rotation"].grade_label(2) == "¼–½ (23–45°)"


answers_strategy = st.fixed_dictionaries(
    {item.key: st.integers(item.minimum, item.maximum) for item in ITEMS}
)


@given(answers_strategy)
def test_scores_stay_within_bounds_and_add_up(answers):
    score = score_twstrs(answers)
    assert 0 <= score.severity <= 35
    assert 0 <= score.disability <= 30
    assert 0 <= score.pain <= 20
    assert score.total == score.severity + score.disability + score.pain


@given(answers_strategy, st.sampled_from([i.key for i in ITEMS]))
def test_raising_one_grade_never_lowers_the_total(answers, key):
    spec = ITEMS_BY_KEY[key]
    if answers[key] < spec.maximum:
        higher = {**answers, key: answers[key] + 1}
        assert score_twstrs(higher).total == score_twstrs(answers).total + spec.weight
