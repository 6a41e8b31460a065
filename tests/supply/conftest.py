"""Supply fixtures: a location with Botox stock received, and a helper to record sessions."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from collis.injections.actions import record_injection_session
from collis.injections.dosing import PlannedInjection, Side, WarningCode
from collis.injections.models import ToxinProduct
from collis.providers.models import Clinic, Location
from collis.supply import actions

DAY = date(2026, 11, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def location(db) -> Location:
    clinic = Clinic.objects.create(name="Test Dystonia Clinic", phone="(312) 555-0199")
    return Location.objects.create(
        clinic=clinic, name="Downtown", slug="downtown", street="1 Main St", city="Chicago"
    )


@pytest.fixture
def botox(db) -> ToxinProduct:
    return ToxinProduct.objects.get(code="onabotulinumtoxinA")


@pytest.fixture
def botox_lot(administrator, botox, location):
    receipt = actions.receive_stock(
        None,
        actor=administrator,
        product=botox,
        lot_number="C1234",
        vial_size_units=100,
        expires_on=date(2027, 6, 30),
        vials=10,
        ndc="00023-1145-01",
        supplier="Specialty Distributor",
        received_on=date(2026, 10, 20),
        location=location,
    )
    return receipt.lot


@pytest.fixture
def record_session(clinician_user, clinician):
    """``record_session(patient, lot, day, units_per_side)``: a bilateral SCM+splenius plan."""

    def _record(patient, lot, day=DAY, units=(50, 50), guidance="emg"):
        injections = [
            PlannedInjection("splenius_capitis", Side.LEFT, units[0], guidance=guidance),
            PlannedInjection("splenius_capitis", Side.RIGHT, units[1], guidance=guidance),
        ]
        return record_injection_session(
            None,
            actor=clinician_user,
            patient=patient,
            lot=lot,
            units_product=lot.product.code,
            injected_on=day,
            dilution_units_per_ml=50,
            injections=[i for i in injections if i.units],
            clinician=clinician,
            acknowledged=[c.value for c in WarningCode],
            acknowledgement_reason="test",
        )

    return _record
