"""Vial stock arithmetic and beyond-use rules (pure: no Django imports).

Units are always the product's own units (clinical.md §3 [V]: never interchangeable). A lot's
units balance, per lot, as

    received = administered + discarded + on hand + adjusted

where *adjusted* counts units taken out of stock by adjustments (breakage, expiry, recall, a
count that found fewer vials), and *on hand* is unopened vials plus what is left in open vials.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from collis.supply.errors import OverdrawError, VialNotUsableError


@dataclass(frozen=True)
class BeyondUse:
    """How long a vial may be used after it is reconstituted (or opened), from its label."""

    hours: int
    evidence: str  # [V] read in the label, [S] secondary (manufacturer site quoting it), [U]
    source: str
    note: str = ""


# Beyond-use times after reconstitution. Each figure was read in the named source; none in the
# FDA label PDF itself, hence [S]. A clinic should check them against the current label.
BEYOND_USE: dict[str, BeyondUse] = {
    "onabotulinumtoxinA": BeyondUse(
        24,
        "[S]",
        "Botox US label text as quoted on botoxsarasotafl.com: 'administered within 24 hours "
        "after reconstitution', refrigerated 2–8 °C",
        "Older labels said 4 hours [S]; the current 24 hours is used.",
    ),
    "abobotulinumtoxinA": BeyondUse(
        24,
        "[S]",
        "Product page paradise-csmtc.com: 'use reconstituted solution within 24 hours'",
        "[U] emedtv.com says 4 hours; confirm against the current Dysport label.",
    ),
    "incobotulinumtoxinA": BeyondUse(
        24,
        "[S]",
        "xeomin.com HCP reconstitution page quoting the package insert: within 24 hours, "
        "refrigerated 2–8 °C",
    ),
    "rimabotulinumtoxinB": BeyondUse(
        4,
        "[U]",
        "Myobloc is a ready-to-use solution (no reconstitution; prescriberpoint.com label "
        "text, one session, one patient); 4 hours after dilution is not verified",
        "Confirm the diluted-solution time against the current Myobloc label.",
    ),
    "daxibotulinumtoxinA": BeyondUse(
        72,
        "[S]",
        "Ellis et al., Toxins 2023;15:683 (abstract): DAXI has a labelled shelf life of 72 h "
        "after reconstitution",
    ),
}


def beyond_use_at(product_code: str, opened_at: datetime) -> datetime:
    """Return when an opened vial of ``product_code`` may no longer be drawn from."""
    return opened_at + timedelta(hours=BEYOND_USE[product_code].hours)


@dataclass(frozen=True)
class VialState:
    """An opened vial as the draw check needs it."""

    product_code: str
    size_units: int
    drawn_units: int
    beyond_use_at: datetime
    lot_expires_on: date
    closed: bool
    patient_ids: frozenset[int]  # patients already drawn for from this vial
    session_ids: frozenset[int] = frozenset()  # sessions already drawn for from this vial

    @property
    def remaining_units(self) -> int:
        return self.size_units - self.drawn_units


def check_draw(
    vial: VialState,
    *,
    product_code: str,
    units: int,
    patient_id: int,
    session_id: int | None = None,
    now: datetime,
    today: date,
    multi_patient_policy: bool,
) -> None:
    """Raise unless ``units`` may be drawn from ``vial`` for a patient's session at ``now``.

    Single-dose vials serve one patient (clinical.md §7 [S]; Xeomin's label page says "only one
    injection session and only one patient" [S]) unless the clinic's documented multi-patient
    policy is on.
    """
    if units <= 0:
        raise OverdrawError("Draw a positive number of units.")
    if vial.closed:
        raise VialNotUsableError("This vial is closed.")
    if vial.product_code != product_code:
        raise VialNotUsableError("This vial is a different product from the session's.")
    if now >= vial.beyond_use_at:
        raise VialNotUsableError("This vial is past its beyond-use time after reconstitution.")
    if vial.lot_expires_on < today:
        raise VialNotUsableError("This vial's lot has expired.")
    if not multi_patient_policy and vial.patient_ids - {patient_id}:
        raise VialNotUsableError(
            "Single-dose vials are not shared between patients (no multi-patient policy)."
        )
    if not multi_patient_policy and session_id is not None and vial.session_ids - {session_id}:
        raise VialNotUsableError(
            "A single-dose vial serves one session only (no multi-patient policy)."
        )
    if units > vial.remaining_units:
        raise OverdrawError(
            f"Only {vial.remaining_units} units are left in this vial; {units} asked."
        )


def usable(vial: VialState, *, now: datetime, today: date) -> bool:
    """True while the vial is open, within beyond-use time and its lot unexpired."""
    return (
        not vial.closed
        and now < vial.beyond_use_at
        and vial.lot_expires_on >= today
        and vial.remaining_units > 0
    )


@dataclass(frozen=True)
class LotBalance:
    """One lot's units: every term counted from its own records."""

    vial_size_units: int
    received_vials: int
    adjusted_vials: int  # vials removed by adjustments (positive: fewer in stock)
    opened_vials: int
    administered_units: int
    discarded_units: int
    open_remaining_units: int  # left in vials still open

    @property
    def unopened_vials(self) -> int:
        return self.received_vials - self.adjusted_vials - self.opened_vials

    @property
    def received_units(self) -> int:
        return self.received_vials * self.vial_size_units

    @property
    def adjusted_units(self) -> int:
        return self.adjusted_vials * self.vial_size_units

    @property
    def on_hand_units(self) -> int:
        return self.unopened_vials * self.vial_size_units + self.open_remaining_units

    @property
    def balances(self) -> bool:
        """received = administered + discarded + on hand + adjusted, to the unit."""
        return self.received_units == (
            self.administered_units
            + self.discarded_units
            + self.on_hand_units
            + self.adjusted_units
        )

    def as_dict(self) -> dict[str, int | bool]:
        return {
            "received": self.received_units,
            "administered": self.administered_units,
            "discarded": self.discarded_units,
            "on_hand": self.on_hand_units,
            "adjusted": self.adjusted_units,
            "unopened_vials": self.unopened_vials,
            "balances": self.balances,
        }


def lot_balance(
    *,
    vial_size_units: int,
    received_vials: int,
    adjustment_vials: Iterable[int],
    opened: Iterable[tuple[int, int | None]],
) -> LotBalance:
    """Build a lot's balance.

    ``adjustment_vials`` are signed changes (negative: removed from stock); ``opened`` holds, per
    opened vial, (units drawn, units discarded or None while open).
    """
    opened = list(opened)
    administered = sum(drawn for drawn, _ in opened)
    discarded = sum(d for _, d in opened if d is not None)
    remaining = sum(vial_size_units - drawn for drawn, d in opened if d is None)
    return LotBalance(
        vial_size_units=vial_size_units,
        received_vials=received_vials,
        adjusted_vials=-sum(adjustment_vials),
        opened_vials=len(opened),
        administered_units=administered,
        discarded_units=discarded,
        open_remaining_units=remaining,
    )


def discard_at_close(size_units: int, drawn_units: int) -> int:
    """Return the units discarded when a vial is closed: all that was not drawn."""
    if drawn_units > size_units:
        raise OverdrawError("More units were drawn than the vial holds.")
    return size_units - drawn_units


def expiring_soon(expires_on: date, today: date, within_days: int) -> bool:
    return today <= expires_on <= today + timedelta(days=within_days)


def below_reorder(unopened_vials: int, reorder_level: int) -> bool:
    return unopened_vials < reorder_level


def waste_percent(administered: int, discarded: int) -> float | None:
    """Discarded units as a percentage of all units used (None when nothing was used)."""
    total = administered + discarded
    return None if total == 0 else round(100 * discarded / total, 1)
