"""Turn a posture analysis into TWSTRS suggestions for the clinician (pure: no Django imports).

The posture contract (shared/DESIGN.md) carries ``twstrs_severity``: ``{item: grade}``. Grades
become *initial values marked as suggestions*; the clinician examines and confirms each one.
Unknown items and grades outside the item's range are dropped, never clamped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from collis.scales.twstrs import ITEMS_BY_KEY, POSTURE_ITEM_KEYS

__all__ = [
    "SuggestedGrade",
    "initial_values",
    "suggest_twstrs_from_posture",
]

# Other spellings a posture engine may use for the same TWSTRS items.
_ALIASES = {
    "antero_retrocollis": "anterocollis_retrocollis",
    "anterocollis": "anterocollis_retrocollis",
    "retrocollis": "anterocollis_retrocollis",
    "tilt": "laterocollis",
}


@dataclass(frozen=True)
class SuggestedGrade:
    item: str
    grade: int
    source: str = "posture analysis"


def suggest_twstrs_from_posture(twstrs_severity: Mapping[str, object]) -> dict[str, SuggestedGrade]:
    """Return suggested severity grades keyed by TWSTRS item, from a posture ``twstrs_severity``."""
    suggestions: dict[str, SuggestedGrade] = {}
    for raw_key, raw_grade in twstrs_severity.items():
        key = _ALIASES.get(raw_key, raw_key)
        if key not in POSTURE_ITEM_KEYS or isinstance(raw_grade, bool):
            continue
        if not isinstance(raw_grade, int):
            continue
        item = ITEMS_BY_KEY[key]
        if item.minimum <= raw_grade <= item.maximum:
            suggestions[key] = SuggestedGrade(key, raw_grade)
    return suggestions


def initial_values(suggestions: Mapping[str, SuggestedGrade]) -> dict[str, int]:
    """Return form initial data from suggestions (the form marks these fields as suggested)."""
    return {key: s.grade for key, s in suggestions.items()}
