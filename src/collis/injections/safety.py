"""Per-muscle safety tables for toxin plans (pure: no Django imports).

Three tables, each row with its evidence mark as in ``shared/clinical.md`` ([V] read in a source,
[S] secondary only, [U] not verified; confirm before relying on it):

- ``MUSCLE_GUIDANCE``: which muscles need ultrasound or EMG guidance (deep muscles near the
  carotid and vertebral arteries, the oesophagus and the lung apex).
- ``MUSCLE_DOSE_RANGES``: per product and muscle *orientation* ranges in that product's own
  units. They are not label limits: a dose above the top of the range asks for an
  acknowledgement, never blocks.
- ``EVENT_MUSCLES``: which injected muscles an adverse event is plausibly linked to, so a plan
  repeating that dose asks for an acknowledgement.

Decision support only: every warning is a suggestion to the clinician, never an order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from collis.injections.colcap import MUSCLES


class GuidanceNeed(StrEnum):
    REQUIRED = "required"  # ultrasound or EMG; landmarks alone ask for an acknowledgement
    RECOMMENDED = "recommended"  # shown as advice beside the plan
    LANDMARKS_OK = "landmarks_ok"


@dataclass(frozen=True)
class GuidanceRule:
    need: GuidanceNeed
    reason: str
    evidence: str  # "V", "S" or "U"


_DEEP_ANTERIOR = (
    "deep anterior neck muscle beside the carotid artery, vertebral artery and oesophagus"
)
_SUBOCCIPITAL = "deep suboccipital muscle beside the vertebral artery"

MUSCLE_GUIDANCE: dict[str, GuidanceRule] = {
    # clinical.md §2 [V]: anterocaput is treated with bilateral longus capitis under ultrasound +
    # EMG.
    "longus_capitis": GuidanceRule(GuidanceNeed.REQUIRED, _DEEP_ANTERIOR, "V"),
    # clinical.md §2 lists longus colli for anterocollis [V]; that it needs imaging is the same
    # anatomy as longus capitis (issue #13 clinical review) [U].
    "longus_colli": GuidanceRule(GuidanceNeed.REQUIRED, _DEEP_ANTERIOR, "U"),
    # OCI and rectus capitis posterior major: deep suboccipital, commonly ultrasound-guided [U].
    "obliquus_capitis_inferior": GuidanceRule(GuidanceNeed.REQUIRED, _SUBOCCIPITAL, "U"),
    "rectus_capitis_posterior_major": GuidanceRule(GuidanceNeed.REQUIRED, _SUBOCCIPITAL, "U"),
    # Scalenes sit over the brachial plexus and the lung apex; suprahyoids beside the pharynx;
    # the cervicis muscles lie deep to the capitis layer [U].
    "scalenes": GuidanceRule(
        GuidanceNeed.RECOMMENDED, "beside the brachial plexus and the lung apex", "U"
    ),
    "suprahyoid": GuidanceRule(
        GuidanceNeed.RECOMMENDED, "beside the pharynx (dysphagia risk)", "U"
    ),
    "splenius_cervicis": GuidanceRule(GuidanceNeed.RECOMMENDED, "deep to the capitis layer", "U"),
    "semispinalis_cervicis": GuidanceRule(
        GuidanceNeed.RECOMMENDED, "deep to the capitis layer", "U"
    ),
    "longissimus_cervicis": GuidanceRule(
        GuidanceNeed.RECOMMENDED, "deep to the capitis layer", "U"
    ),
    # clinical.md §3 Safety [V]: levator scapulae injection adds URTI and dysphagia risk.
    "levator_scapulae": GuidanceRule(
        GuidanceNeed.RECOMMENDED, "injection adds URTI and dysphagia risk", "V"
    ),
}


def guidance_rule(muscle: str) -> GuidanceRule:
    """Return the guidance rule for a muscle; superficial muscles may be injected by landmarks."""
    return MUSCLE_GUIDANCE.get(
        muscle, GuidanceRule(GuidanceNeed.LANDMARKS_OK, "superficial muscle", "U")
    )


def needs_imaging(muscle: str) -> bool:
    return guidance_rule(muscle).need is GuidanceNeed.REQUIRED


@dataclass(frozen=True)
class DoseRange:
    """An orientation range for one muscle and side, in the product's own units."""

    low: int
    high: int
    evidence: str
    source: str


# Onabotulinumtoxin A ranges per muscle and side, clinical.md §3 "Botox ranges often quoted"
# [U] (found only in a third-party app). Trapezius is quoted as 50–100 or 50–150: the lower top
# is used. "semispinalis" and "longissimus" are quoted without capitis/cervicis: both are given.
_ONA_U: dict[str, tuple[int, int]] = {
    "scm": (15, 75),
    "splenius_capitis": (50, 150),
    "trapezius": (50, 100),
    "levator_scapulae": (25, 100),
    "scalenes": (15, 50),
    "semispinalis_capitis": (50, 150),
    "semispinalis_cervicis": (50, 150),
    "longissimus_capitis": (50, 150),
    "longissimus_cervicis": (50, 150),
}
_ONA_SOURCE = "clinical.md §3 Botox per-muscle ranges [U]"
# Muscles without a quoted range (the deep muscles, splenius cervicis, suprahyoid): the top of
# the largest quoted range is used as the ceiling, so one muscle never takes more than any
# muscle's quoted range without an acknowledgement [U].
_ONA_ANY_MUSCLE = (0, 150)


def _table(factor: int, evidence: str, source: str) -> dict[str, DoseRange]:
    rows = {m: (low * factor, high * factor) for m, (low, high) in _ONA_U.items()}
    low, high = _ONA_ANY_MUSCLE
    return {
        muscle: DoseRange(*rows.get(muscle, (low * factor, high * factor)), evidence, source)
        for muscle in MUSCLES
    }


MUSCLE_DOSE_RANGES: dict[str, dict[str, DoseRange]] = {
    "onabotulinumtoxinA": _table(1, "U", _ONA_SOURCE),
    # clinical.md §3 [V]: Jost 2021 reports ona and inco per-muscle doses together (19.7–48.2 U
    # mean per muscle), and Xeomin:Botox is 1:1 [V]; so the ona ranges are used [U].
    "incobotulinumtoxinA": _table(
        1, "U", _ONA_SOURCE + "; ona and inco reported together (Jost 2021 [V]); applied [U]"
    ),
    # The ona ranges × 3, the top of the Dysport:Botox 2.5–3:1 ratio (clinical.md §3 [V]);
    # consistent with Jost 2021 abo means of 69.6–146.4 U per muscle [V]. Derived, so [U].
    "abobotulinumtoxinA": _table(
        3,
        "U",
        _ONA_SOURCE + " × 3 (Dysport:Botox 2.5–3:1 [V]; abo means 69.6–146.4 U [V]); derived [U]",
    ),
    # The ona ranges × 40, the Myobloc:Botox ≈40:1 of one review table (clinical.md §3 [V]).
    "rimabotulinumtoxinB": _table(
        40, "U", _ONA_SOURCE + " × 40 (Myobloc:Botox ≈40:1 [V]); derived [U]"
    ),
    # Daxxify: no ratio and no per-muscle figures on file (clinical.md §3) — no ranges.
}


def dose_range(product_code: str, muscle: str) -> DoseRange | None:
    return MUSCLE_DOSE_RANGES.get(product_code, {}).get(muscle)


class EventKind(StrEnum):
    """Adverse-event kinds: clinical.md §3 Safety, plus the labels' boxed-warning effects of
    distant spread (swallowing and breathing problems [V]; voice change, ptosis, diplopia,
    generalised weakness from the Medication Guide [S]) and anaphylaxis [S]."""

    DYSPHAGIA = "dysphagia"
    BREATHING_DIFFICULTY = "breathing_difficulty"
    VOICE_CHANGE = "voice_change"
    PTOSIS = "ptosis"
    DIPLOPIA = "diplopia"
    GENERALISED_WEAKNESS = "generalised_weakness"
    ANAPHYLAXIS = "anaphylaxis"
    NECK_WEAKNESS = "neck_weakness"
    INJECTION_SITE_PAIN = "injection_site_pain"
    HEADACHE = "headache"
    URTI = "urti"
    DRY_MOUTH = "dry_mouth"
    OTHER = "other"


def gettext_noop(message: str) -> str:
    """Marks a label for the translation catalogue (makemessages); pages translate it."""
    return message


EVENT_LABELS: dict[str, str] = {
    EventKind.DYSPHAGIA: gettext_noop("Swallowing difficulty (dysphagia)"),
    EventKind.BREATHING_DIFFICULTY: gettext_noop("Breathing difficulty"),
    EventKind.VOICE_CHANGE: gettext_noop("Voice change (hoarseness, dysphonia)"),
    EventKind.PTOSIS: gettext_noop("Drooping eyelid (ptosis)"),
    EventKind.DIPLOPIA: gettext_noop("Double or blurred vision (diplopia)"),
    EventKind.GENERALISED_WEAKNESS: gettext_noop("Generalised muscle weakness"),
    EventKind.ANAPHYLAXIS: gettext_noop("Allergic reaction (anaphylaxis)"),
    EventKind.NECK_WEAKNESS: gettext_noop("Neck weakness"),
    EventKind.INJECTION_SITE_PAIN: gettext_noop("Injection-site pain"),
    EventKind.HEADACHE: gettext_noop("Headache"),
    EventKind.URTI: gettext_noop("Upper respiratory infection"),
    EventKind.DRY_MOUTH: gettext_noop("Dry mouth"),
    EventKind.OTHER: gettext_noop("Other"),
}

# Events of the boxed warning (distant spread of toxin effect) and hypersensitivity.
BOXED_WARNING_EVENTS = frozenset(
    {
        EventKind.DYSPHAGIA,
        EventKind.BREATHING_DIFFICULTY,
        EventKind.VOICE_CHANGE,
        EventKind.PTOSIS,
        EventKind.DIPLOPIA,
        EventKind.GENERALISED_WEAKNESS,
        EventKind.ANAPHYLAXIS,
    }
)
# Events a patient must be told to call emergency services for at once (labels' boxed warning:
# swallowing and breathing problems can be life threatening [V]; anaphylaxis [S]).
EMERGENCY_EVENTS = frozenset({EventKind.BREATHING_DIFFICULTY, EventKind.ANAPHYLAXIS})

_ANTERIOR = frozenset({"scm", "longus_colli", "longus_capitis", "scalenes", "suprahyoid"})
ALL = frozenset(MUSCLES)
# Which injected muscles an event is linked to when the clinician names none.
# clinical.md §3 Safety [V]: dysphagia risk is higher with (bilateral) SCM injection; levator
# scapulae adds URTI and dysphagia risk; neck-extensor weakness after retro-form injections.
# Events of distant spread or hypersensitivity link to every muscle of that session [U].
EVENT_MUSCLES: dict[str, frozenset[str]] = {
    EventKind.DYSPHAGIA: _ANTERIOR | {"levator_scapulae"},
    EventKind.VOICE_CHANGE: _ANTERIOR,
    EventKind.URTI: frozenset({"levator_scapulae"}),
    EventKind.NECK_WEAKNESS: frozenset(
        {
            "scm",
            "splenius_capitis",
            "splenius_cervicis",
            "semispinalis_capitis",
            "semispinalis_cervicis",
            "longissimus_capitis",
            "longissimus_cervicis",
            "trapezius",
            "levator_scapulae",
            "longus_colli",
            "longus_capitis",
        }
    ),
    EventKind.DRY_MOUTH: _ANTERIOR,
    EventKind.BREATHING_DIFFICULTY: ALL,
    EventKind.PTOSIS: ALL,
    EventKind.DIPLOPIA: ALL,
    EventKind.GENERALISED_WEAKNESS: ALL,
    EventKind.ANAPHYLAXIS: ALL,
}


def linked_muscles(kind: str, named: tuple[str, ...] = ()) -> frozenset[str]:
    """Return the muscles an event is linked to: those the clinician named, else the table's."""
    if named:
        return frozenset(named)
    return EVENT_MUSCLES.get(kind, frozenset())


@dataclass(frozen=True)
class RangeRow:
    label: str
    low: int
    high: int


def range_rows(product_code: str) -> tuple[RangeRow, ...]:
    """Return a product's orientation ranges, one row per muscle, for display."""
    table = MUSCLE_DOSE_RANGES.get(product_code, {})
    return tuple(RangeRow(MUSCLES[m], r.low, r.high) for m, r in table.items())


@dataclass(frozen=True)
class GuidanceRow:
    label: str
    need: str
    reason: str
    evidence: str


def guidance_rows() -> tuple[GuidanceRow, ...]:
    """Return the muscles that need or should have ultrasound/EMG guidance, for display."""
    return tuple(
        GuidanceRow(MUSCLES[m], r.need.value, r.reason, r.evidence)
        for m, r in MUSCLE_GUIDANCE.items()
    )


# --- Pre-injection screening -----------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningQuestion:
    label: str
    why: str
    evidence: str


# The Medication Guide's "tell your doctor before your injection" items, as the issue #13 review
# lists them (myasthenia gravis/ALS, anticoagulants, aminoglycosides, pregnancy/breast-feeding,
# swallowing or breathing problems) [S: the Medication Guide wording, not in clinical.md].
SCREENING_QUESTIONS: dict[str, ScreeningQuestion] = {
    "neuromuscular_disease": ScreeningQuestion(
        gettext_noop(
            "A disease of nerves and muscles (myasthenia gravis, ALS/motor neurone disease, "
            "Lambert-Eaton syndrome)"
        ),
        "higher risk of serious swallowing and breathing problems",
        "S",
    ),
    "swallowing_problems": ScreeningQuestion(
        gettext_noop("Swallowing problems now"),
        "toxin can make swallowing worse (boxed warning [V])",
        "S",
    ),
    "breathing_problems": ScreeningQuestion(
        gettext_noop("Breathing problems (asthma, emphysema/COPD)"),
        "toxin can make breathing worse (boxed warning [V])",
        "S",
    ),
    "anticoagulants": ScreeningQuestion(
        gettext_noop(
            "Blood thinners (anticoagulants), anti-platelet medicines or a bleeding problem"
        ),
        "bleeding or bruising at deep injection sites",
        "S",
    ),
    "aminoglycosides": ScreeningQuestion(
        gettext_noop(
            "Recent antibiotic injections (aminoglycosides) or other medicines that affect "
            "nerve and muscle (muscle relaxants)"
        ),
        "can add to the toxin's effect",
        "S",
    ),
    "pregnant_or_breastfeeding": ScreeningQuestion(
        gettext_noop("Pregnant, planning pregnancy or breast-feeding"),
        "safety not established",
        "S",
    ),
    "toxin_reaction": ScreeningQuestion(
        gettext_noop("Allergy or a side effect after any botulinum toxin before"),
        "hypersensitivity or earlier distant spread",
        "S",
    ),
    "injection_site_infection": ScreeningQuestion(
        gettext_noop("Infection at the planned injection sites"),
        "labels list it as a contraindication",
        "S",
    ),
}

# Label starting doses for toxin-naive patients, in each product's own units.
NAIVE_START_UNITS: dict[str, tuple[int, str]] = {
    # clinical.md §3 [V]: Xeomin 120 U initial.
    "incobotulinumtoxinA": (120, "clinical.md §3 Xeomin 120 U initial [V]"),
    # clinical.md §3 [V]: Dysport 500 U initial over the 2–3 most active muscles.
    "abobotulinumtoxinA": (500, "clinical.md §3 Dysport 500 U initial [V]"),
    # clinical.md §3 [V]: Myobloc 2,500–5,000 U if previously tolerant, lower if toxin-naive.
    "rimabotulinumtoxinB": (2500, "clinical.md §3 Myobloc lower if toxin-naive [V]"),
    # clinical.md §3 [V]: Daxxify 125–250 U; the low end as a first dose [U].
    "daxibotulinumtoxinA": (125, "clinical.md §3 Daxxify 125–250 U [V], low end first [U]"),
    # Botox: no starting dose on file (clinical.md §3 gives the pivotal median 236 U [V]).
}

SWITCH_REASONS: dict[str, str] = {
    "primary_non_response": "No response from the start (primary non-response)",
    "secondary_non_response": "Response lost (secondary non-response)",
    "antibodies": "Neutralising antibodies",
    "adverse_events": "Side effects",
    "short_duration": "Effect wears off too early",
    "availability": "Product not available",
    "cost": "Cost or insurance",
    "patient_preference": "Patient preference",
    "other": "Other",
}


@dataclass(frozen=True)
class ToxinElsewhere:
    """Toxin given elsewhere or for another indication (cosmetic included)."""

    product_code: str
    given_on: str  # ISO date
    units: int
    indication: str = ""


@dataclass(frozen=True)
class ScreeningAnswers:
    toxin_naive: bool
    answers: dict[str, bool]
    toxins_elsewhere: tuple[ToxinElsewhere, ...] = ()


# --- Patient-reported side effects -------------------------------------------------------------

# What a patient can report from the portal, in plain words (grade 6–8).
PATIENT_SYMPTOMS: dict[str, str] = {
    EventKind.BREATHING_DIFFICULTY: gettext_noop("Trouble breathing or shortness of breath"),
    EventKind.DYSPHAGIA: gettext_noop(
        "Trouble swallowing, or food or drink going down the wrong way"
    ),
    EventKind.VOICE_CHANGE: gettext_noop("Hoarse voice or a change in my voice"),
    EventKind.PTOSIS: gettext_noop("Drooping eyelid"),
    EventKind.DIPLOPIA: gettext_noop("Double or blurred vision"),
    EventKind.GENERALISED_WEAKNESS: gettext_noop("Weakness in my arms, legs or whole body"),
    EventKind.NECK_WEAKNESS: gettext_noop("My neck feels weak or my head is hard to hold up"),
    EventKind.ANAPHYLAXIS: gettext_noop("Swelling of face, lips or tongue, hives or a rash"),
    EventKind.INJECTION_SITE_PAIN: gettext_noop("Pain where I had the injections"),
    EventKind.OTHER: gettext_noop("Something else"),
}


def triage_urgency(symptoms: tuple[str, ...] | list[str], severe: bool) -> str:
    """Return "emergency" when the patient must call emergency services now, else "triage".

    Breathing trouble and allergic reactions always; swallowing trouble when severe (boxed
    warning: swallowing and breathing problems can be life threatening [V], clinical.md §3).
    """
    if any(s in EMERGENCY_EVENTS for s in symptoms):
        return "emergency"
    if severe and EventKind.DYSPHAGIA in symptoms:
        return "emergency"
    return "triage"
