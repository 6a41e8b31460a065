"""Col-Cap posture forms and the muscles commonly injected for each (pure: no Django imports).

Decision support only: ``suggest_muscles`` returns a starting list for the clinician to accept or
change, never an order. Table from clinical.md §2 (Reichel; Jost, Tatu); each row carries its
evidence mark, [V] read in a source, [U] the commonly taught list, not verified.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from collis.patients.colcap import (  # noqa: F401  (re-exported: the diagnosis vocabulary)
    FORM_LABELS,
    SIDED_FORMS,
    ColCapForm,
    PostureComponent,
    Side,
    other_side,
)

__all__ = [
    "BOTH",
    "CONTRA",
    "ColCapForm",
    "FORM_LABELS",
    "IPSI",
    "MUSCLES",
    "MuscleSuggestion",
    "PostureComponent",
    "SIDED_FORMS",
    "Side",
    "Suggestions",
    "other_side",
    "suggest_muscles",
]


def gettext_noop(message: str) -> str:
    """Marks a label for the translation catalogue (makemessages); pages translate it."""
    return message


# Muscle catalogue: code -> label. Sides are recorded per injection (left / right).
MUSCLES: dict[str, str] = {
    "scm": gettext_noop("Sternocleidomastoid (SCM)"),
    "splenius_capitis": gettext_noop("Splenius capitis"),
    "splenius_cervicis": gettext_noop("Splenius cervicis"),
    "semispinalis_capitis": gettext_noop("Semispinalis capitis"),
    "semispinalis_cervicis": gettext_noop("Semispinalis cervicis"),
    "trapezius": gettext_noop("Trapezius (upper)"),
    "levator_scapulae": gettext_noop("Levator scapulae"),
    "scalenes": gettext_noop("Scalenes"),
    "longissimus_capitis": gettext_noop("Longissimus capitis"),
    "longissimus_cervicis": gettext_noop("Longissimus cervicis"),
    "obliquus_capitis_inferior": gettext_noop("Obliquus capitis inferior (OCI)"),
    "longus_capitis": gettext_noop("Longus capitis"),
    "longus_colli": gettext_noop("Longus colli"),
    "rectus_capitis_posterior_major": gettext_noop("Rectus capitis posterior major"),
    "suprahyoid": gettext_noop("Suprahyoid muscles"),
}


IPSI, CONTRA, BOTH = "ipsi", "contra", "both"


@dataclass(frozen=True)
class _Row:
    muscle: str
    where: str  # IPSI (side the head turns or tilts toward), CONTRA or BOTH
    evidence: str  # "V" or "U" (clinical.md marks)
    optional: bool = False  # "±" in the table: consider, not a core muscle


_TABLE: dict[ColCapForm, tuple[_Row, ...]] = {
    # clinical.md §2: ipsi splenius capitis + contra SCM [V] (EMG pattern in 89 % of rotational
    # CD); ipsi OCI [V] (Jost 2019); ± ipsi longissimus capitis, contra trapezius and
    # semispinalis capitis [U].
    ColCapForm.TORTICAPUT: (
        _Row("splenius_capitis", IPSI, "V"),
        _Row("scm", CONTRA, "V"),
        _Row("obliquus_capitis_inferior", IPSI, "V"),
        _Row("longissimus_capitis", IPSI, "U", optional=True),
        _Row("trapezius", CONTRA, "U", optional=True),
        _Row("semispinalis_capitis", CONTRA, "U", optional=True),
    ),
    # clinical.md §2 [U]: ipsi levator scapulae, splenius cervicis, longissimus cervicis; contra
    # semispinalis cervicis.
    ColCapForm.TORTICOLLIS: (
        _Row("levator_scapulae", IPSI, "U"),
        _Row("splenius_cervicis", IPSI, "U"),
        _Row("longissimus_cervicis", IPSI, "U"),
        _Row("semispinalis_cervicis", CONTRA, "U"),
    ),
    # clinical.md §2: ipsi SCM, splenius capitis, trapezius [V]; ± semispinalis and longissimus
    # capitis [U].
    ColCapForm.LATEROCAPUT: (
        _Row("scm", IPSI, "V"),
        _Row("splenius_capitis", IPSI, "V"),
        _Row("trapezius", IPSI, "V"),
        _Row("semispinalis_capitis", IPSI, "U", optional=True),
        _Row("longissimus_capitis", IPSI, "U", optional=True),
    ),
    # clinical.md §2 [U]: ipsi levator scapulae, scalenes, longissimus and semispinalis cervicis.
    ColCapForm.LATEROCOLLIS: (
        _Row("levator_scapulae", IPSI, "U"),
        _Row("scalenes", IPSI, "U"),
        _Row("longissimus_cervicis", IPSI, "U"),
        _Row("semispinalis_cervicis", IPSI, "U"),
    ),
    # clinical.md §2: bilateral longus capitis (ultrasound + EMG) [V]; ± suprahyoid [U].
    ColCapForm.ANTEROCAPUT: (
        _Row("longus_capitis", BOTH, "V"),
        _Row("suprahyoid", BOTH, "U", optional=True),
    ),
    # clinical.md §2 [V]: bilateral longus colli; SCM (lower portion) and scalenes.
    ColCapForm.ANTEROCOLLIS: (
        _Row("longus_colli", BOTH, "V"),
        _Row("scm", BOTH, "V"),
        _Row("scalenes", BOTH, "V"),
    ),
    # clinical.md §2 [V]: splenius and semispinalis capitis (97 % each) bilaterally; levator
    # scapulae 50 %, rectus capitis posterior major 47 %, trapezius 41 %, SCM 41 %.
    ColCapForm.RETROCAPUT: (
        _Row("splenius_capitis", BOTH, "V"),
        _Row("semispinalis_capitis", BOTH, "V"),
        _Row("levator_scapulae", BOTH, "V", optional=True),
        _Row("rectus_capitis_posterior_major", BOTH, "V", optional=True),
        _Row("trapezius", BOTH, "V", optional=True),
        _Row("scm", BOTH, "V", optional=True),
    ),
    # clinical.md §2: injected like retrocaput [V], + semispinalis cervicis [U].
    ColCapForm.RETROCOLLIS: (
        _Row("splenius_capitis", BOTH, "V"),
        _Row("semispinalis_capitis", BOTH, "V"),
        _Row("semispinalis_cervicis", BOTH, "U"),
        _Row("levator_scapulae", BOTH, "V", optional=True),
        _Row("rectus_capitis_posterior_major", BOTH, "V", optional=True),
        _Row("trapezius", BOTH, "V", optional=True),
        _Row("scm", BOTH, "V", optional=True),
    ),
}

_NOTES: dict[ColCapForm, str] = {
    # clinical.md §2 [V].
    ColCapForm.ANTEROCOLLIS: "Anterocollis: consider halving the usual SCM dose (lower portion).",
    ColCapForm.LATERAL_SHIFT: (
        "Lateral shift = laterocollis to one side + laterocaput to the other; suggestions use the "
        "recorded side as the laterocollis side."
    ),
    ColCapForm.SAGITTAL_SHIFT: "Forward sagittal shift = anterocollis + retrocaput.",
}


@dataclass(frozen=True)
class MuscleSuggestion:
    muscle: str
    side: Side
    evidence: str  # "V" if any supporting row is [V], else "U"
    optional: bool
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return MUSCLES[self.muscle]


@dataclass(frozen=True)
class Suggestions:
    """A starting list for the clinician to accept or change, with notes to read first."""

    muscles: tuple[MuscleSuggestion, ...]
    notes: tuple[str, ...]


def _expand(component: PostureComponent) -> list[PostureComponent]:
    # Shifts are combinations of two forms (clinical.md §2 [V]).
    if component.form is ColCapForm.LATERAL_SHIFT:
        if component.side is None:
            # No side recorded: nothing is assumed; both sides are suggested (see _NOTES).
            return [
                PostureComponent(ColCapForm.LATEROCOLLIS),
                PostureComponent(ColCapForm.LATEROCAPUT),
            ]
        return [
            PostureComponent(ColCapForm.LATEROCOLLIS, component.side),
            PostureComponent(ColCapForm.LATEROCAPUT, other_side(component.side)),
        ]
    if component.form is ColCapForm.SAGITTAL_SHIFT:
        return [PostureComponent(ColCapForm.ANTEROCOLLIS), PostureComponent(ColCapForm.RETROCAPUT)]
    return [component]


def _sides(where: str, side: Side | None) -> tuple[Side, ...]:
    if where == BOTH or side is None:
        return (Side.LEFT, Side.RIGHT)
    return (side,) if where == IPSI else (other_side(side),)


def suggest_muscles(components: Iterable[PostureComponent]) -> Suggestions:
    """Suggest muscles (per side) for a Col-Cap pattern, merged across its forms.

    A sided form without a side suggests both sides, so nothing is silently left out. The order is
    core muscles first, then optional ones, each in catalogue order.
    """
    merged: dict[tuple[str, Side], dict[str, Any]] = {}
    notes: list[str] = []
    for component in components:
        if component.form in _NOTES and _NOTES[component.form] not in notes:
            notes.append(_NOTES[component.form])
        if component.form in SIDED_FORMS and component.side is None:
            missing = f"{FORM_LABELS[component.form]}: no side recorded, so both sides are " + (
                "suggested. Record the side to narrow the list."
            )
            notes.append(missing)
        for part in _expand(component):
            for row in _TABLE[part.form]:
                for side in _sides(row.where, part.side):
                    entry = merged.setdefault(
                        (row.muscle, side), {"evidence": "U", "optional": True, "reasons": []}
                    )
                    if row.evidence == "V":
                        entry["evidence"] = "V"
                    entry["optional"] = entry["optional"] and row.optional
                    reason = FORM_LABELS[part.form].split(" (")[0]
                    if reason not in entry["reasons"]:
                        entry["reasons"].append(reason)
    order = list(MUSCLES)
    suggestions = sorted(
        (
            MuscleSuggestion(muscle, side, e["evidence"], e["optional"], tuple(e["reasons"]))
            for (muscle, side), e in merged.items()
        ),
        key=lambda s: (s.optional, order.index(s.muscle), s.side.value),
    )
    core_scm_sides = {s.side for s in suggestions if s.muscle == "scm" and not s.optional}
    if len(core_scm_sides) == 2:
        # clinical.md §3 Safety [V]: bilateral SCM injection raises the risk of dysphagia.
        notes.append("Both SCMs are suggested: bilateral SCM injection raises dysphagia risk.")
    return Suggestions(tuple(suggestions), tuple(notes))
