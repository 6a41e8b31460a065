"""Recording toxin sessions: label warnings must be acknowledged with a reason."""

from datetime import date, timedelta

import pytest

from collis.audit.models import AuditEvent
from collis.injections.actions import record_injection_session
from collis.injections.dosing import PlannedInjection, Side
from collis.injections.errors import InvalidPlanError, UnacknowledgedWarningsError
from collis.injections.models import InjectionSession, ToxinLot
from collis.patients.models import Visit

pytestmark = pytest.mark.django_db
FIRST = date(2026, 1, 5)


@pytest.fixture
def record(clinician_user, clinician, patient, xeomin_lot):
    def _record(on, injections=None, **kwargs):
        return record_injection_session(
            None,
            actor=clinician_user,
            patient=patient,
            lot=kwargs.pop("lot", xeomin_lot),
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
