"""Safety defects of issue #13 at the core: product changes, deep muscles, per-muscle ranges,
past adverse events, the Botox window against the recall, back-entered sessions and dilution."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from collis.injections import dosing, safety
from collis.injections.dosing import (
    LABELS,
    PastDose,
    PastEvent,
    PastSession,
    PlannedInjection,
    ProductCode,
    SessionPlan,
    Side,
    WarningCode,
    check_session,
)
from collis.injections.errors import InvalidPlanError, ProductMismatchError

BOTOX = LABELS[ProductCode.ONABOTULINUMTOXINA]
DYSPORT = LABELS[ProductCode.ABOBOTULINUMTOXINA]
XEOMIN = LABELS[ProductCode.INCOBOTULINUMTOXINA]
MYOBLOC = LABELS[ProductCode.RIMABOTULINUMTOXINB]
DAXXIFY = LABELS[ProductCode.DAXIBOTULINUMTOXINA]
DAY = date(2026, 4, 15)


def codes(warnings):
    return [w.code for w in warnings]


def one(label, muscle, units, side=Side.LEFT, guidance="emg", **kwargs):
    return SessionPlan(
        label, DAY, (PlannedInjection(muscle, side, units, guidance=guidance),), **kwargs
    )


# --- 1. Units never change product -----------------------------------------------------------


def test_doses_entered_for_dysport_cannot_be_checked_as_botox():
    plan = one(BOTOX, "splenius_capitis", 400, units_product=ProductCode.ABOBOTULINUMTOXINA)
    with pytest.raises(ProductMismatchError) as caught:
        dosing.validate_plan(plan)
    assert caught.value.code == "product_mismatch"
    assert "not interchangeable" in str(caught.value)


def test_doses_entered_for_the_same_product_pass():
    dosing.validate_plan(one(BOTOX, "scm", 40, units_product=ProductCode.ONABOTULINUMTOXINA))


def test_product_change_clears_doses_and_shows_orientation_only():
    rows = [dosing.DraftInjection("splenius_capitis", Side.LEFT, 300, 2, "emg")]
    changed = dosing.change_product(rows, DYSPORT, BOTOX)
    draft = changed.injections[0]
    assert draft.units is None and draft.sites == 2 and draft.guidance == "emg"
    assert "was 300 Dysport units" in draft.orientation
    assert "100–120 Botox units" in draft.orientation and "orientation only" in draft.orientation
    assert changed.dilution_units_per_ml is None


def test_product_change_without_a_ratio_says_so():
    rows = [dosing.DraftInjection("scm", Side.LEFT, 50)]
    changed = dosing.change_product(rows, BOTOX, DAXXIFY)
    assert changed.injections[0].units is None
    assert "no conversion ratio" in changed.injections[0].orientation


def test_copy_forward_keeps_dilution_only_for_the_same_product():
    last = (PlannedInjection("scm", Side.RIGHT, 40),)
    same = dosing.copy_forward(last, XEOMIN, XEOMIN, Decimal(50))
    other = dosing.copy_forward(last, XEOMIN, DYSPORT, Decimal(50))
    assert same.dilution_units_per_ml == Decimal(50)
    assert other.dilution_units_per_ml is None and "dilution were not copied" in other.note


# --- 2. Deep muscles need ultrasound or EMG --------------------------------------------------


@pytest.mark.parametrize(
    "muscle",
    [
        "longus_colli",
        "longus_capitis",
        "obliquus_capitis_inferior",
        "rectus_capitis_posterior_major",
    ],
)
def test_deep_muscle_by_landmarks_warns(muscle):
    warnings = check_session(one(XEOMIN, muscle, 10, guidance="landmarks"), [])
    assert codes(warnings) == [WarningCode.GUIDANCE]
    assert "ultrasound or EMG" in warnings[0].message
    for guided in ("ultrasound", "emg"):
        assert check_session(one(XEOMIN, muscle, 10, guidance=guided), []) == ()


def test_superficial_muscle_by_landmarks_is_fine():
    assert check_session(one(XEOMIN, "splenius_capitis", 40, guidance="landmarks"), []) == ()
    assert safety.guidance_rule("scm").need is safety.GuidanceNeed.LANDMARKS_OK


def test_suggested_deep_muscles_leave_guidance_for_the_clinician():
    suggestions = dosing.suggest_muscles([dosing.PostureComponent(dosing.ColCapForm.ANTEROCOLLIS)])
    drafts = {d.muscle: d.guidance for d in dosing.suggestions_as_drafts(suggestions)}
    assert drafts["longus_colli"] == "" and drafts["scm"] == "landmarks"


def test_a_plan_without_guidance_is_invalid():
    plan = one(XEOMIN, "longus_colli", 10, guidance="")
    with pytest.raises(InvalidPlanError, match="choose the guidance"):
        dosing.validate_plan(plan)


# --- 3. Per-muscle orientation ranges ---------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "muscle", "units", "warns"),
    [
        (DYSPORT, "scm", 500, True),
        (DYSPORT, "scm", 225, False),
        (XEOMIN, "scm", 150, True),
        (XEOMIN, "scm", 75, False),
        (BOTOX, "splenius_capitis", 300, True),
        (BOTOX, "splenius_capitis", 150, False),
        (BOTOX, "obliquus_capitis_inferior", 151, True),  # no quoted range: largest top used
        (MYOBLOC, "scm", 3001, True),
        (MYOBLOC, "scm", 3000, False),
    ],
)
def test_dose_above_the_muscle_orientation_range_warns(label, muscle, units, warns):
    warnings = check_session(one(label, muscle, units), [])
    assert (WarningCode.MUSCLE_DOSE in codes(warnings)) is warns
    if warns:
        message = next(w for w in warnings if w.code == WarningCode.MUSCLE_DOSE)
        assert "orientation" in message.message and "[U]" in message.source


def test_every_range_is_marked_and_daxxify_has_none():
    for table in safety.MUSCLE_DOSE_RANGES.values():
        for reference in table.values():
            assert reference.evidence in {"V", "S", "U"} and "clinical.md" in reference.source
            assert 0 <= reference.low < reference.high
    assert safety.dose_range(ProductCode.DAXIBOTULINUMTOXINA, "scm") is None


# --- 4. Past adverse events ------------------------------------------------------------------


def event(
    kind, doses, *, on=DAY - timedelta(days=90), product=ProductCode.INCOBOTULINUMTOXINA, muscles=()
):
    return PastEvent(
        kind,
        safety.EVENT_LABELS[kind],
        "moderate",
        on,
        product,
        tuple(PastDose(m, s, u) for m, s, u in doses),
        muscles,
    )


def test_repeating_the_scm_dose_after_dysphagia_warns():
    past = [event("dysphagia", [("scm", Side.RIGHT, 60), ("splenius_capitis", Side.LEFT, 80)])]
    same = check_session(one(XEOMIN, "scm", 60, side=Side.RIGHT), [], past)
    assert codes(same) == [WarningCode.REPEAT_AFTER_EVENT]
    assert "swallowing difficulty" in same[0].message
    lower = check_session(one(XEOMIN, "scm", 40, side=Side.RIGHT), [], past)
    assert lower == ()
    # Splenius capitis is not linked to dysphagia.
    assert check_session(one(XEOMIN, "splenius_capitis", 80), [], past) == ()


def test_a_named_muscle_overrides_the_usual_links():
    past = [
        event("dysphagia", [("splenius_capitis", Side.LEFT, 80)], muscles=("splenius_capitis",))
    ]
    warnings = check_session(one(XEOMIN, "splenius_capitis", 80), [], past)
    assert codes(warnings) == [WarningCode.REPEAT_AFTER_EVENT]


def test_distant_spread_events_link_to_every_injected_muscle():
    past = [event("ptosis", [("trapezius", Side.LEFT, 50)])]
    assert codes(check_session(one(XEOMIN, "trapezius", 50), [], past)) == [
        WarningCode.REPEAT_AFTER_EVENT
    ]


def test_after_a_product_switch_any_dose_to_the_linked_muscle_warns():
    past = [event("dysphagia", [("scm", Side.RIGHT, 60)], product=ProductCode.ABOBOTULINUMTOXINA)]
    warnings = check_session(one(XEOMIN, "scm", 20, side=Side.RIGHT), [], past)
    assert codes(warnings) == [WarningCode.REPEAT_AFTER_EVENT]
    assert "of another product" in warnings[0].message


def test_boxed_warning_events_can_be_recorded():
    kinds = {k.value for k in safety.EventKind}
    assert {
        "breathing_difficulty",
        "voice_change",
        "ptosis",
        "diplopia",
        "generalised_weakness",
        "anaphylaxis",
    } <= kinds
    assert set(safety.EventKind) >= safety.BOXED_WARNING_EVENTS


# --- 5. The Botox window and the recall agree --------------------------------------------------


def botox_300(on):
    return SessionPlan(
        BOTOX,
        on,
        (
            PlannedInjection("splenius_capitis", Side.LEFT, 150),
            PlannedInjection("semispinalis_capitis", Side.LEFT, 150),
        ),
    )


@pytest.mark.parametrize("days", [84, 85, 89, 90, 92])
def test_300_then_300_on_or_after_the_recall_date_does_not_warn(days):
    history = [PastSession(ProductCode.ONABOTULINUMTOXINA, DAY - timedelta(days=days), 300)]
    assert check_session(botox_300(DAY), history) == ()


def test_300_then_300_before_the_recall_date_warns_on_both_counts():
    history = [PastSession(ProductCode.ONABOTULINUMTOXINA, DAY - timedelta(days=83), 300)]
    assert codes(check_session(botox_300(DAY), history)) == [
        WarningCode.CUMULATIVE_LIMIT,
        WarningCode.INTERVAL,
    ]


@pytest.mark.parametrize("label", list(LABELS.values()), ids=lambda label: label.brand)
def test_every_label_window_fits_inside_its_interval(label):
    assert dosing.validate_label(label) == ()
    if label.limit_window_days is not None:
        assert label.limit_window_days <= label.min_interval_days


def test_a_window_longer_than_the_interval_is_refused():
    from dataclasses import replace

    problems = dosing.validate_label(replace(BOTOX, limit_window_days=92))
    assert problems and "longer than the minimum interval" in problems[0]
    assert dosing.validate_label(replace(BOTOX, limit_window_days=92, min_interval_days=92)) == ()
    assert dosing.validate_label(replace(BOTOX, vial_sizes=(0, 100)))
    assert dosing.validate_label(replace(BOTOX, session_limit_units=0))


# --- 6. Back-entered sessions, dilution, vials ---------------------------------------------------


def test_a_session_entered_late_counts_sessions_dated_after_it():
    # A 300 U session exists on DAY; a forgotten 200 U session 30 days earlier is entered now.
    history = [PastSession(ProductCode.ONABOTULINUMTOXINA, DAY, 300)]
    late = SessionPlan(
        BOTOX,
        DAY - timedelta(days=30),
        (
            PlannedInjection("splenius_capitis", Side.LEFT, 100),
            PlannedInjection("semispinalis_capitis", Side.LEFT, 100),
        ),
    )
    warnings = check_session(late, history)
    assert codes(warnings) == [WarningCode.CUMULATIVE_LIMIT, WarningCode.INTERVAL]
    assert "500 Botox units" in warnings[0].message
    assert "before the toxin session already recorded" in warnings[1].message


@pytest.mark.parametrize(
    ("units", "volume", "ok"),
    [
        (25, "0.5", True),
        (26, "0.5", True),
        (27, "0.5", False),
        (40, "0.5", False),
        (5, "0.1", True),
    ],
)
def test_dilution_times_volume_must_match_the_units(units, volume, ok):
    plan = SessionPlan(
        XEOMIN,
        DAY,
        (PlannedInjection("scm", Side.LEFT, units, volume_ml=Decimal(volume)),),
        dilution_units_per_ml=Decimal(50),
    )
    if ok:
        dosing.validate_plan(plan)
    else:
        with pytest.raises(InvalidPlanError, match="units per mL is 25 units"):
            dosing.validate_plan(plan)


def test_zero_dilution_is_invalid():
    with pytest.raises(InvalidPlanError, match="dilution must be more than 0"):
        dosing.validate_plan(one(XEOMIN, "scm", 10, dilution_units_per_ml=Decimal(0)))


def test_botox_has_the_us_50_unit_vial():
    assert BOTOX.vial_sizes == (50, 100, 200)
