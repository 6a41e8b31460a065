"""Recording toxin sessions: label warnings must be acknowledged with a reason."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from collis.audit.models import AuditEvent
from collis.injections.actions import record_injection_session
from collis.injections.dosing import PlannedInjection, Side, WarningCode
from collis.injections.errors import InvalidPlanError, UnacknowledgedWarningsError
from collis.injections.models import InjectionSession, ToxinLot
from collis.patients.models import Visit

pytestmark = pytest.mark.django_db
FIRST = date(2026, 1, 5)


@pytest.fixture
def record(clinician_user, clinician, patient, xeomin_lot):
    def _record(on, injections=None, **kwargs):
        lot = kwargs.pop("lot", xeomin_lot)
        return record_injection_session(
            None,
            actor=clinician_user,
            patient=patient,
            lot=lot,
            units_product=kwargs.pop("units_product", lot.product.code),
            injected_on=on,
            dilution_units_per_ml=50,
            injections=injections or [PlannedInjection("splenius_capitis", Side.LEFT, 80)],
            clinician=clinician,
            **kwargs,
        )

    return _record


def test_session_is_recorded_with_a_visit_and_audited(record, patient):
    session = record(FIRST)
    assert session.total_units == 80 and session.warnings == []
    assert session.visit.kind == Visit.Kind.INJECTION and session.visit.patient == patient
    assert list(session.injections.values_list("muscle", "side", "units")) == [
        ("splenius_capitis", "left", 80)
    ]
    assert AuditEvent.objects.filter(
        object_type="injections.InjectionSession", action="create"
    ).exists()


def test_re_injection_at_83_days_needs_acknowledgement(record):
    record(FIRST)
    with pytest.raises(UnacknowledgedWarningsError) as caught:
        record(FIRST + timedelta(days=83))
    assert [str(w.code) for w in caught.value.warnings] == ["interval"]
    assert InjectionSession.objects.count() == 1


def test_re_injection_at_84_days_needs_nothing(record):
    record(FIRST)
    assert record(FIRST + timedelta(days=84)).warnings == []


def test_a_reason_without_acknowledging_the_codes_is_not_enough(record):
    record(FIRST)
    with pytest.raises(UnacknowledgedWarningsError):
        record(FIRST + timedelta(days=50), acknowledgement_reason="Wore off early")
    with pytest.raises(UnacknowledgedWarningsError):
        record(FIRST + timedelta(days=50), acknowledged=["interval"], acknowledgement_reason="  ")


def test_acknowledged_session_stores_the_warnings_and_reason(record, clinician_user):
    record(FIRST)
    session = record(
        FIRST + timedelta(days=50),
        acknowledged=["interval"],
        acknowledgement_reason="Wore off at week 6; discussed risks",
    )
    assert session.warnings[0]["code"] == "interval"
    assert session.acknowledgement_reason == "Wore off at week 6; discussed risks"
    assert session.acknowledged_by == clinician_user


def test_session_above_the_xeomin_limit_warns(record):
    big = [
        PlannedInjection("splenius_capitis", Side.LEFT, 200),
        PlannedInjection("trapezius", Side.LEFT, 201),
    ]
    with pytest.raises(UnacknowledgedWarningsError) as caught:
        record(FIRST, big)
    assert "401 Xeomin units exceeds the label limit of 400" in caught.value.warnings[0].message


def test_bilateral_scm_warns(record):
    both = [PlannedInjection("scm", Side.LEFT, 20), PlannedInjection("scm", Side.RIGHT, 20)]
    with pytest.raises(UnacknowledgedWarningsError, match="dysphagia"):
        record(FIRST, both)


def test_expired_lot_is_refused(record, xeomin_lot):
    old = ToxinLot.objects.create(
        product=xeomin_lot.product,
        lot_number="OLD",
        vial_size_units=100,
        expires_on=date(2025, 1, 1),
    )
    with pytest.raises(InvalidPlanError, match="expired"):
        record(FIRST, lot=old)
    assert not InjectionSession.objects.exists()
    assert not Visit.objects.exists()


def test_product_limits_come_from_the_clinics_table(record, xeomin_lot):
    product = xeomin_lot.product
    product.min_interval_days = 70  # a clinic following the EU 10-week label
    product.save()
    record(FIRST)
    assert record(FIRST + timedelta(days=70)).warnings == []


# --- Issue #13 safety defects, at the action ---------------------------------------------------


@pytest.fixture
def botox_lot(db):
    from collis.injections.models import ToxinProduct

    return ToxinLot.objects.create(
        product=ToxinProduct.objects.get(code="onabotulinumtoxinA"),
        lot_number="BOT-A1",
        vial_size_units=100,
        expires_on=date(2099, 1, 1),
    )


def test_dysport_doses_are_never_saved_under_a_botox_lot(record, botox_lot):
    """Doses entered for Dysport with a Botox lot are refused every time, however often sent."""
    from collis.injections.errors import ProductMismatchError

    plan = [PlannedInjection("splenius_capitis", Side.LEFT, 400)]
    for _ in range(2):
        with pytest.raises(ProductMismatchError):
            record(
                FIRST,
                plan,
                lot=botox_lot,
                units_product="abobotulinumtoxinA",
                acknowledged=[c.value for c in WarningCode],
                acknowledgement_reason="clicked through",
            )
    assert not InjectionSession.objects.exists() and not Visit.objects.exists()


def test_deep_muscle_by_landmarks_needs_acknowledgement(record):
    plan = [PlannedInjection("longus_colli", Side.LEFT, 10, guidance="landmarks")]
    with pytest.raises(UnacknowledgedWarningsError) as caught:
        record(FIRST, plan)
    assert [str(w.code) for w in caught.value.warnings] == ["guidance"]
    guided = [PlannedInjection("longus_colli", Side.LEFT, 10, guidance="ultrasound")]
    assert record(FIRST, guided).warnings == []


def test_xeomin_150_units_into_one_scm_needs_acknowledgement(record):
    with pytest.raises(UnacknowledgedWarningsError) as caught:
        record(FIRST, [PlannedInjection("scm", Side.LEFT, 150)])
    assert [str(w.code) for w in caught.value.warnings] == ["muscle_dose"]


def test_repeating_a_dose_linked_to_dysphagia_needs_acknowledgement(record, clinician_user):
    from collis.injections.actions import record_adverse_event

    plan = [PlannedInjection("scm", Side.RIGHT, 60), PlannedInjection("trapezius", Side.LEFT, 40)]
    first = record(FIRST, plan)
    record_adverse_event(
        None,
        actor=clinician_user,
        session=first,
        kind="dysphagia",
        severity="moderate",
        reported_on=FIRST + timedelta(days=10),
    )
    with pytest.raises(UnacknowledgedWarningsError) as caught:
        record(FIRST + timedelta(days=90), plan)
    assert [str(w.code) for w in caught.value.warnings] == ["repeat_after_event"]
    lower = [PlannedInjection("scm", Side.RIGHT, 40), PlannedInjection("trapezius", Side.LEFT, 40)]
    assert record(FIRST + timedelta(days=90), lower).warnings == []


def test_boxed_warning_event_kinds_are_recorded(record, clinician_user):
    from collis.injections.actions import record_adverse_event

    session = record(FIRST)
    for kind in (
        "breathing_difficulty",
        "voice_change",
        "ptosis",
        "diplopia",
        "generalised_weakness",
        "anaphylaxis",
    ):
        event = record_adverse_event(
            None,
            actor=clinician_user,
            session=session,
            kind=kind,
            severity="severe",
            reported_on=FIRST,
            muscles=["splenius_capitis"],
        )
        assert event.kind == kind and event.muscles == ["splenius_capitis"]
    with pytest.raises(ValueError):
        record_adverse_event(
            None,
            actor=clinician_user,
            session=session,
            kind="sneezing",
            severity="mild",
            reported_on=FIRST,
        )


def test_botox_300_then_300_on_the_recall_date_saves_without_warnings(record, botox_lot, patient):
    from collis.scheduling.models import InjectionRecall

    plan = [
        PlannedInjection("splenius_capitis", Side.LEFT, 150),
        PlannedInjection("semispinalis_capitis", Side.LEFT, 150),
    ]
    record(FIRST, plan, lot=botox_lot)
    due = InjectionRecall.objects.get(patient=patient).due_on
    assert due == FIRST + timedelta(days=84)
    with pytest.raises(UnacknowledgedWarningsError):
        record(due - timedelta(days=1), plan, lot=botox_lot)
    assert record(due, plan, lot=botox_lot).warnings == []


def test_back_entered_session_is_checked_against_later_ones(record):
    record(FIRST + timedelta(days=100))
    with pytest.raises(UnacknowledgedWarningsError) as caught:
        record(FIRST + timedelta(days=40))
    assert [str(w.code) for w in caught.value.warnings] == ["interval"]


def test_dilution_times_volume_is_checked(record):
    wrong = [PlannedInjection("splenius_capitis", Side.LEFT, 80, volume_ml=Decimal("0.5"))]
    with pytest.raises(InvalidPlanError, match="0.5 mL at 50 units per mL is 25 units"):
        record(FIRST, wrong)
    right = [PlannedInjection("splenius_capitis", Side.LEFT, 80, volume_ml=Decimal("1.6"))]
    assert record(FIRST, right).total_units == 80


def test_label_figures_are_validated_and_audited(clinician_user, botox_lot):
    from collis.injections.actions import update_product_label
    from collis.injections.errors import InvalidLabelError

    product = botox_lot.product
    with pytest.raises(InvalidLabelError, match="longer than the minimum interval"):
        update_product_label(None, actor=clinician_user, product=product, limit_window_days=92)
    with pytest.raises(InvalidLabelError):
        update_product_label(None, actor=clinician_user, product=product, vial_sizes=[0])
    product.refresh_from_db()
    assert product.limit_window_days == 84
    update_product_label(
        None, actor=clinician_user, product=product, limit_window_days=92, min_interval_days=92
    )
    product.refresh_from_db()
    assert (product.limit_window_days, product.min_interval_days) == (92, 92)
    audit = AuditEvent.objects.get(object_type="injections.ToxinProduct", action="update")
    assert audit.detail["changed"]["limit_window_days"] == [84, 92]
