"""TWSTRS severity suggestions from measured angles.

These are suggestions for a clinician to confirm, never scores: TWSTRS is rated by an examiner
who watches the patient, and several items have no degree thresholds at all. Original TWSTRS,
Consky & Lang 1994 (clinical.md §1.1 A, D and §6).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# TWSTRS rotation bands 0° / 1–22 / 23–45 / 46–67 / 68–90° → 0–4, Consky & Lang 1994
# (clinical.md §1.1 A, §6). Upper bound of each grade in whole degrees.
ROTATION_BAND_TOPS_DEG = (0, 22, 45, 67)
# TWSTRS laterocollis bands 0° / 1–15 / 16–35 / >35° → 0–3, Consky & Lang 1994
# (clinical.md §1.1 A, §6).
LATEROCOLLIS_BAND_TOPS_DEG = (0, 15, 35)
# Antero-/retrocollis has no degree thresholds (clinical.md §1.1 A: 1 mild, 2 ≈½ of the possible
# range, 3 ≈ full range). Assumed full ranges — NOT from clinical.md, an approximation: active
# neck flexion ≈ 50°, extension ≈ 60°; grades split the range in thirds around "≈½".
FLEXION_RANGE_DEG = 50.0
EXTENSION_RANGE_DEG = 60.0
# Shoulder elevation item D is graded in thirds of the range (clinical.md §1.1 D). Assumed range
# of the shoulder-line tilt — NOT from clinical.md, own estimate: a full one-sided shrug lifts a
# shoulder ≈10 cm over a ≈40 cm shoulder width, ≈15°.
SHOULDER_ELEVATION_RANGE_DEG = 15.0
# A measured angle within this of a band edge may belong to the next grade: head-pose methods on
# dense landmarks err by ≈3–4° (posture-research.md §2.3).
MEASUREMENT_UNCERTAINTY_DEG = 4.0
# Noise floor: a head angle smaller than the engine's own stated error (±4°, above) cannot show
# a deviation, so it suggests grade 0 (flagged near the band edge), never grade 1 (issue #14: a
# 0.8° rotation suggested grade 1).
NOISE_FLOOR_DEG = MEASUREMENT_UNCERTAINTY_DEG


@dataclass(frozen=True)
class SeveritySuggestion:
    """A suggested TWSTRS severity grade for one item.

    ``approximate`` marks items whose thresholds are not degree bands of the scale itself;
    ``near_boundary`` marks angles within the measurement uncertainty of a band edge.
    """

    item: str
    grade: int
    maximum: int
    measured: float | bool
    approximate: bool
    near_boundary: bool
    basis: str
    suggestion: bool = True


def whole_degrees(angle_deg: float) -> int:
    """Return |angle| rounded half-up to whole degrees (the scale's bands are whole degrees)."""
    return int(math.floor(abs(angle_deg) + 0.5))


def band_grade(angle_deg: float, band_tops: Sequence[float]) -> int:
    """Return the grade whose band contains |angle|; beyond the last top, the top grade."""
    degrees = whole_degrees(angle_deg)
    for grade, top in enumerate(band_tops):
        if degrees <= top:
            return grade
    return len(band_tops)


def rotation_grade(rotation_deg: float) -> int:
    """Return the TWSTRS rotation grade 0–4 for a head rotation in degrees."""
    return band_grade(rotation_deg, ROTATION_BAND_TOPS_DEG)


def laterocollis_grade(laterocollis_deg: float) -> int:
    """Return the TWSTRS laterocollis grade 0–3 for a head tilt in degrees."""
    return band_grade(laterocollis_deg, LATEROCOLLIS_BAND_TOPS_DEG)


def antero_retrocollis_grade(flexion_deg: float) -> int:
    """Return an approximate antero/retrocollis grade 0–3 (thirds of the assumed range)."""
    full_range = FLEXION_RANGE_DEG if flexion_deg >= 0 else EXTENSION_RANGE_DEG
    return band_grade(flexion_deg, (0, full_range / 3, 2 * full_range / 3))


def shoulder_elevation_grade(elevation_deg: float) -> int:
    """Return an approximate shoulder-elevation grade 0–3 (thirds of the assumed range)."""
    full_range = SHOULDER_ELEVATION_RANGE_DEG
    return band_grade(elevation_deg, (0, full_range / 3, 2 * full_range / 3))


def _near_edge(angle_deg: float, band_tops: Sequence[float]) -> bool:
    edges = [top + 0.5 for top in band_tops]
    return any(abs(abs(angle_deg) - edge) < MEASUREMENT_UNCERTAINTY_DEG for edge in edges)


def suggest_severity(
    *,
    rotation_deg: float,
    laterocollis_deg: float,
    flexion_deg: float,
    lateral_shift: bool | None,
    sagittal_shift: bool | None,
    shoulder_elevation_deg: float | None,
    measured_as: str = "",
    flexion_reference: str = "pitch zero uncalibrated",
) -> tuple[SeveritySuggestion, ...]:
    """Return suggestions for every item the measurements allow, in TWSTRS order.

    ``measured_as`` says which angles were graded (e.g. "sustained maximal excursion, head on
    trunk"); it is added to each head item's basis. Angles under ``NOISE_FLOOR_DEG`` suggest
    grade 0, flagged as near a band edge.
    """
    flexion_range = FLEXION_RANGE_DEG if flexion_deg >= 0 else EXTENSION_RANGE_DEG
    flexion_tops = (0, flexion_range / 3, 2 * flexion_range / 3)
    suffix = f"; graded on the {measured_as}" if measured_as else ""

    def floored(grade: int, angle: float) -> tuple[int, bool, str]:
        if whole_degrees(angle) < NOISE_FLOOR_DEG:
            note = f"; under the ±{NOISE_FLOOR_DEG:g}° measurement error, so grade 0"
            return 0, True, note
        return grade, False, ""

    rot_grade, rot_floor, rot_note = floored(rotation_grade(rotation_deg), rotation_deg)
    lat_grade, lat_floor, lat_note = floored(laterocollis_grade(laterocollis_deg), laterocollis_deg)
    flex_grade, flex_floor, flex_note = floored(antero_retrocollis_grade(flexion_deg), flexion_deg)
    items = [
        SeveritySuggestion(
            "rotation",
            rot_grade,
            4,
            rotation_deg,
            approximate=False,
            near_boundary=rot_floor or _near_edge(rotation_deg, ROTATION_BAND_TOPS_DEG),
            basis="TWSTRS bands 0/1–22/23–45/46–67/68–90°" + suffix + rot_note,
        ),
        SeveritySuggestion(
            "laterocollis",
            lat_grade,
            3,
            laterocollis_deg,
            approximate=False,
            near_boundary=lat_floor or _near_edge(laterocollis_deg, LATEROCOLLIS_BAND_TOPS_DEG),
            basis="TWSTRS bands 0/1–15/16–35/>35°" + suffix + lat_note,
        ),
        SeveritySuggestion(
            "anterocollis_retrocollis",
            flex_grade,
            3,
            flexion_deg,
            approximate=True,
            near_boundary=flex_floor or _near_edge(flexion_deg, flexion_tops),
            basis="no degree bands in TWSTRS; thirds of an assumed range, "
            + flexion_reference
            + suffix
            + flex_note,
        ),
    ]
    for name, present in (("lateral_shift", lateral_shift), ("sagittal_shift", sagittal_shift)):
        if present is not None:
            items.append(
                SeveritySuggestion(
                    name,
                    int(present),
                    1,
                    present,
                    approximate=True,
                    near_boundary=False,
                    basis="present/absent; threshold is a heuristic",
                )
            )
    if shoulder_elevation_deg is not None:
        range_thirds = SHOULDER_ELEVATION_RANGE_DEG / 3
        items.append(
            SeveritySuggestion(
                "shoulder_elevation",
                shoulder_elevation_grade(shoulder_elevation_deg),
                3,
                shoulder_elevation_deg,
                approximate=True,
                near_boundary=_near_edge(
                    shoulder_elevation_deg, (0, range_thirds, 2 * range_thirds)
                ),
                basis="thirds of an assumed 15° range; duration not assessed",
            )
        )
    return tuple(items)
