"""Botulinum-toxin label rules for cervical dystonia (pure: no Django imports).

Units are each product's own and are never converted silently (clinical.md §3 [V]: labels say
units cannot be interchanged). ``check_session`` returns warnings a clinician must acknowledge
with a reason; ``approximate_equivalent`` is orientation only and always says so. Label figures
come from clinical.md §3–§4 with their evidence marks; where a label gives none ([U]) the field
is ``None`` or the conservative 12 weeks, and says so.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from collis.injections.colcap import (  # noqa: F401  (re-exported: dosing is the public face)
    MUSCLES,
    ColCapForm,
    MuscleSuggestion,
    PostureComponent,
    Side,
    Suggestions,
    suggest_muscles,
)
from collis.injections.errors import InvalidPlanError

TWELVE_WEEKS_DAYS = 84  # clinical.md §4: the ≥12-week interval comes from pivotal-trial design


class ProductCode(StrEnum):
    ONABOTULINUMTOXINA = "onabotulinumtoxinA"
    ABOBOTULINUMTOXINA = "abobotulinumtoxinA"
    INCOBOTULINUMTOXINA = "incobotulinumtoxinA"
    RIMABOTULINUMTOXINB = "rimabotulinumtoxinB"
    DAXIBOTULINUMTOXINA = "daxibotulinumtoxinA"


@dataclass(frozen=True)
class ProductLabel:
    """The label figures the checks use. Units are this product's own units."""

    code: str
    generic_name: str
    brand: str
    session_limit_units: int | None = None
    # None: the limit is per session; N: cumulative over the N calendar months up to the session.
    limit_window_months: int | None = None
    recommended_max_units: int | None = None
    scm_advisory_units: int | None = None
    min_interval_days: int = TWELVE_WEEKS_DAYS
    # Product units per one onabotulinumtoxinA unit (low, high), orientation only; None: unknown.
    units_per_botox_unit: tuple[Decimal, Decimal] | None = None
    vial_sizes: tuple[int, ...] = ()

    @property
    def unit_label(self) -> str:
        return f"{self.brand} units"


LABELS: dict[str, ProductLabel] = {
    ProductCode.ONABOTULINUMTOXINA: ProductLabel(
        code=ProductCode.ONABOTULINUMTOXINA,
        generic_name="onabotulinumtoxinA",
        brand="Botox",
        # clinical.md §3 [V]: ≤400 U cumulative per 3 months, all indications.
        session_limit_units=400,
        limit_window_months=3,
        # clinical.md §3 [V]: limiting SCM to ≤100 U may reduce dysphagia.
        scm_advisory_units=100,
        # clinical.md §3 [S]: most patients back to baseline by ~3 months; non-US label [V]:
        # intervals < 10 weeks not advised. The stricter 12 weeks (§4) is used.
        min_interval_days=TWELVE_WEEKS_DAYS,
        units_per_botox_unit=(Decimal(1), Decimal(1)),
        vial_sizes=(100, 200),
    ),
    ProductCode.ABOBOTULINUMTOXINA: ProductLabel(
        code=ProductCode.ABOBOTULINUMTOXINA,
        generic_name="abobotulinumtoxinA",
        brand="Dysport",
        # clinical.md §3 [V]: EU SmPC later doses 250–1000 U; 1000 U is the top of the label range.
        session_limit_units=1000,
        # clinical.md §3 [V]: retreat ≥12 weeks.
        min_interval_days=TWELVE_WEEKS_DAYS,
        # clinical.md §3 [V]: Dysport:Botox 2.5–3:1 (systematic review; RCT found 3:1).
        units_per_botox_unit=(Decimal("2.5"), Decimal(3)),
        vial_sizes=(300, 500),
    ),
    ProductCode.INCOBOTULINUMTOXINA: ProductLabel(
        code=ProductCode.INCOBOTULINUMTOXINA,
        generic_name="incobotulinumtoxinA",
        brand="Xeomin",
        # clinical.md §3 [V]: ≤400 U per session, any indication.
        session_limit_units=400,
        # clinical.md §3: ≥12 weeks US [S]; ≥10 weeks EU [V]. The stricter 12 weeks is used.
        min_interval_days=TWELVE_WEEKS_DAYS,
        # clinical.md §3 [V]: Xeomin:Botox 1:1.
        units_per_botox_unit=(Decimal(1), Decimal(1)),
        vial_sizes=(50, 100, 200),
    ),
    ProductCode.RIMABOTULINUMTOXINB: ProductLabel(
        code=ProductCode.RIMABOTULINUMTOXINB,
        generic_name="rimabotulinumtoxinB",
        brand="Myobloc",
        # clinical.md §3: session limit [U] (none on file).
        session_limit_units=None,
        # clinical.md §3 [V]: 2,500–5,000 U if previously tolerant (lower if toxin-naïve).
        recommended_max_units=5000,
        # clinical.md §3: retreat interval [U]; conservative 12 weeks until a clinic confirms.
        min_interval_days=TWELVE_WEEKS_DAYS,
        # clinical.md §3 [V]: Myobloc:Botox ≈40:1 (one review table).
        units_per_botox_unit=(Decimal(40), Decimal(40)),
        vial_sizes=(2500, 5000, 10000),
    ),
    ProductCode.DAXIBOTULINUMTOXINA: ProductLabel(
        code=ProductCode.DAXIBOTULINUMTOXINA,
        generic_name="daxibotulinumtoxinA",
        brand="Daxxify",
        # clinical.md §3: session limit [U] (a secondary summary calls > 250 U a safety concern).
        session_limit_units=None,
        # clinical.md §3 [V]: recommended 125–250 U.
        recommended_max_units=250,
        # clinical.md §3: retreat interval [U]; conservative 12 weeks until a clinic confirms
        # (effect lasts 20–24 weeks in ASPEN-1 [V], so real intervals are usually longer).
        min_interval_days=TWELVE_WEEKS_DAYS,
        units_per_botox_unit=None,  # clinical.md §3 gives no ratio
        vial_sizes=(50, 100),
    ),
}


class Guidance(StrEnum):
    EMG = "emg"
    ULTRASOUND = "ultrasound"
    LANDMARKS = "landmarks"


GUIDANCE_LABELS = {
    Guidance.EMG: "EMG",
    Guidance.ULTRASOUND: "Ultrasound",
    Guidance.LANDMARKS: "Anatomical landmarks",
}


@dataclass(frozen=True)
class PlannedInjection:
    """Units into one muscle on one side, in the session product's own units."""

    muscle: str
    side: Side
    units: int
    sites: int = 1
    volume_ml: Decimal | None = None
    guidance: str = Guidance.LANDMARKS


@dataclass(frozen=True)
class SessionPlan:
    product: ProductLabel
    injected_on: date
    injections: tuple[PlannedInjection, ...]
    lot_expires_on: date | None = None

    @property
    def total_units(self) -> int:
        return sum(i.units for i in self.injections)


@dataclass(frozen=True)
class PastSession:
    product_code: str
    injected_on: date
    total_units: int


class WarningCode(StrEnum):
    SESSION_LIMIT = "session_limit"
    CUMULATIVE_LIMIT = "cumulative_limit"
    ABOVE_RECOMMENDED = "above_recommended"
    SCM_DOSE = "scm_dose"
    BILATERAL_SCM = "bilateral_scm"
    INTERVAL = "interval"


@dataclass(frozen=True)
class DoseWarning:
    code: WarningCode
    message: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"code": str(self.code), "message": self.message, "source": self.source}


def validate_plan(plan: SessionPlan) -> None:
    """Raise ``InvalidPlanError`` listing every injection that cannot be recorded as given."""
    problems: list[str] = []
    if not plan.injections:
        problems.append("Add at least one muscle with units.")
    seen: set[tuple[str, Side]] = set()
    for injection in plan.injections:
        name = MUSCLES.get(injection.muscle)
        if name is None:
            problems.append(f"Unknown muscle {injection.muscle!r}.")
            continue
        where = f"{name} ({injection.side.value})"
        if (injection.muscle, injection.side) in seen:
            problems.append(f"{where} is listed twice; record it once with the total units.")
        seen.add((injection.muscle, injection.side))
        if isinstance(injection.units, bool) or not isinstance(injection.units, int):
            problems.append(f"{where}: units must be a whole number of {plan.product.unit_label}.")
        elif injection.units <= 0:
            problems.append(f"{where}: units must be more than 0.")
        if injection.sites < 1:
            problems.append(f"{where}: at least one injection site.")
        if injection.volume_ml is not None and injection.volume_ml <= 0:
            problems.append(f"{where}: volume must be more than 0 mL.")
    if plan.lot_expires_on is not None and plan.lot_expires_on < plan.injected_on:
        problems.append(
            f"The lot expired on {plan.lot_expires_on.isoformat()}, before the injection date."
        )
    if problems:
        raise InvalidPlanError(tuple(problems))


def months_before(day: date, months: int) -> date:
    """Return the same day ``months`` calendar months earlier, clamped to the month's end."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def check_session(plan: SessionPlan, history: Iterable[PastSession]) -> tuple[DoseWarning, ...]:
    """Return the label warnings for ``plan`` given this patient's other sessions.

    Thresholds are inclusive of the label figure: exactly the limit is allowed, one unit more
    warns; exactly the minimum interval is allowed, one day less warns. ``history`` must not
    contain the session being checked.
    """
    label = plan.product
    past = [s for s in history if s.injected_on <= plan.injected_on]
    warnings: list[DoseWarning] = []
    total = plan.total_units
    per_session = label.session_limit_units is not None and label.limit_window_months is None
    if per_session and total > label.session_limit_units:
        warnings.append(
            DoseWarning(
                WarningCode.SESSION_LIMIT,
                f"{total} {label.unit_label} exceeds the label limit of "
                f"{label.session_limit_units} {label.unit_label} per session.",
                "product label",  # clinical.md §3
            )
        )
    if label.session_limit_units is not None and label.limit_window_months is not None:
        window_start = months_before(plan.injected_on, label.limit_window_months)
        earlier = sum(
            s.total_units
            for s in past
            if s.product_code == label.code and s.injected_on > window_start
        )
        if earlier + total > label.session_limit_units:
            warnings.append(
                DoseWarning(
                    WarningCode.CUMULATIVE_LIMIT,
                    f"{earlier + total} {label.unit_label} within {label.limit_window_months} "
                    f"months ({earlier} earlier + {total} now) exceeds the label limit of "
                    f"{label.session_limit_units} {label.unit_label} per "
                    f"{label.limit_window_months} months.",
                    "product label",  # clinical.md §3
                )
            )
    if label.recommended_max_units is not None and total > label.recommended_max_units:
        warnings.append(
            DoseWarning(
                WarningCode.ABOVE_RECOMMENDED,
                f"{total} {label.unit_label} is above the label's recommended dose "
                f"(up to {label.recommended_max_units} {label.unit_label}).",
                "product label",  # clinical.md §3
            )
        )
    scm_sides = {i.side for i in plan.injections if i.muscle == "scm" and i.units > 0}
    scm_units = sum(i.units for i in plan.injections if i.muscle == "scm")
    if label.scm_advisory_units is not None and scm_units > label.scm_advisory_units:
        warnings.append(
            DoseWarning(
                WarningCode.SCM_DOSE,
                f"{scm_units} {label.unit_label} into the SCM: the label notes that "
                f"{label.scm_advisory_units} units or less may reduce dysphagia.",
                "product label",  # clinical.md §3
            )
        )
    if len(scm_sides) == 2:
        warnings.append(
            DoseWarning(
                WarningCode.BILATERAL_SCM,
                "Both sternocleidomastoids are injected: bilateral SCM injection raises the risk "
                "of dysphagia (swallowing problems).",
                "product label, safety section",  # clinical.md §3 Safety
            )
        )
    if past:
        last = max(s.injected_on for s in past)
        days = (plan.injected_on - last).days
        if days < label.min_interval_days:
            warnings.append(
                DoseWarning(
                    WarningCode.INTERVAL,
                    f"Only {days} days since the last toxin session on {last.isoformat()}: "
                    f"{label.brand}'s minimum re-treatment interval here is "
                    f"{label.min_interval_days} days ({label.min_interval_days // 7} weeks).",
                    "product label and trial re-treatment intervals",  # clinical.md §3–§4
                )
            )
    return tuple(warnings)


def next_due_date(last_injected_on: date, label: ProductLabel) -> date:
    """Return the earliest date the label interval allows the next session."""
    return date.fromordinal(last_injected_on.toordinal() + label.min_interval_days)


@dataclass(frozen=True)
class ApproximateEquivalent:
    """A range in another product's units. Orientation only: never a dose to give."""

    low: int
    high: int
    to_label: ProductLabel
    caution: str = field(
        default=(
            "Approximate equivalent, orientation only: labels forbid converting units between "
            "products."  # clinical.md §3
        )
    )

    def __str__(self) -> str:
        span = str(self.low) if self.low == self.high else f"{self.low}–{self.high}"
        return f"≈ {span} {self.to_label.unit_label} (approximate equivalent, orientation only)"


def approximate_equivalent(
    units: int, from_label: ProductLabel, to_label: ProductLabel
) -> ApproximateEquivalent | None:
    """Return an approximate range in ``to_label`` units, or None when no ratio is on file.

    Ratios from clinical.md §3 (orientation only). The range spans both ratio ends, rounded
    outward to whole units so it never looks more precise than the sources.
    """
    if from_label.code == to_label.code:
        return None
    if from_label.units_per_botox_unit is None or to_label.units_per_botox_unit is None:
        return None
    from_low, from_high = from_label.units_per_botox_unit
    to_low, to_high = to_label.units_per_botox_unit
    low = Decimal(units) / from_high * to_low
    high = Decimal(units) / from_low * to_high
    return ApproximateEquivalent(
        low=int(low.to_integral_value(rounding="ROUND_FLOOR")),
        high=int(high.to_integral_value(rounding="ROUND_CEILING")),
        to_label=to_label,
    )


@dataclass(frozen=True)
class DraftInjection:
    """A row of a plan being prepared; ``units`` is None until the clinician enters it."""

    muscle: str
    side: Side
    units: int | None
    sites: int = 1
    guidance: str = Guidance.LANDMARKS


@dataclass(frozen=True)
class CopyForward:
    injections: tuple[DraftInjection, ...]
    note: str = ""


def copy_forward(
    last: Sequence[PlannedInjection], last_product: ProductLabel, new_product: ProductLabel
) -> CopyForward:
    """Return last session's plan as a draft for the new session.

    With the same product, units are copied; with another product only the muscles, sides, sites
    and guidance are, and units are left blank: units are never converted silently.
    """
    same = last_product.code == new_product.code
    drafts = tuple(
        DraftInjection(i.muscle, i.side, i.units if same else None, i.sites, i.guidance)
        for i in last
    )
    note = (
        ""
        if same
        else (
            f"Last session used {last_product.brand}; units were not copied because "
            f"{last_product.unit_label} are not {new_product.unit_label}."
        )
    )
    return CopyForward(drafts, note)


def suggestions_as_drafts(suggestions: Suggestions) -> tuple[DraftInjection, ...]:
    """Return the core suggested muscles as draft rows without units (the clinician doses)."""
    return tuple(
        DraftInjection(s.muscle, s.side, None) for s in suggestions.muscles if not s.optional
    )
