"""Stock, vials, draws and waste through the actions, on the real database."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from collis.audit.models import AuditEvent
from collis.demo.supply import draw_for_sessions
from collis.injections.models import ToxinLot
from collis.patients.models import Patient
from collis.supply import actions
from collis.supply.errors import (
    DrawMismatchError,
    InvalidStockChangeError,
    OutOfStockError,
    VialNotUsableError,
)
from collis.supply.inventory import (
    lot_balance,
    recall_patients,
    selectable_vials,
    session_claim,
    unopened_vials,
)
from collis.supply.models import StockAdjustment

from .conftest import DAY, at

pytestmark = pytest.mark.django_db


def open_one(botox_lot, location, user, hour=8):
    return actions.open_vial(
        None,
        actor=user,
        lot=botox_lot,
        location=location,
        diluent_ml=Decimal(2),
        opened_at=at(DAY, hour),
    )


def test_receiving_stock_creates_the_lot_and_is_audited(botox_lot, location):
    assert botox_lot.lot_number == "C1234" and unopened_vials(botox_lot, location) == 10
    assert AuditEvent.objects.filter(object_type="supply.StockReceipt", action="create").exists()


def test_a_lot_number_on_file_with_another_expiry_is_refused(
    botox_lot, botox, location, administrator
):
    with pytest.raises(InvalidStockChangeError, match="on file"):
        actions.receive_stock(
            None,
            actor=administrator,
            product=botox,
            lot_number="C1234",
            vial_size_units=100,
            expires_on=date(2028, 1, 1),
            vials=1,
            ndc="00023-1145-01",
            supplier="x",
            received_on=DAY,
            location=location,
        )


def test_opening_a_vial_records_reconstitution_and_the_label_beyond_use(
    botox_lot, location, clinician_user
):
    vial = open_one(botox_lot, location, clinician_user)
    # Botox: 24 hours after reconstitution (stock.BEYOND_USE, [S]).
    assert vial.beyond_use_at == at(DAY, 8) + timedelta(hours=24)
    assert vial.diluent_ml == Decimal(2) and vial.reconstituted_by == clinician_user
    assert unopened_vials(botox_lot, location) == 9


def test_cannot_open_more_vials_than_are_in_stock(botox_lot, location, administrator):
    actions.adjust_stock(
        None,
        actor=administrator,
        lot=botox_lot,
        location=location,
        vials=-10,
        reason="expired",
    )
    with pytest.raises(OutOfStockError):
        open_one(botox_lot, location, administrator)


def test_an_expired_reconstituted_vial_cannot_be_selected_or_drawn(
    botox_lot, location, clinician_user, patient, record_session
):
    vial = open_one(botox_lot, location, clinician_user, hour=8)
    session = record_session(patient, botox_lot, day=DAY + timedelta(days=1))
    next_morning = at(DAY + timedelta(days=1), 9)  # 25 hours after reconstitution
    assert selectable_vials(botox_lot.product, patient, now=next_morning) == []
    with pytest.raises(VialNotUsableError, match="beyond-use"):
        actions.record_draws(
            None, actor=clinician_user, session=session, draws=[(vial, 100)], now=next_morning
        )
    assert not session.vial_draws.exists()


def test_draws_must_add_up_to_the_units_injected(
    botox_lot, location, clinician_user, patient, record_session
):
    vial = open_one(botox_lot, location, clinician_user)
    session = record_session(patient, botox_lot, units=(40, 40))
    with pytest.raises(DrawMismatchError, match="80 U were injected"):
        actions.record_draws(
            None, actor=clinician_user, session=session, draws=[(vial, 70)], now=at(DAY, 9)
        )


def test_single_dose_vial_is_never_shared_without_the_clinic_policy(
    botox_lot, location, clinician_user, administrator, patient, other_patient, record_session
):
    vial = open_one(botox_lot, location, clinician_user)
    first = record_session(patient, botox_lot, units=(30, 30))
    actions.record_draws(
        None, actor=clinician_user, session=first, draws=[(vial, 60)], now=at(DAY, 9)
    )
    second = record_session(other_patient, botox_lot, units=(20, 20))
    assert selectable_vials(botox_lot.product, other_patient, now=at(DAY, 10)) == []
    with pytest.raises(VialNotUsableError, match="not shared"):
        actions.record_draws(
            None, actor=clinician_user, session=second, draws=[(vial, 40)], now=at(DAY, 10)
        )
    with pytest.raises(InvalidStockChangeError):
        actions.set_supply_policy(None, actor=administrator, multi_patient_vials=True)
    actions.set_supply_policy(
        None,
        actor=administrator,
        multi_patient_vials=True,
        multi_patient_policy="Aseptic technique, one needle per draw, same session day only.",
    )
    actions.record_draws(
        None, actor=clinician_user, session=second, draws=[(vial, 40)], now=at(DAY, 10)
    )
    closed = actions.close_vial(None, actor=clinician_user, vial=vial, closed_at=at(DAY, 12))
    assert closed.discarded_units == 0
    # The discard (none) is billed on the last patient's claim; the first carries no JW.
    assert [line.modifiers for line in session_claim(second).lines][0] == ("JZ",)


def test_half_used_vial_shows_jw_and_whole_vials_show_jz(
    botox_lot, location, clinician_user, patient, other_patient, record_session
):
    half = open_one(botox_lot, location, clinician_user)
    session = record_session(patient, botox_lot, units=(25, 25))
    actions.record_draws(
        None, actor=clinician_user, session=session, draws=[(half, 50)], now=at(DAY, 9)
    )
    claim = session_claim(session)
    assert not claim.complete  # the vial is still open: no JW/JZ yet
    actions.close_vial(None, actor=clinician_user, vial=half, closed_at=at(DAY, 12))
    lines = [
        (line.code, line.modifiers, line.billing_units) for line in session_claim(session).lines
    ]
    assert lines[:2] == [("J0585", (), 50), ("J0585", ("JW",), 50)]
    assert ("64616", ("50",), 1) in lines and ("95874", (), 1) in lines

    whole = [open_one(botox_lot, location, clinician_user, hour=13) for _ in range(2)]
    full = record_session(other_patient, botox_lot, units=(100, 100))
    actions.record_draws(
        None,
        actor=clinician_user,
        session=full,
        draws=[(whole[0], 100), (whole[1], 100)],
        now=at(DAY, 13, 30),
    )
    for vial in whole:
        actions.close_vial(None, actor=clinician_user, vial=vial, closed_at=at(DAY, 15))
    claim = session_claim(full)
    assert claim.complete
    assert [(line.code, line.modifiers, line.billing_units) for line in claim.lines][0] == (
        "J0585",
        ("JZ",),
        200,
    )
    assert not any("JW" in line.modifiers for line in claim.lines)


def test_count_and_adjustments_need_reasons_and_are_audited(botox_lot, location, administrator):
    with pytest.raises(InvalidStockChangeError, match="note"):
        actions.adjust_stock(
            None, actor=administrator, lot=botox_lot, location=location, vials=-1, reason="other"
        )
    assert (
        actions.count_stock(
            None, actor=administrator, lot=botox_lot, location=location, counted_vials=10
        )
        is None
    )
    found = actions.count_stock(
        None, actor=administrator, lot=botox_lot, location=location, counted_vials=8
    )
    assert (found.vials, found.reason) == (-2, "count")
    assert unopened_vials(botox_lot, location) == 8
    assert AuditEvent.objects.filter(object_type="supply.StockAdjustment").count() == 1


def test_lot_recall_lists_every_patient_injected_from_it_and_empties_stock(
    botox_lot,
    botox,
    location,
    administrator,
    clinician_user,
    patient,
    other_patient,
    record_session,
):
    other_lot = ToxinLot.objects.create(
        product=botox, lot_number="OTHER", vial_size_units=100, expires_on=date(2027, 1, 1)
    )
    third = Patient.objects.create(mrn="T-0003", given_name="Theo", family_name="Third")
    vial = open_one(botox_lot, location, clinician_user)
    # Patient: recorded on the recalled lot, drawn from it.
    s1 = record_session(patient, botox_lot, units=(30, 30))
    actions.record_draws(None, actor=clinician_user, session=s1, draws=[(vial, 60)], now=at(DAY, 9))
    # Other patient: session names another lot but drew from a recalled-lot vial.
    vial2 = open_one(botox_lot, location, clinician_user, hour=10)
    s2 = record_session(other_patient, other_lot, units=(20, 20))
    actions.record_draws(
        None, actor=clinician_user, session=s2, draws=[(vial2, 40)], now=at(DAY, 10)
    )
    # Third patient: another lot entirely.
    record_session(third, other_lot, units=(20, 20))
    actions.recall_lot(None, actor=administrator, lot=botox_lot, note="Manufacturer recall")
    names = [p.family_name for p, _ in recall_patients(botox_lot)]
    assert names == ["Other", "Tester"]
    assert unopened_vials(botox_lot, location) == 0
    assert StockAdjustment.objects.get(reason="recall").vials == -8


def test_a_seeded_month_balances_per_lot_to_the_unit(
    botox_lot, botox, location, administrator, clinician_user, record_session
):
    """Thirty days of sessions, partial and whole vials, breakage and a count: every lot's
    received units equal administered + discarded + on hand + adjusted."""
    rng = random.Random(19)  # noqa: S311
    xeomin_lot = actions.receive_stock(
        None,
        actor=administrator,
        product=botox_lot.product.__class__.objects.get(code="incobotulinumtoxinA"),
        lot_number="X-77",
        vial_size_units=100,
        expires_on=date(2027, 3, 31),
        vials=6,
        ndc="00259-1610-01",
        supplier="Merz direct",
        received_on=date(2026, 10, 25),
        location=location,
    ).lot
    sessions = []
    for n in range(24):
        day = DAY + timedelta(days=n % 30)
        patient = Patient.objects.create(mrn=f"M-{n:03d}", given_name="Month", family_name=f"P{n}")
        lot = botox_lot if n % 3 else xeomin_lot
        units = (rng.randint(1, 12) * 10, rng.randint(0, 10) * 10)
        sessions.append(record_session(patient, lot, day=day, units=units))
    draw_for_sessions(sessions, location=location, actor=clinician_user, rng=rng)
    actions.adjust_stock(
        None, actor=administrator, lot=botox_lot, location=location, vials=-1, reason="breakage"
    )
    actions.count_stock(
        None,
        actor=administrator,
        lot=xeomin_lot,
        location=location,
        counted_vials=unopened_vials(xeomin_lot, location) - 1,
    )
    injected = 0
    for lot in (botox_lot, xeomin_lot):
        balance = lot_balance(lot)
        assert balance.balances, balance.as_dict()
        injected += balance.administered_units
    assert injected == sum(s.total_units for s in sessions)
    # Waste on the claims equals waste in stock, to the unit.
    jw_units = sum(
        line.product_units
        for s in sessions
        for line in session_claim(s).lines
        if "JW" in line.modifiers
    )
    assert jw_units == sum(lot_balance(lot).discarded_units for lot in (botox_lot, xeomin_lot))


def test_expiring_soon_and_below_reorder_lists(botox, botox_lot, location, administrator):
    from collis.supply.inventory import below_reorder_rows, stock_rows
    from collis.supply.models import ReorderLevel

    ReorderLevel.objects.create(product=botox, vial_size_units=100, location=location, min_vials=12)
    [row] = stock_rows(today=date(2027, 5, 15))  # lot expires 2027-06-30: within 60 days
    assert row.unopened == 10 and row.expiring_soon and not row.expired
    [short] = below_reorder_rows(today=date(2026, 11, 1))
    assert (short.unopened, short.level.min_vials) == (10, 12)
    # Expired vials do not count towards the reorder level.
    [expired] = below_reorder_rows(today=date(2027, 7, 1))
    assert expired.unopened == 0


def test_transfer_moves_vials_between_locations_and_keeps_the_balance(
    botox_lot, location, administrator
):
    from collis.providers.models import Location

    north = Location.objects.create(
        clinic=location.clinic, name="North", slug="north", street="9 Oak St", city="Evanston"
    )
    actions.transfer_stock(
        None, actor=administrator, lot=botox_lot, from_location=location, to_location=north,
        vials=3,
    )  # fmt: skip
    assert (unopened_vials(botox_lot, location), unopened_vials(botox_lot, north)) == (7, 3)
    balance = lot_balance(botox_lot)
    assert balance.balances and balance.adjusted_units == 0
    with pytest.raises(InvalidStockChangeError):
        actions.transfer_stock(
            None, actor=administrator, lot=botox_lot, from_location=north, to_location=location,
            vials=4,
        )  # fmt: skip


def test_recall_and_stock_list_include_vials_moved_to_another_location(
    botox_lot, location, administrator
):
    from collis.providers.models import Location
    from collis.supply.inventory import stock_rows

    north = Location.objects.create(
        clinic=location.clinic, name="North", slug="north", street="9 Oak St", city="Evanston"
    )
    actions.transfer_stock(
        None, actor=administrator, lot=botox_lot, from_location=location, to_location=north,
        vials=2,
    )  # fmt: skip
    assert {(r.location.slug, r.unopened) for r in stock_rows()} == {("downtown", 8), ("north", 2)}
    actions.recall_lot(None, actor=administrator, lot=botox_lot, note="recall")
    assert unopened_vials(botox_lot) == 0
