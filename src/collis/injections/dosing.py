"""Botulinum-toxin label rules for cervical dystonia (pure: no Django imports).

Units are each product's own and are never converted silently (clinical.md §3 [V]: labels say
units cannot be interchanged). ``check_session`` returns warnings a clinician must acknowledge
with a reason; ``approximate_equivalent`` is orientation only and always says so. Label figures
come from clinical.md §3–§4 with their evidence marks; where a label gives none ([U]) the field
is ``None`` or the conservative 12 weeks, and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
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
from collis.injections.errors import InvalidPlanError, ProductMismatchError
from collis.injections.safety import (
    NAIVE_START_UNITS,
    SCREENING_QUESTIONS,
    GuidanceNeed,
    ScreeningAnswers,
    dose_range,
    guidance_rule,
    linked_muscles,
    needs_imaging,
)

__all__ = [
    "ApproximateEquivalent",
    "BOTOX_WINDOW_DAYS",
    "ColCapForm",
    "CopyForward",
    "DILUTION_TOLERANCE",
    "DoseWarning",
    "DraftInjection",
    "GUIDANCE_LABELS",
    "Guidance",
    "LABELS",
    "MUSCLES",
    "MuscleSuggestion",
    "PastDose",
    "PastEvent",
    "PastSession",
    "PlannedInjection",
    "PostureComponent",
    "ProductCode",
    "ProductLabel",
    "SessionPlan",
    "Side",
    "Suggestions",
    "TWELVE_WEEKS_DAYS",
    "WarningCode",
    "approximate_equivalent",
    "change_product",
    "check_session",
    "copy_forward",
    "next_due_date",
    "suggest_muscles",
    "suggestions_as_drafts",
    "validate_label",
    "validate_plan",
]

TWELVE_WEEKS_DAYS = 84  # clinical.md §4: the ≥12-week interval comes from pivotal-trial design

# Botox's "400 U in a 3-month interval" (clinical.md §3 [V]) is read as 12 weeks = 84 days, the
# same 12 weeks as the re-treatment interval (clinical.md §4 [V]: the ≥12-week interval comes from
# pivotal-trial design; RCT time to re-treatment 80.7 days). Reading "3 months" as 84 days rather
# than calendar months is a clinic decision, not label text [U]: with calendar months every
# on-time visit on days 84–92 warned, and clinicians learned to click through. Window and
# interval live side by side in the product table (admin, audited), which refuses a window longer
# than the interval, so a visit on the recall date never fires the cumulative warning. A clinic
# that prefers calendar months sets both to 92 days.
BOTOX_WINDOW_DAYS = TWELVE_WEEKS_DAYS


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
    # None: the limit is per session; N: cumulative over any N days (see BOTOX_WINDOW_DAYS).
    limit_window_days: int | None = None
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
        # clinical.md §3 [V]: ≤400 U cumulative per 3 months, all indications; 3 months read as
        # 84 days (BOTOX_WINDOW_DAYS above) [U].
        session_limit_units=400,
        limit_window_days=BOTOX_WINDOW_DAYS,
        # clinical.md §3 [V]: limiting SCM to ≤100 U may reduce dysphagia.
        scm_advisory_units=100,
        # clinical.md §3 [S]: most patients back to baseline by ~3 months; non-US label [V]:
        # intervals < 10 weeks not advised. The stricter 12 weeks (§4) is used.
        min_interval_days=TWELVE_WEEKS_DAYS,
        units_per_botox_unit=(Decimal(1), Decimal(1)),
        # The US label also lists a 50-unit vial (issue #13 clinical review; not yet in
        # clinical.md) [S].
        vial_sizes=(50, 100, 200),
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


def gettext_noop(message: str) -> str:
    """Marks a label for the translation catalogue (makemessages); pages translate it."""
    return message


GUIDANCE_LABELS = {
    Guidance.EMG: gettext_noop("EMG"),
    Guidance.ULTRASOUND: gettext_noop("Ultrasound"),
    Guidance.LANDMARKS: gettext_noop("Anatomical landmarks"),
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
    """A plan to check. ``units_product`` is the product the doses were entered for: it must be
    the product being injected (units are never reinterpreted under another product)."""

    product: ProductLabel
    injected_on: date
    injections: tuple[PlannedInjection, ...]
    lot_expires_on: date | None = None
    units_product: str | None = None
    dilution_units_per_ml: Decimal | None = None

    @property
    def total_units(self) -> int:
        return sum(i.units for i in self.injections)


@dataclass(frozen=True)
class PastSession:
    product_code: str
    injected_on: date
    total_units: int


@dataclass(frozen=True)
class PastDose:
    muscle: str
    side: Side
    units: int

    @property
    def muscle_label(self) -> str:
        return MUSCLES.get(self.muscle, self.muscle)


@dataclass(frozen=True)
class PastEvent:
    """An adverse event after an earlier session, with that session's doses."""

    kind: str
    kind_label: str
    severity: str
    session_on: date
    product_code: str
    doses: tuple[PastDose, ...]
    muscles: tuple[str, ...] = ()  # named by the clinician; empty: safety.EVENT_MUSCLES


class WarningCode(StrEnum):
    SESSION_LIMIT = "session_limit"
    CUMULATIVE_LIMIT = "cumulative_limit"
    ABOVE_RECOMMENDED = "above_recommended"
    SCM_DOSE = "scm_dose"
    BILATERAL_SCM = "bilateral_scm"
    INTERVAL = "interval"
    MUSCLE_DOSE = "muscle_dose"
    GUIDANCE = "guidance"
    REPEAT_AFTER_EVENT = "repeat_after_event"
    SCREENING = "screening"
    TOXIN_NAIVE_START = "toxin_naive_start"


@dataclass(frozen=True)
class DoseWarning:
    code: WarningCode
    message: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"code": str(self.code), "message": self.message, "source": self.source}


# Dilution × volume must match the units within half a unit or 5 %, whichever is larger: syringe
# volumes are read to 0.01 mL and units are whole numbers.
DILUTION_TOLERANCE = Decimal("0.05")


def validate_plan(plan: SessionPlan) -> None:
    """Raise ``InvalidPlanError`` listing every injection that cannot be recorded as given.

    Raises ``ProductMismatchError`` first when the doses were entered for another product.
    """
    if plan.units_product is not None and plan.units_product != plan.product.code:
        raise ProductMismatchError(plan.units_product, plan.product.code)
    problems: list[str] = []
    if not plan.injections:
        problems.append("Add at least one muscle with units.")
    dilution = plan.dilution_units_per_ml
    if dilution is not None and dilution <= 0:
        problems.append("The dilution must be more than 0 units per mL.")
        dilution = None
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
        whole = not isinstance(injection.units, bool) and isinstance(injection.units, int)
        if not whole:
            problems.append(f"{where}: units must be a whole number of {plan.product.unit_label}.")
        elif injection.units <= 0:
            problems.append(f"{where}: units must be more than 0.")
        if injection.sites < 1:
            problems.append(f"{where}: at least one injection site.")
        if injection.guidance not in set(Guidance):
            problems.append(f"{where}: choose the guidance used (EMG, ultrasound or landmarks).")
        if injection.volume_ml is not None and injection.volume_ml <= 0:
            problems.append(f"{where}: volume must be more than 0 mL.")
        elif injection.volume_ml is not None and dilution is not None and whole:
            expected = dilution * injection.volume_ml
            allowed = max(Decimal("0.5"), expected * DILUTION_TOLERANCE)
            if abs(Decimal(injection.units) - expected) > allowed:
                problems.append(
                    f"{where}: {injection.volume_ml} mL at {dilution} units per mL is "
                    f"{expected.normalize():f} units, not {injection.units}. Check the dose, "
                    "the volume or the dilution."
                )
    if plan.lot_expires_on is not None and plan.lot_expires_on < plan.injected_on:
        problems.append(
            f"The lot expired on {plan.lot_expires_on.isoformat()}, before the injection date."
        )
    if problems:
        raise InvalidPlanError(tuple(problems))


def _window_total(
    plan: SessionPlan, same_product: Sequence[PastSession], window_days: int
) -> tuple[int, date]:
    """Return the largest total of any ``window_days``-day window holding the plan, and the
    day that window ends. Sessions after the plan count too (a back-entered session)."""
    ends = [plan.injected_on] + [
        s.injected_on
        for s in same_product
        if plan.injected_on < s.injected_on < plan.injected_on + timedelta(days=window_days)
    ]
    best = (0, plan.injected_on)
    for end in ends:
        start = end - timedelta(days=window_days)
        total = plan.total_units + sum(
            s.total_units for s in same_product if start < s.injected_on <= end
        )
        best = max(best, (total, end), key=lambda pair: pair[0])
    return best


def check_session(
    plan: SessionPlan,
    history: Iterable[PastSession],
    events: Iterable[PastEvent] = (),
    screening: ScreeningAnswers | None = None,
) -> tuple[DoseWarning, ...]:
    """Return the warnings for ``plan`` given this patient's other sessions and past events.

    Thresholds are inclusive of the label figure: exactly the limit is allowed, one unit more
    warns; exactly the minimum interval is allowed, one day less warns. ``history`` must not
    contain the session being checked; sessions dated after the plan (a session entered late)
    are checked too.
    """
    label = plan.product
    history = list(history)
    screening_found: list[DoseWarning] = []
    if screening is not None:
        screening_found = _screening_warnings(plan, screening, history)
        history += [
            PastSession(t.product_code, date.fromisoformat(t.given_on), t.units)
            for t in screening.toxins_elsewhere
        ]
    warnings: list[DoseWarning] = []
    total = plan.total_units
    per_session = label.session_limit_units is not None and label.limit_window_days is None
    if per_session and label.session_limit_units is not None and total > label.session_limit_units:
        warnings.append(
            DoseWarning(
                WarningCode.SESSION_LIMIT,
                f"{total} {label.unit_label} exceeds the label limit of "
                f"{label.session_limit_units} {label.unit_label} per session.",
                "clinical.md §3 [V]",
            )
        )
    if label.session_limit_units is not None and label.limit_window_days is not None:
        same = [s for s in history if s.product_code == label.code]
        window_total, _ = _window_total(plan, same, label.limit_window_days)
        if window_total > label.session_limit_units:
            weeks = label.limit_window_days / 7
            span = f"{weeks:g} weeks" if weeks == int(weeks) else f"{label.limit_window_days} days"
            warnings.append(
                DoseWarning(
                    WarningCode.CUMULATIVE_LIMIT,
                    f"{window_total} {label.unit_label} within {label.limit_window_days} days "
                    f"({window_total - total} in other sessions + {total} now) exceeds the "
                    f"label limit of {label.session_limit_units} {label.unit_label} per "
                    f"{span} (the label's 3 months, read as {span}).",
                    "clinical.md §3 [V]; window reading [U]",
                )
            )
    if label.recommended_max_units is not None and total > label.recommended_max_units:
        warnings.append(
            DoseWarning(
                WarningCode.ABOVE_RECOMMENDED,
                f"{total} {label.unit_label} is above the label's recommended dose "
                f"(up to {label.recommended_max_units} {label.unit_label}).",
                "clinical.md §3 [V]",
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
                "clinical.md §3 [V]",
            )
        )
    if len(scm_sides) == 2:
        warnings.append(
            DoseWarning(
                WarningCode.BILATERAL_SCM,
                "Both sternocleidomastoids are injected: bilateral SCM injection raises the risk "
                "of dysphagia (swallowing problems).",
                "clinical.md §3 Safety [V]",
            )
        )
    warnings.extend(_muscle_warnings(plan))
    warnings.extend(_interval_warnings(plan, history))
    warnings.extend(_event_warnings(plan, events))
    warnings.extend(screening_found)
    return tuple(warnings)


def _screening_warnings(
    plan: SessionPlan, screening: ScreeningAnswers, history: Sequence[PastSession]
) -> list[DoseWarning]:
    """Return warnings from the pre-injection screening (toxin-naive start, positive answers)."""
    label = plan.product
    warnings = []
    for key, answer in screening.answers.items():
        question = SCREENING_QUESTIONS.get(key)
        if answer and question is not None:
            warnings.append(
                DoseWarning(
                    WarningCode.SCREENING,
                    f"Screening: {question.label} — {question.why}.",
                    f"Medication Guide [{question.evidence}]",
                )
            )
    if screening.toxin_naive:
        if history:
            warnings.append(
                DoseWarning(
                    WarningCode.SCREENING,
                    "Recorded as toxin-naive, but earlier toxin sessions are on file.",
                    "screening",
                )
            )
        start = NAIVE_START_UNITS.get(label.code)
        if start is not None and plan.total_units > start[0]:
            warnings.append(
                DoseWarning(
                    WarningCode.TOXIN_NAIVE_START,
                    f"{plan.total_units} {label.unit_label} as a first toxin dose: the label's "
                    f"starting dose is {start[0]} {label.unit_label}.",
                    start[1],
                )
            )
    return warnings


def _muscle_warnings(plan: SessionPlan) -> list[DoseWarning]:
    label = plan.product
    warnings = []
    for i in plan.injections:
        where = f"{MUSCLES.get(i.muscle, i.muscle)} ({i.side.value})"
        rule = guidance_rule(i.muscle)
        if rule.need is GuidanceNeed.REQUIRED and i.guidance == Guidance.LANDMARKS:
            warnings.append(
                DoseWarning(
                    WarningCode.GUIDANCE,
                    f"{where} is a {rule.reason}: inject it under ultrasound or EMG guidance, "
                    "not by anatomical landmarks alone.",
                    f"collis.injections.safety [{rule.evidence}]",
                )
            )
        reference = dose_range(label.code, i.muscle)
        if reference is not None and i.units > reference.high:
            warnings.append(
                DoseWarning(
                    WarningCode.MUSCLE_DOSE,
                    f"{i.units} {label.unit_label} into {where} is above the orientation range "
                    f"of {reference.low}–{reference.high} {label.unit_label} for one muscle "
                    "(orientation only, not a label limit).",
                    reference.source,
                )
            )
    return warnings


def _interval_warnings(plan: SessionPlan, history: Sequence[PastSession]) -> list[DoseWarning]:
    label = plan.product
    warnings = []
    before = [s.injected_on for s in history if s.injected_on <= plan.injected_on]
    after = [s.injected_on for s in history if s.injected_on > plan.injected_on]
    if before:
        last = max(before)
        days = (plan.injected_on - last).days
        if days < label.min_interval_days:
            warnings.append(
                DoseWarning(
                    WarningCode.INTERVAL,
                    f"Only {days} days since the last toxin session on {last.isoformat()}: "
                    f"{label.brand}'s minimum re-treatment interval here is "
                    f"{label.min_interval_days} days ({label.min_interval_days // 7} weeks).",
                    "clinical.md §3–§4",
                )
            )
    if after:
        following = min(after)
        days = (following - plan.injected_on).days
        if days < label.min_interval_days:
            warnings.append(
                DoseWarning(
                    WarningCode.INTERVAL,
                    f"Only {days} days before the toxin session already recorded on "
                    f"{following.isoformat()}: {label.brand}'s minimum re-treatment interval "
                    f"here is {label.min_interval_days} days.",
                    "clinical.md §3–§4",
                )
            )
    return warnings


def _event_warnings(plan: SessionPlan, events: Iterable[PastEvent]) -> list[DoseWarning]:
    warnings = []
    for event in events:
        if event.session_on > plan.injected_on:
            continue
        linked = linked_muscles(event.kind, event.muscles)
        same_product = event.product_code == plan.product.code
        for i in plan.injections:
            then = [d for d in event.doses if d.muscle == i.muscle and d.side == i.side]
            if i.muscle not in linked or not then:
                continue
            # Units compare only within one product; another product's units are not comparable,
            # so any dose to the linked muscle asks for an acknowledgement.
            if same_product and i.units < then[0].units:
                continue
            where = f"{MUSCLES.get(i.muscle, i.muscle)} ({i.side.value})"
            dose_then = f"{then[0].units} units" + ("" if same_product else " of another product")
            warnings.append(
                DoseWarning(
                    WarningCode.REPEAT_AFTER_EVENT,
                    f"{where}: {i.units} {plan.product.unit_label} planned; after "
                    f"{dose_then} here on {event.session_on.isoformat()} the patient had "
                    f"{event.kind_label.lower()} ({event.severity}).",
                    "recorded adverse event",
                )
            )
    return warnings


def next_due_date(last_injected_on: date, label: ProductLabel) -> date:
    """Return the earliest date the label interval allows the next session."""
    return last_injected_on + timedelta(days=label.min_interval_days)


def validate_label(label: ProductLabel) -> tuple[str, ...]:
    """Return the problems of a clinic's edited label figures (empty when usable).

    The cumulative window must not outlast the re-treatment interval, so the recall date never
    falls inside the window of the previous session (BOTOX_WINDOW_DAYS).
    """
    problems = []
    if label.min_interval_days < 1:
        problems.append("The minimum interval must be at least 1 day.")
    for name, value in (
        ("session limit", label.session_limit_units),
        ("recommended maximum", label.recommended_max_units),
        ("SCM advisory dose", label.scm_advisory_units),
        ("limit window", label.limit_window_days),
    ):
        if value is not None and value < 1:
            problems.append(f"The {name} must be empty or at least 1.")
    if label.limit_window_days is not None and label.session_limit_units is None:
        problems.append("A limit window needs a session limit.")
    if label.limit_window_days is not None and label.limit_window_days > label.min_interval_days:
        problems.append(
            f"The limit window ({label.limit_window_days} days) is longer than the minimum "
            f"interval ({label.min_interval_days} days): the recall would bring patients back "
            "while the last session still counts toward the limit. Make the interval at least "
            "as long as the window."
        )
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 1 for v in label.vial_sizes):
        problems.append("Vial sizes must be whole numbers of units, at least 1.")
    return tuple(problems)


@dataclass(frozen=True)
class ApproximateEquivalent:
    """A range in another product's units. Orientation only: never a dose to give."""

    low: int
    high: int
    to_label: ProductLabel
    caution: str = field(
        default=(
            "Approximate equivalent, orientation only: labels forbid converting units between "
            "products (clinical.md §3)."
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
    """A row of a plan being prepared; ``units`` is None until the clinician enters it.

    ``guidance`` is "" when the clinician must choose it (deep muscles), and ``orientation`` is
    the approximate equivalent of the old dose after a product change: text to read, never a
    value to fill in.
    """

    muscle: str
    side: Side
    units: int | None
    sites: int = 1
    guidance: str = Guidance.LANDMARKS
    orientation: str = ""


@dataclass(frozen=True)
class CopyForward:
    injections: tuple[DraftInjection, ...]
    note: str = ""
    dilution_units_per_ml: Decimal | None = None


def copy_forward(
    last: Sequence[PlannedInjection],
    last_product: ProductLabel,
    new_product: ProductLabel,
    dilution_units_per_ml: Decimal | None = None,
) -> CopyForward:
    """Return last session's plan as a draft for the new session.

    With the same product, units and dilution are copied; with another product only the muscles,
    sides, sites and guidance are: units and dilution are left blank (never converted silently),
    and each row carries its approximate equivalent as orientation text.
    """
    same = last_product.code == new_product.code
    drafts = tuple(
        DraftInjection(
            i.muscle,
            i.side,
            i.units if same else None,
            i.sites,
            i.guidance,
            "" if same else _orientation(i.units, last_product, new_product),
        )
        for i in last
    )
    note = (
        ""
        if same
        else (
            f"Last session used {last_product.brand}; units and dilution were not copied because "
            f"{last_product.unit_label} are not {new_product.unit_label}. Enter every dose in "
            f"{new_product.unit_label}."
        )
    )
    return CopyForward(drafts, note, dilution_units_per_ml if same else None)


def _orientation(units: int | None, from_label: ProductLabel, to_label: ProductLabel) -> str:
    if units is None:
        return ""
    equivalent = approximate_equivalent(units, from_label, to_label)
    was = f"was {units} {from_label.unit_label}"
    if equivalent is None:
        return f"{was}; no conversion ratio on file"
    return f"{was}; {equivalent}"


def change_product(
    rows: Sequence[DraftInjection], from_label: ProductLabel, to_label: ProductLabel
) -> CopyForward:
    """Return the rows of a plan whose product changed: units cleared, orientation text added."""
    return copy_forward(
        [
            PlannedInjection(r.muscle, r.side, r.units, r.sites, None, r.guidance)  # type: ignore[arg-type]
            for r in rows
        ],
        from_label,
        to_label,
    )


def suggestions_as_drafts(suggestions: Suggestions) -> tuple[DraftInjection, ...]:
    """Return the core suggested muscles as draft rows without units (the clinician doses).

    Muscles that need ultrasound or EMG get no guidance pre-filled: the clinician chooses it.
    """
    return tuple(
        DraftInjection(
            s.muscle, s.side, None, guidance="" if needs_imaging(s.muscle) else Guidance.LANDMARKS
        )
        for s in suggestions.muscles
        if not s.optional
    )
