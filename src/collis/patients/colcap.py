"""The Col-Cap classification of a cervical dystonia posture (pure: no Django imports).

The vocabulary of a patient's diagnosis: the ten Col-Cap forms, their labels and which of them
have a side (clinical.md §2, Reichel; Jost, Tatu). ``injections.colcap`` builds its muscle
suggestions on these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "FORM_LABELS",
    "SIDED_FORMS",
    "ColCapForm",
    "PostureComponent",
    "Side",
    "other_side",
]


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


def other_side(side: Side) -> Side:
    return Side.RIGHT if side is Side.LEFT else Side.LEFT


class ColCapForm(StrEnum):
    TORTICAPUT = "torticaput"
    TORTICOLLIS = "torticollis"
    LATEROCAPUT = "laterocaput"
    LATEROCOLLIS = "laterocollis"
    ANTEROCAPUT = "anterocaput"
    ANTEROCOLLIS = "anterocollis"
    RETROCAPUT = "retrocaput"
    RETROCOLLIS = "retrocollis"
    LATERAL_SHIFT = "lateral_shift"
    SAGITTAL_SHIFT = "sagittal_shift"


FORM_LABELS: dict[ColCapForm, str] = {
    ColCapForm.TORTICAPUT: "Torticaput (rotation at C1/C2)",
    ColCapForm.TORTICOLLIS: "Torticollis (rotation of the cervical spine)",
    ColCapForm.LATEROCAPUT: "Laterocaput (tilt at C1/C2)",
    ColCapForm.LATEROCOLLIS: "Laterocollis (tilt of the cervical spine)",
    ColCapForm.ANTEROCAPUT: "Anterocaput",
    ColCapForm.ANTEROCOLLIS: "Anterocollis",
    ColCapForm.RETROCAPUT: "Retrocaput",
    ColCapForm.RETROCOLLIS: "Retrocollis",
    ColCapForm.LATERAL_SHIFT: "Lateral shift",
    ColCapForm.SAGITTAL_SHIFT: "Sagittal (forward) shift",
}
# Forms that turn or tilt toward a side; the others are midline (both sides).
SIDED_FORMS = frozenset(
    {
        ColCapForm.TORTICAPUT,
        ColCapForm.TORTICOLLIS,
        ColCapForm.LATEROCAPUT,
        ColCapForm.LATEROCOLLIS,
        ColCapForm.LATERAL_SHIFT,
    }
)


@dataclass(frozen=True)
class PostureComponent:
    """One Col-Cap form of a patient's pattern; ``side`` is the side the head turns or tilts
    toward (``None`` for midline forms)."""

    form: ColCapForm
    side: Side | None = None
