"""Is an injection covered by a prior authorisation? (pure)"""

from __future__ import annotations

from datetime import date

from collis.supply.authorisation import Authorisation, AuthStatus, assess, expiring_within


def auth(**kw):
    base = {
        "id": 1,
        "number": "PA-1",
        "payer": "Acme Health",
        "product_code": "onabotulinumtoxinA",
        "units_per_session": 300,
        "sessions_approved": 4,
        "sessions_used": 1,
        "valid_from": date(2026, 1, 1),
        "valid_to": date(2026, 12, 31),
    }
    base.update(kw)
    return Authorisation(**base)


def test_covered_when_valid_with_sessions_and_units():
    result = assess(
        [auth()], date(2026, 6, 1), product_code="onabotulinumtoxinA", planned_units=250
    )
    assert result.status is AuthStatus.COVERED and not result.warns


def test_expired_authorisation_warns_none_valid():
    result = assess([auth(valid_to=date(2026, 5, 31))], date(2026, 6, 1))
    assert result.status is AuthStatus.NONE_VALID


def test_no_sessions_left_warns():
    result = assess([auth(sessions_used=4)], date(2026, 6, 1))
    assert result.status is AuthStatus.NO_SESSIONS_LEFT


def test_fewer_units_than_planned_warns():
    result = assess([auth()], date(2026, 6, 1), planned_units=320)
    assert result.status is AuthStatus.TOO_FEW_UNITS
    assert "320" in result.message


def test_other_products_authorisation_does_not_cover():
    result = assess([auth()], date(2026, 6, 1), product_code="abobotulinumtoxinA")
    assert result.status is AuthStatus.NONE_VALID


def test_expiring_within_30_days():
    assert expiring_within(date(2026, 6, 30), date(2026, 6, 1))
    assert not expiring_within(date(2026, 7, 2), date(2026, 6, 1))
