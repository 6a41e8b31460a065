"""Label checks fire exactly at the label thresholds; units are never converted silently."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collis.injections import dosing
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
from collis.injections.errors import InvalidPlanError

BOTOX = LABELS[ProductCode.ONABOTULINUMTOXINA]
DYSPORT = LABELS[ProductCode.ABOBOTULINUMTOXINA]
XEOMIN = LABELS[ProductCode.INCOBOTULINUMTOXINA]
MYOBLOC = LABELS[ProductCode.RIMABOTULINUMTOXINB]
DAXXIFY = LABELS[ProductCode.DAXIBOTULINUMTOXINA]
DAY = date(2026, 4, 15)


def plan(label, *doses, on=DAY, expires=None):
    injections = tuple(PlannedInjection(muscle, side, units) for muscle, side, units in doses) or (
        PlannedInjection("splenius_capitis", Side.LEFT, 100),
    )
    return SessionPlan(label, on, injections, lot_expires_on=expires)


def split(total, muscles=("splenius_capitis", "trapezius", "levator_scapulae")):
    """Spread ``total`` units over left-sided muscles (no SCM, so only limit checks apply)."""
    share, rest = divmod(total, len(muscles))
    return [(m, Side.LEFT, share + (rest if i == 0 else 0)) for i, m in enumerate(muscles)]


def codes(warnings):
    return [w.code for w in warnings]


@pytest.mark.parametrize(
    ("label", "units", "warns"),
    [
        (XEOMIN, 400, False),
        (XEOMIN, 401, True),
        (DYSPORT, 1000, False),
        (DYSPORT, 1001, True),
    ],
)
def test_session_limit_fires_one_unit_above_the_label(label, units, warns):
    warnings = check_session(plan(label, *split(units)), [])
    assert (WarningCode.SESSION_LIMIT in codes(warnings)) is warns


@pytest.mark.parametrize(("units", "warns"), [(400, False), (401, True)])
def test_botox_limit_of_400_units_in_one_session(units, warns):
    warnings = check_session(plan(BOTOX, *split(units)), [])
    assert (WarningCode.CUMULATIVE_LIMIT in codes(warnings)) is warns


@pytest.mark.parametrize(("earlier", "warns"), [(150, False), (151, True)])
def test_botox_limit_is_cumulative_over_three_months(earlier, warns):
    # 250 now + an earlier session two months before (inside the 3-month window).
    history = [PastSession(ProductCode.ONABOTULINUMTOXINA, date(2026, 2, 15), earlier)]
    warnings = check_session(plan(BOTOX, *split(250)), history)
    assert (WarningCode.CUMULATIVE_LIMIT in codes(warnings)) is warns
    if warns:
        assert "401 Botox units within 84 days (151 in other sessions + 250 now)" in (
            warnings[0].message
        )


@pytest.mark.parametrize(
    ("earlier_on", "counted"),
    [(DAY - timedelta(days=84), False), (DAY - timedelta(days=83), True)],
)
def test_botox_window_is_84_days_like_the_recall(earlier_on, counted):
    history = [PastSession(ProductCode.ONABOTULINUMTOXINA, earlier_on, 300)]
    warnings = check_session(plan(BOTOX, *split(200)), history)
    assert (WarningCode.CUMULATIVE_LIMIT in codes(warnings)) is counted


def test_other_products_do_not_count_toward_the_botox_window():
    history = [PastSession(ProductCode.INCOBOTULINUMTOXINA, date(2026, 3, 1), 300)]
    assert WarningCode.CUMULATIVE_LIMIT not in codes(
        check_session(plan(BOTOX, *split(300)), history)
    )


@pytest.mark.parametrize(
    ("label", "units", "warns"),
    [(DAXXIFY, 250, False), (DAXXIFY, 251, True), (MYOBLOC, 5000, False), (MYOBLOC, 5001, True)],
)
def test_above_recommended_dose(label, units, warns):
    warnings = check_session(plan(label, *split(units)), [])
    assert (WarningCode.ABOVE_RECOMMENDED in codes(warnings)) is warns


def test_products_without_a_label_limit_never_warn_on_totals():
    warnings = check_session(plan(MYOBLOC, *split(4999)), [])
    assert warnings == ()
    assert MYOBLOC.session_limit_units is None and DAXXIFY.session_limit_units is None


@pytest.mark.parametrize(("days", "warns"), [(83, True), (84, False), (0, True), (200, False)])
@pytest.mark.parametrize("label", list(LABELS.values()), ids=lambda label: label.brand)
def test_interval_warning_fires_below_84_days(label, days, warns):
    history = [PastSession(ProductCode.ONABOTULINUMTOXINA, DAY - timedelta(days=days), 10)]
    warnings = check_session(plan(label, ("splenius_capitis", Side.LEFT, 10)), history)
    assert (WarningCode.INTERVAL in codes(warnings)) is warns
    if warns:
        assert f"Only {days} days since the last toxin session" in warnings[-1].message


def test_interval_uses_the_nearest_sessions_on_either_side():
    history = [
        PastSession(ProductCode.ONABOTULINUMTOXINA, DAY - timedelta(days=200), 10),
        PastSession(ProductCode.ONABOTULINUMTOXINA, DAY - timedelta(days=90), 10),
        PastSession(ProductCode.ONABOTULINUMTOXINA, DAY + timedelta(days=84), 10),
    ]
    assert check_session(plan(XEOMIN, ("trapezius", Side.LEFT, 10)), history) == ()


def test_bilateral_scm_warns_about_dysphagia():
    warnings = check_session(plan(XEOMIN, ("scm", Side.LEFT, 20), ("scm", Side.RIGHT, 20)), [])
    assert codes(warnings) == [WarningCode.BILATERAL_SCM]
    assert "dysphagia" in warnings[0].message
    one_side = check_session(plan(XEOMIN, ("scm", Side.LEFT, 40)), [])
    assert one_side == ()


@pytest.mark.parametrize(("units", "warns"), [(100, False), (101, True)])
def test_botox_scm_above_100_units_warns(units, warns):
    warnings = check_session(plan(BOTOX, ("scm", Side.RIGHT, units)), [])
    assert (WarningCode.SCM_DOSE in codes(warnings)) is warns
    # Xeomin carries no such label note (its per-muscle orientation range is checked instead).
    assert WarningCode.SCM_DOSE not in codes(
        check_session(plan(XEOMIN, ("scm", Side.RIGHT, units)), [])
    )


@pytest.mark.parametrize(
    ("doses", "message"),
    [
        ((("scm", Side.LEFT, 0),), "units must be more than 0"),
        ((("scm", Side.LEFT, -5),), "units must be more than 0"),
        ((("biceps", Side.LEFT, 10),), "Unknown muscle"),
        ((("scm", Side.LEFT, 10), ("scm", Side.LEFT, 5)), "listed twice"),
    ],
)
def test_invalid_plans_are_rejected_with_a_clear_message(doses, message):
    with pytest.raises(InvalidPlanError, match=message):
        dosing.validate_plan(plan(XEOMIN, *doses))


def test_fractional_units_and_zero_sites_and_volume_rejected():
    bad = SessionPlan(
        XEOMIN,
        DAY,
        (
            PlannedInjection("scm", Side.LEFT, 12.5),
            PlannedInjection("trapezius", Side.LEFT, 10, sites=0, volume_ml=Decimal(0)),
        ),
    )
    with pytest.raises(InvalidPlanError) as caught:
        dosing.validate_plan(bad)
    assert len(caught.value.problems) == 3


def test_empty_plan_and_expired_lot_rejected():
    with pytest.raises(InvalidPlanError, match="at least one muscle"):
        dosing.validate_plan(SessionPlan(XEOMIN, DAY, ()))
    with pytest.raises(InvalidPlanError, match="expired on 2026-04-14"):
        dosing.validate_plan(plan(XEOMIN, expires=DAY - timedelta(days=1)))
    dosing.validate_plan(plan(XEOMIN, expires=DAY))  # expiring today is still usable


def test_next_due_date_is_84_days_later():
    assert dosing.next_due_date(date(2026, 1, 1), XEOMIN) == date(2026, 3, 26)


@pytest.mark.parametrize(
    ("units", "source", "target", "low", "high"),
    [
        (100, BOTOX, DYSPORT, 250, 300),
        (500, DYSPORT, BOTOX, 166, 200),
        (100, XEOMIN, BOTOX, 100, 100),
        (100, BOTOX, MYOBLOC, 4000, 4000),
        (300, DYSPORT, XEOMIN, 100, 120),
    ],
)
def test_approximate_equivalent_is_a_labelled_range(units, source, target, low, high):
    equivalent = dosing.approximate_equivalent(units, source, target)
    assert (equivalent.low, equivalent.high) == (low, high)
    assert "orientation only" in str(equivalent)
    assert "forbid" in equivalent.caution


def test_no_equivalent_without_a_ratio_or_for_the_same_product():
    assert dosing.approximate_equivalent(100, DAXXIFY, BOTOX) is None
    assert dosing.approximate_equivalent(100, BOTOX, DAXXIFY) is None
    assert dosing.approximate_equivalent(100, BOTOX, BOTOX) is None


def test_copy_forward_same_product_keeps_units():
    last = (PlannedInjection("scm", Side.RIGHT, 40, sites=2, guidance="emg"),)
    copied = dosing.copy_forward(last, XEOMIN, XEOMIN)
    assert copied.injections[0].units == 40 and copied.injections[0].sites == 2
    assert copied.note == ""


def test_copy_forward_to_another_product_never_converts_units():
    last = (PlannedInjection("scm", Side.RIGHT, 40), PlannedInjection("trapezius", Side.LEFT, 60))
    copied = dosing.copy_forward(last, BOTOX, DYSPORT)
    assert [d.units for d in copied.injections] == [None, None]
    assert [d.muscle for d in copied.injections] == ["scm", "trapezius"]
    assert "not copied" in copied.note


def test_every_label_interval_is_at_least_twelve_weeks():
    assert {label.min_interval_days for label in LABELS.values()} == {84}


@given(st.lists(st.integers(1, 200), min_size=1, max_size=8))
def test_total_units_is_the_sum_and_units_stay_in_product_units(units):
    muscles = list(dosing.MUSCLES)[: len(units)]
    p = SessionPlan(
        XEOMIN,
        DAY,
        tuple(PlannedInjection(m, Side.LEFT, u) for m, u in zip(muscles, units, strict=True)),
    )
    assert p.total_units == sum(units)
    warnings = check_session(p, [])
    assert (WarningCode.SESSION_LIMIT in codes(warnings)) is (sum(units) > 400)


def test_clinicians_see_no_internal_notes_in_warnings():
    """Issue #11 defect 15: the session form shows the warning, not its "(clinical.md §3)"
    source note; the Tsui label has no "[unverified]"."""
    from pathlib import Path

    from collis.scales import tsui

    warnings = check_session(plan(BOTOX, *split(1000)), [])
    assert warnings  # the warnings exist; what the clinician reads is their message
    root = Path(__file__).resolve().parents[2] / "src" / "collis"
    form = (root / "injections" / "templates" / "injections" / "session_form.html").read_text()
    assert "w.source" not in form
    assert "[unverified]" not in tsui.TSUI_VERSION_LABEL
