"""Monthly reports: units and vials per product, waste per clinician, cost, authorisations."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from collis.supply import actions, reports
from collis.supply.models import VialPrice

from .conftest import DAY, at

pytestmark = pytest.mark.django_db


def test_month_report_counts_units_vials_waste_and_cost(
    administrator, clinician_user, patient, other_patient, botox, botox_lot, location,
    record_session,
):  # fmt: skip
    VialPrice.objects.create(
        product=botox, vial_size_units=100, price=Decimal("600.00"), effective_from=date(2026, 1, 1)
    )
    half = actions.open_vial(
        None, actor=clinician_user, lot=botox_lot, location=location, diluent_ml=2,
        opened_at=at(DAY, 8),
    )  # fmt: skip
    s1 = record_session(patient, botox_lot, units=(30, 30))
    actions.record_draws(None, actor=clinician_user, session=s1, draws=[(half, 60)], now=at(DAY, 9))
    actions.close_vial(None, actor=clinician_user, vial=half, closed_at=at(DAY, 12))
    whole = actions.open_vial(
        None, actor=clinician_user, lot=botox_lot, location=location, diluent_ml=2,
        opened_at=at(DAY + timedelta(days=1), 8),
    )  # fmt: skip
    s2 = record_session(other_patient, botox_lot, day=DAY + timedelta(days=1), units=(50, 50))
    actions.record_draws(
        None, actor=clinician_user, session=s2, draws=[(whole, 100)],
        now=at(DAY + timedelta(days=1), 9),
    )  # fmt: skip
    actions.close_vial(
        None, actor=clinician_user, vial=whole, closed_at=at(DAY + timedelta(days=1), 12)
    )
    start, end = reports.month_bounds(2026, 11)
    [row] = reports.product_month(start, end)
    assert (row["administered"], row["discarded"], row["vials_opened"], row["sessions"]) == (
        160,
        40,
        2,
        2,
    )
    assert row["waste_percent"] == 20.0
    [by_clinician] = reports.waste_by_clinician(start, end)
    assert by_clinician["clinician"] == "Dr. Test Clinician"
    costs = {u.session.pk: u.cost for u in reports.session_uses(start, end)}
    # 600 per 100-U vial: the first session pays for 60 given + 40 discarded, the second 100.
    assert costs == {s1.pk: Decimal("600.00"), s2.pk: Decimal("600.00")}


def test_december_bounds_roll_into_the_next_year():
    assert reports.month_bounds(2026, 12) == (date(2026, 12, 1), date(2027, 1, 1))


def test_authorisation_usage_counts_sessions_in_range(
    administrator, patient, botox, botox_lot, record_session
):
    auth = actions.record_authorisation(
        None, actor=administrator, patient=patient, payer="Acme", number="PA-9",
        product=botox, units_per_session=300, sessions_approved=3,
        valid_from=date(2026, 10, 1), valid_to=date(2027, 3, 31),
    )  # fmt: skip
    record_session(patient, botox_lot)
    [row] = reports.authorisation_usage(date(2026, 11, 20))
    assert (row["authorisation"], row["used"], row["left"]) == (auth, 1, 2)
