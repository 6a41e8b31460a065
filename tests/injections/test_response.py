"""Screening, patient-reported side effects, response across cycles and GAS (pure core)."""

from datetime import date, timedelta

import pytest

from collis.injections import dosing, safety
from collis.injections.dosing import (
    LABELS,
    PastSession,
    PlannedInjection,
    ProductCode,
    SessionPlan,
    Side,
    WarningCode,
    check_session,
)
from collis.injections.response import CycleResponse, Goal, assess_response, gas_t_score

XEOMIN = LABELS[ProductCode.INCOBOTULINUMTOXINA]
BOTOX = LABELS[ProductCode.ONABOTULINUMTOXINA]
DAY = date(2026, 4, 15)


def plan(label, units):
    return SessionPlan(label, DAY, (PlannedInjection("splenius_capitis", Side.LEFT, units),))


def codes(warnings):
    return [w.code for w in warnings]


@pytest.mark.parametrize(("units", "warns"), [(120, False), (121, True)])
def test_toxin_naive_first_dose_above_the_label_start_warns(units, warns):
    screening = safety.ScreeningAnswers(toxin_naive=True, answers={})
    warnings = check_session(plan(XEOMIN, units), [], screening=screening)
    assert (WarningCode.TOXIN_NAIVE_START in codes(warnings)) is warns


def test_positive_screening_answers_each_warn():
    screening = safety.ScreeningAnswers(
        toxin_naive=False,
        answers={"neuromuscular_disease": True, "anticoagulants": False, "aminoglycosides": True},
    )
    warnings = check_session(plan(XEOMIN, 100), [], screening=screening)
    assert codes(warnings) == [WarningCode.SCREENING, WarningCode.SCREENING]
    assert "myasthenia gravis" in warnings[0].message


def test_toxin_naive_with_sessions_on_file_is_questioned():
    screening = safety.ScreeningAnswers(toxin_naive=True, answers={})
    history = [PastSession(ProductCode.INCOBOTULINUMTOXINA, DAY - timedelta(days=200), 100)]
    warnings = check_session(plan(XEOMIN, 100), history, screening=screening)
    assert "earlier toxin sessions are on file" in warnings[0].message


def test_cosmetic_botox_elsewhere_counts_toward_the_window_and_interval():
    screening = safety.ScreeningAnswers(
        toxin_naive=False,
        answers={},
        toxins_elsewhere=(
            safety.ToxinElsewhere(
                ProductCode.ONABOTULINUMTOXINA,
                (DAY - timedelta(days=30)).isoformat(),
                64,
                "cosmetic (glabellar lines)",
            ),
        ),
    )
    big = SessionPlan(
        BOTOX,
        DAY,
        (
            PlannedInjection("splenius_capitis", Side.LEFT, 150),
            PlannedInjection("semispinalis_capitis", Side.LEFT, 150),
            PlannedInjection("trapezius", Side.LEFT, 100),
        ),
    )
    warnings = check_session(big, [], screening=screening)
    assert codes(warnings) == [WarningCode.CUMULATIVE_LIMIT, WarningCode.INTERVAL]
    assert "464 Botox units" in warnings[0].message


@pytest.mark.parametrize(
    ("symptoms", "severe", "urgency"),
    [
        (["breathing_difficulty"], False, "emergency"),
        (["anaphylaxis"], False, "emergency"),
        (["dysphagia"], True, "emergency"),
        (["dysphagia"], False, "triage"),
        (["ptosis", "voice_change"], True, "triage"),
    ],
)
def test_triage_sends_breathing_and_severe_swallowing_to_emergency(symptoms, severe, urgency):
    assert safety.triage_urgency(symptoms, severe) == urgency


def cycle(n, improvement, pgi=None):
    return CycleResponse(n, DAY + timedelta(days=90 * n), "Xeomin", improvement, pgi)


def test_never_responding_is_possible_primary_non_response():
    result = assess_response([cycle(0, 5, 4), cycle(1, 10, 5)])
    assert result.kind == "primary_non_response"


def test_response_then_two_failures_is_possible_secondary_non_response():
    result = assess_response([cycle(0, 40, 2), cycle(1, 45), cycle(2, 5, 4), cycle(3, 0, 5)])
    assert result.kind == "secondary_non_response"
    assert any("antibody" in r for r in result.reasons)


def test_response_by_global_impression_alone_counts():
    assert assess_response([cycle(0, None, 2), cycle(1, None, 1)]).kind == "responding"


def test_one_rated_cycle_is_unclear():
    assert assess_response([cycle(0, 5, 5), cycle(1, None)]).kind == "unclear"


def test_gas_t_score_is_50_when_goals_are_met_as_expected():
    assert gas_t_score([Goal(1, 0), Goal(2, 0)]) == 50.0
    assert gas_t_score([Goal(1, 1), Goal(1, 1), Goal(1, 1)]) > 60
    assert gas_t_score([]) is None
    with pytest.raises(ValueError):
        gas_t_score([Goal(1, 3)])


def test_gas_t_score_matches_the_kiresuk_formula_for_one_goal():
    # One goal, weight 1, +1: 50 + 10 × 1 / sqrt(0.7 + 0.3) = 60.
    assert gas_t_score([Goal(1, 1)]) == 60.0


def test_dosing_module_reexports_stay_stable():
    assert dosing.copy_forward and dosing.suggest_muscles
