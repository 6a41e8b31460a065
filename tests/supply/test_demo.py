"""The demo clinic's supply obeys the app's rules: every lot balances to the unit, every demo
session drew exactly what it injected, and the desk sees authorisation warnings."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from collis.injections.models import InjectionSession, ToxinLot
from collis.supply.inventory import authorisation_status, lot_balance, session_claim

pytestmark = pytest.mark.django_db


def test_demo_year_of_sessions_balances_per_lot_and_bills_waste(demo_data):
    lots = ToxinLot.objects.filter(receipts__isnull=False).distinct()
    assert lots.exists()
    for lot in lots:
        assert lot_balance(lot).balances, (lot, lot_balance(lot).as_dict())
    sessions = InjectionSession.objects.annotate(drawn=Sum("vial_draws__units"))
    assert all(s.drawn == s.total_units for s in sessions)
    modifiers = {
        m for s in sessions[:40] for line in session_claim(s).lines for m in line.modifiers
    }
    assert {"JW", "JZ"} <= modifiers
    from django.utils import timezone

    from collis.demo.patients import clinical_demo_patients

    statuses = {
        str(authorisation_status(p.pk, timezone.localdate()).status)
        for p in clinical_demo_patients()
    }
    assert {"covered", "none_valid", "too_few_units"} <= statuses
