"""Is a toxin injection on a date covered by a prior authorisation? (pure: no Django imports)

A warning is advice for the desk, never a refusal: the clinic decides whether to book.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class AuthStatus(StrEnum):
    COVERED = "covered"
    NONE_VALID = "none_valid"
    NO_SESSIONS_LEFT = "no_sessions_left"
    TOO_FEW_UNITS = "too_few_units"


@dataclass(frozen=True)
class Authorisation:
    id: int
    number: str
    payer: str
    product_code: str
    units_per_session: int
    sessions_approved: int
    sessions_used: int
    valid_from: date
    valid_to: date

    @property
    def sessions_left(self) -> int:
        return max(0, self.sessions_approved - self.sessions_used)

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


@dataclass(frozen=True)
class Assessment:
    status: AuthStatus
    message: str
    authorisation: Authorisation | None = None

    @property
    def warns(self) -> bool:
        return self.status is not AuthStatus.COVERED


def assess(
    authorisations: Iterable[Authorisation],
    on: date,
    *,
    product_code: str | None = None,
    planned_units: int | None = None,
) -> Assessment:
    """Return the best authorisation for an injection on ``on`` and what, if anything, is short.

    ``product_code`` None: any product; ``planned_units`` None: units are not checked.
    """
    candidates = [
        a
        for a in authorisations
        if a.valid_on(on) and (product_code is None or a.product_code == product_code)
    ]
    if not candidates:
        return Assessment(
            AuthStatus.NONE_VALID,
            f"No prior authorisation is valid on {on:%Y-%m-%d}"
            + (f" for {product_code}." if product_code else "."),
        )
    with_sessions = [a for a in candidates if a.sessions_left > 0]
    if not with_sessions:
        best = max(candidates, key=lambda a: a.valid_to)
        return Assessment(
            AuthStatus.NO_SESSIONS_LEFT,
            f"Authorisation {best.number} ({best.payer}) has no sessions left "
            f"({best.sessions_used} of {best.sessions_approved} used).",
            best,
        )
    best = max(with_sessions, key=lambda a: (a.units_per_session, a.valid_to))
    if planned_units is not None and best.units_per_session < planned_units:
        return Assessment(
            AuthStatus.TOO_FEW_UNITS,
            f"Authorisation {best.number} approves {best.units_per_session} units per session; "
            f"{planned_units} are planned.",
            best,
        )
    return Assessment(
        AuthStatus.COVERED,
        f"Covered by {best.number} ({best.payer}): {best.sessions_left} session(s) left, "
        f"{best.units_per_session} units per session, valid to {best.valid_to:%Y-%m-%d}.",
        best,
    )


def expiring_within(valid_to: date, today: date, days: int = 30) -> bool:
    """True when an authorisation ends between today and ``days`` from now."""
    return today <= valid_to <= today + timedelta(days=days)
