"""Advice shown when a visit is booked, contributed by apps the scheduler must not import.

Scheduling calls ``booking_warnings``; other apps (e.g. supply's prior authorisations) call
``register`` from their ``AppConfig.ready``. Checks return short messages for the desk and the
API; they advise and never refuse a booking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class BookingContext:
    patient_id: int
    on: date
    is_injection: bool


BookingCheck = Callable[[BookingContext], list[str]]
_checks: dict[str, BookingCheck] = {}


def register(name: str, check: BookingCheck) -> None:
    """Add (or replace) the check called ``name``."""
    _checks[name] = check


def booking_warnings(patient_id: int | None, on: date, *, is_injection: bool) -> list[str]:
    """Return every registered check's warnings for booking ``patient_id`` on ``on``."""
    if patient_id is None:
        return []
    context = BookingContext(patient_id, on, is_injection)
    warnings: list[str] = []
    for check in _checks.values():
        warnings.extend(check(context))
    return warnings
