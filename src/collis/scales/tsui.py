"""Tsui scale for cervical dystonia, 0–25: items, validation and scoring.

Which signs it covers is [V]; the point scheme is [U] and lives in ``reference.py``
(clinical.md §1.3). Pure: no Django imports.

Source: Tsui JK, Eisen A, Stoessl AJ, Calne S, Calne DB. Double-blind study of botulinum toxin
in spasmodic torticollis. Lancet 1986;2(8501):245–247 [S: citation from the issue #13
clinical review; clinical.md does not list the paper].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from collis.scales import reference
from collis.scales.errors import InvalidAnswersError, ItemProblem
from collis.scales.grading import ItemSpec, check_answers

__all__ = [
    "ITEMS",
    "ITEMS_BY_KEY",
    "POSTURE",
    "SHOULDER",
    "TREMOR",
    "TSUI_SOURCE",
    "TSUI_VERSION",
    "TSUI_VERSION_LABEL",
    "TsuiScore",
    "check_tsui_draft",
    "score_tsui",
]

TSUI_VERSION = "Tsui-1986/25-commonly-cited"
TSUI_SOURCE = "Tsui JK et al. Lancet 1986;2(8501):245–247"
# The point scheme is the commonly cited one; its primary source is not verified (clinical.md
# §1.3 [U]), so the label asks the clinician to check it against their reference.
TSUI_VERSION_LABEL = (
    "Tsui scale (Tsui et al., Lancet 1986), commonly cited point scheme "
    "(A × B + C + D, max 25); check against your reference"
)

POSTURE, SHOULDER, TREMOR = "posture", "shoulder", "tremor"

ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec("rotation", "Rotation", POSTURE, 0, 3, reference.TSUI_ANGLE_GRADES),
    ItemSpec("tilt", "Tilt (laterocollis)", POSTURE, 0, 3, reference.TSUI_ANGLE_GRADES),
    ItemSpec(
        "antero_retrocollis",
        "Antero- or retrocollis",
        POSTURE,
        0,
        3,
        reference.TSUI_ANTERO_RETRO_GRADES,
    ),
    ItemSpec(
        "posture_duration",
        "Abnormal posture is… (multiplier)",
        POSTURE,
        1,
        2,
        reference.TSUI_POSTURE_DURATION_GRADES,
    ),
    ItemSpec(
        "shoulder_elevation",
        "Shoulder elevation",
        SHOULDER,
        0,
        3,
        reference.TSUI_SHOULDER_GRADES,
    ),
    ItemSpec(
        "tremor_severity",
        "Head tremor severity",
        TREMOR,
        0,
        2,
        reference.TSUI_TREMOR_SEVERITY_GRADES,
    ),
    ItemSpec(
        "tremor_duration",
        "Head tremor duration",
        TREMOR,
        0,
        2,
        reference.TSUI_TREMOR_DURATION_GRADES,
    ),
)
ITEMS_BY_KEY = {item.key: item for item in ITEMS}


@dataclass(frozen=True)
class TsuiScore:
    answers: Mapping[str, int]
    posture: int  # A × B
    shoulder: int  # C
    tremor: int  # D
    version: str = TSUI_VERSION

    @property
    def total(self) -> int:
        return self.posture + self.shoulder + self.tremor

    @property
    def subscores(self) -> dict[str, int]:
        return {POSTURE: self.posture, SHOULDER: self.shoulder, TREMOR: self.tremor}


def _check_tremor_consistency(clean: Mapping[str, int]) -> None:
    severity, duration = clean.get("tremor_severity"), clean.get("tremor_duration")
    if severity is None or duration is None or (severity == 0) == (duration == 0):
        return
    item = ITEMS_BY_KEY["tremor_duration" if severity == 0 else "tremor_severity"]
    raise InvalidAnswersError(
        (
            ItemProblem(
                item.key,
                item.label,
                "tremor severity and duration must both be 0 (no tremor) or both 1–2",
            ),
        )
    )


def check_tsui_draft(answers: Mapping[str, object]) -> dict[str, int]:
    """Return the answered items of a draft; missing items are fine, bad grades raise."""
    clean = check_answers(ITEMS, answers, require_all=False)
    _check_tremor_consistency(clean)
    return clean


def score_tsui(answers: Mapping[str, object]) -> TsuiScore:
    """Score a complete Tsui scale: (rotation + tilt + antero/retro) × duration + shoulder + tremor.

    Raises ``InvalidAnswersError`` naming every missing, unknown, out-of-range or inconsistent item.
    """
    clean = check_answers(ITEMS, answers, require_all=True)
    _check_tremor_consistency(clean)
    amplitude = clean["rotation"] + clean["tilt"] + clean["antero_retrocollis"]
    return TsuiScore(
        answers=clean,
        posture=amplitude * clean["posture_duration"],
        shoulder=clean["shoulder_elevation"],
        tremor=clean["tremor_severity"] * clean["tremor_duration"],
    )
