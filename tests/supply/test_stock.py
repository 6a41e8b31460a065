"""Beyond-use, draw checks and the per-lot unit balance (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collis.supply import stock
from collis.supply.errors import OverdrawError, VialNotUsableError

NOW = datetime(2026, 11, 2, 15, tzinfo=UTC)
TODAY = date(2026, 11, 2)


def vial(**kw):
    base = {
        "product_code": "onabotulinumtoxinA",
        "size_units": 100,
        "drawn_units": 0,
        "beyond_use_at": NOW + timedelta(hours=2),
        "lot_expires_on": date(2027, 6, 30),
        "closed": False,
        "patient_ids": frozenset(),
    }
    base.update(kw)
    return stock.VialState(**base)


def draw(v, units=50, patient=1, multi=False, now=NOW, product="onabotulinumtoxinA"):
    stock.check_draw(
        v,
        product_code=product,
        units=units,
        patient_id=patient,
        now=now,
        today=now.date(),
        multi_patient_policy=multi,
    )


@pytest.mark.parametrize(
    ("product", "hours"),
    [
        ("onabotulinumtoxinA", 24),
        ("abobotulinumtoxinA", 24),
        ("incobotulinumtoxinA", 24),
        ("daxibotulinumtoxinA", 72),
    ],
)
def test_beyond_use_time_comes_from_the_label_table(product, hours):
    assert stock.beyond_use_at(product, NOW) == NOW + timedelta(hours=hours)
    assert stock.BEYOND_USE[product].evidence in {"[V]", "[S]", "[U]"}


def test_a_vial_past_its_beyond_use_time_cannot_be_drawn_from():
    with pytest.raises(VialNotUsableError, match="beyond-use"):
        draw(vial(beyond_use_at=NOW - timedelta(minutes=1)))
    assert not stock.usable(vial(beyond_use_at=NOW), now=NOW, today=TODAY)


def test_expired_lot_closed_vial_and_other_product_are_refused():
    with pytest.raises(VialNotUsableError, match="expired"):
        draw(vial(lot_expires_on=TODAY - timedelta(days=1)))
    with pytest.raises(VialNotUsableError, match="closed"):
        draw(vial(closed=True))
    with pytest.raises(VialNotUsableError, match="different product"):
        draw(vial(), product="incobotulinumtoxinA")


def test_single_dose_vial_is_not_shared_without_the_policy():
    used = vial(drawn_units=40, patient_ids=frozenset({7}))
    with pytest.raises(VialNotUsableError, match="not shared"):
        draw(used, patient=8)
    draw(used, patient=8, multi=True)
    draw(used, patient=7)


def test_cannot_draw_more_than_is_left():
    with pytest.raises(OverdrawError, match="Only 10"):
        draw(vial(drawn_units=90), units=11)


def test_discard_at_close_is_what_was_not_drawn():
    assert stock.discard_at_close(200, 140) == 60
    with pytest.raises(OverdrawError):
        stock.discard_at_close(100, 101)


@given(
    size=st.sampled_from([50, 100, 200, 300, 500]),
    received=st.integers(0, 30),
    data=st.data(),
)
def test_balance_holds_for_any_sequence_of_draws_and_closes(size, received, data):
    opened_n = data.draw(st.integers(0, received))
    removed = data.draw(st.integers(0, received - opened_n))
    opened = []
    for _ in range(opened_n):
        drawn = data.draw(st.integers(0, size))
        closed = data.draw(st.booleans())
        opened.append((drawn, stock.discard_at_close(size, drawn) if closed else None))
    balance = stock.lot_balance(
        vial_size_units=size,
        received_vials=received,
        adjustment_vials=[-removed] if removed else [],
        opened=opened,
    )
    assert balance.balances
    assert balance.unopened_vials == received - removed - opened_n


def test_expiring_soon_reorder_and_waste():
    assert stock.expiring_soon(TODAY + timedelta(days=30), TODAY, 60)
    assert not stock.expiring_soon(TODAY - timedelta(days=1), TODAY, 60)
    assert stock.below_reorder(1, 2) and not stock.below_reorder(2, 2)
    assert stock.waste_percent(150, 50) == 25.0
    assert stock.waste_percent(0, 0) is None


def test_single_dose_vial_serves_one_session_even_for_the_same_patient():
    """Xeomin's label page [S]: one injection session and one patient per vial."""
    used = vial(drawn_units=40, patient_ids=frozenset({7}), session_ids=frozenset({70}))
    with pytest.raises(VialNotUsableError, match="one session"):
        stock.check_draw(
            used,
            product_code="onabotulinumtoxinA",
            units=10,
            patient_id=7,
            session_id=71,
            now=NOW,
            today=TODAY,
            multi_patient_policy=False,
        )
    stock.check_draw(
        used,
        product_code="onabotulinumtoxinA",
        units=10,
        patient_id=7,
        session_id=71,
        now=NOW,
        today=TODAY,
        multi_patient_policy=True,
    )
