"""The analysis result and its JSON form (DESIGN.md "Posture analysis contract")."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .media import MediaKind
from .quality import QualityWarning
from .series import AngleSeries
from .suggestions import SeveritySuggestion
from .tremor import TremorEstimate

# JSON precision: angles to 0.01°, times to 1 ms, ratios to 0.001.
_ANGLE_DECIMALS = 2
_TIME_DECIMALS = 3


@dataclass(frozen=True)
class HeadAngles:
    """Robust central head angles (median over frames), DESIGN.md signs, degrees.

    ``methods`` names how each angle was measured: "face_mesh", "pose_ears" or "mixed".
    """

    rotation_deg: float
    laterocollis_deg: float
    flexion_deg: float
    rotation_method: str
    laterocollis_method: str = "face_mesh"
    flexion_method: str = "face_mesh"


@dataclass(frozen=True)
class Excursion:
    """Sustained maximal excursion per angle (signed, °; None where unmeasured).

    ``reference``: "head on trunk" or "camera" — which angles it was taken from.
    """

    rotation_deg: float | None
    laterocollis_deg: float | None
    flexion_deg: float | None
    reference: str = "camera"


@dataclass(frozen=True)
class NeutralReference:
    """The patient's own neutral posture: flexion is reported against ``flexion_deg``."""

    flexion_deg: float
    label: str


@dataclass(frozen=True)
class Shifts:
    """Trunk-relative findings; None where the view does not allow them.

    ``lateral_offset``: head centre offset from the shoulder midpoint in shoulder widths (> 0
    toward the patient's left). ``head_roll_vs_trunk_deg``: laterocollis measured against the
    trunk (``trunk_reference`` "hips" or "shoulders") instead of the camera vertical.
    """

    lateral_shift: bool | None
    sagittal_shift: bool | None
    shoulder_elevation_deg: float | None
    lateral_offset: float | None
    head_roll_vs_trunk_deg: float | None
    trunk_reference: str | None
    trunk_turn_deg: float | None


@dataclass(frozen=True)
class PostureResult:
    """Everything measured on one photo or video.

    ``to_dict()`` gives exactly the DESIGN.md JSON object; the other fields carry the detail
    behind it (methods, uncertainty flags, warning codes).
    """

    source: str
    kind: MediaKind
    fps: float | None
    frames: int
    frames_with_face: int
    angles: HeadAngles
    shifts: Shifts
    tremor: TremorEstimate
    severity: tuple[SeveritySuggestion, ...]
    warnings: tuple[QualityWarning, ...]
    series: AngleSeries
    fraction_near_neutral: float | None
    dropped_frames: int
    mirrored: bool
    # Median RMS residual of the rigid fit as a fraction of the face's size, and the median
    # largest per-axis difference between the fit and the solvePnP cross-check (degrees).
    fit_residual: float | None = None
    pnp_disagreement_deg: float | None = None
    head_on_trunk: HeadAngles | None = None
    head_on_trunk_series: AngleSeries | None = None
    # The trunk's yaw (BlazePose's metric shoulder line, rotation sign; median over the frames
    # with a face) and whether head_on_trunk's rotation has it subtracted (analysis.py,
    # TRUNK_YAW_SUBTRACTED).
    trunk_yaw_deg: float | None = None
    trunk_yaw_subtracted: bool = False
    excursion: Excursion | None = None
    # "reference_face" (packaged astronaut reference, pitch zero uncalibrated) or
    # "neutral_recording" (the patient's own clinician-marked neutral, ``neutral_label``).
    flexion_reference: str = "reference_face"
    neutral_label: str | None = None
    # The neutral's flexion subtracted from every flexion value (0 against the reference face).
    neutral_offset_deg: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the DESIGN.md JSON object (plain Python values, no NaN)."""
        return {
            "source": self.source,
            "kind": self.kind,
            "fps": _number(self.fps, 3),
            "frames": self.frames,
            "frames_with_face": self.frames_with_face,
            "angles": {
                "rotation_deg": _number(self.angles.rotation_deg, _ANGLE_DECIMALS),
                "laterocollis_deg": _number(self.angles.laterocollis_deg, _ANGLE_DECIMALS),
                "flexion_deg": _number(self.angles.flexion_deg, _ANGLE_DECIMALS),
            },
            "shifts": {
                "lateral_shift": self.shifts.lateral_shift,
                "sagittal_shift": self.shifts.sagittal_shift,
                "shoulder_elevation_deg": _number(
                    self.shifts.shoulder_elevation_deg, _ANGLE_DECIMALS
                ),
            },
            "tremor": {
                "frequency_hz": _number(self.tremor.frequency_hz, 3),
                "amplitude_deg": _number(self.tremor.amplitude_deg, _ANGLE_DECIMALS),
                "axis": self.tremor.axis,
                "detected": self.tremor.detected,
            },
            "twstrs_severity": {item.item: item.grade for item in self.severity},
            "quality": {"warnings": [w.message for w in self.warnings]},
            "series": {
                "t": [_number(v, _TIME_DECIMALS) for v in self.series.t],
                **_series_angles(self.series),
            },
            "head_on_trunk": None
            if self.head_on_trunk is None
            else {
                "rotation_deg": _number(self.head_on_trunk.rotation_deg, _ANGLE_DECIMALS),
                "laterocollis_deg": _number(self.head_on_trunk.laterocollis_deg, _ANGLE_DECIMALS),
                "flexion_deg": _number(self.head_on_trunk.flexion_deg, _ANGLE_DECIMALS),
                "series": _series_angles(self.head_on_trunk_series)
                if self.head_on_trunk_series is not None
                else None,
                "trunk_yaw_deg": _number(self.trunk_yaw_deg, _ANGLE_DECIMALS),
                "trunk_yaw_subtracted": self.trunk_yaw_subtracted,
            },
            "excursion": None
            if self.excursion is None
            else {
                "rotation_deg": _number(self.excursion.rotation_deg, _ANGLE_DECIMALS),
                "laterocollis_deg": _number(self.excursion.laterocollis_deg, _ANGLE_DECIMALS),
                "flexion_deg": _number(self.excursion.flexion_deg, _ANGLE_DECIMALS),
                "reference": self.excursion.reference,
            },
            "flexion_reference": {
                "kind": self.flexion_reference,
                "neutral": self.neutral_label,
                "offset_deg": _number(self.neutral_offset_deg, _ANGLE_DECIMALS),
            },
        }


def _number(value: float | None, decimals: int) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), decimals)


def _series_angles(series: AngleSeries) -> dict[str, list[float | None]]:
    return {
        "rotation_deg": [_number(v, _ANGLE_DECIMALS) for v in series.rotation_deg],
        "laterocollis_deg": [_number(v, _ANGLE_DECIMALS) for v in series.laterocollis_deg],
        "flexion_deg": [_number(v, _ANGLE_DECIMALS) for v in series.flexion_deg],
    }
