"""Trunk measures from synthetic BlazePose landmarks (unmirrored view: the patient's left is on
the image right)."""

from __future__ import annotations

import numpy as np
import pytest

from collis.posture.landmarks import (
    LEFT_EAR,
    LEFT_HIP,
    LEFT_SHOULDER,
    NOSE,
    RIGHT_EAR,
    RIGHT_HIP,
    RIGHT_SHOULDER,
)
from collis.posture.trunk import lateral_shift_present, measure_trunk, trunk_yaw_deg


def _pose(**points: tuple[float, float]) -> np.ndarray:
    pose = np.zeros((33, 4))
    names = {
        "nose": NOSE,
        "left_ear": LEFT_EAR,
        "right_ear": RIGHT_EAR,
        "left_shoulder": LEFT_SHOULDER,
        "right_shoulder": RIGHT_SHOULDER,
        "left_hip": LEFT_HIP,
        "right_hip": RIGHT_HIP,
    }
    for name, (x, y) in points.items():
        pose[names[name]] = (x, y, 0.0, 0.99)
    return pose


UPRIGHT = {
    "nose": (320.0, 150.0),
    "left_ear": (350.0, 140.0),
    "right_ear": (290.0, 140.0),
    "left_shoulder": (420.0, 300.0),
    "right_shoulder": (220.0, 300.0),
}


def test_level_shoulders_and_centred_head() -> None:
    m = measure_trunk(_pose(**UPRIGHT))
    assert m.shoulder_elevation_deg == pytest.approx(0.0)
    assert m.lateral_offset == pytest.approx(0.0)
    assert m.pose_rotation_deg == pytest.approx(0.0)
    assert m.trunk_reference == "shoulders"


def test_left_shoulder_raised_is_positive_elevation() -> None:
    pose = _pose(**{**UPRIGHT, "left_shoulder": (420.0, 300.0 - 200 * np.tan(np.radians(8)))})
    assert measure_trunk(pose).shoulder_elevation_deg == pytest.approx(8.0)


def test_head_over_left_shoulder_is_positive_offset_in_shoulder_widths() -> None:
    pose = _pose(**{**UPRIGHT, "left_ear": (390.0, 140.0), "right_ear": (330.0, 140.0)})
    assert measure_trunk(pose).lateral_offset == pytest.approx(40 / 200)


def test_nose_toward_image_right_is_rotation_to_the_patients_left() -> None:
    pose = _pose(**{**UPRIGHT, "nose": (345.0, 150.0)})
    rotation = measure_trunk(pose).pose_rotation_deg
    assert rotation is not None and rotation > 20


def test_profile_view_reads_near_ninety_degrees() -> None:
    """Ears one behind the other, nose far to the side: rotation ≈ 90°, no saturation."""
    pose = _pose(
        **{**UPRIGHT, "nose": (400.0, 150.0), "left_ear": (322, 140), "right_ear": (318, 140)}
    )
    rotation = measure_trunk(pose).pose_rotation_deg
    assert rotation is not None and 80 < rotation <= 90


def test_hips_give_the_trunk_vertical() -> None:
    pose = _pose(**UPRIGHT, left_hip=(400.0 + 60, 600.0), right_hip=(240.0 + 60, 600.0))
    m = measure_trunk(pose)
    assert m.trunk_reference == "hips"
    # Shoulders left of the hips: the trunk leans toward the image left (patient's right).
    assert m.trunk_tilt_deg == pytest.approx(-np.degrees(np.arctan2(60, 300)))


def test_invisible_shoulders_give_no_trunk_measures() -> None:
    pose = _pose(**UPRIGHT)
    pose[LEFT_SHOULDER, 3] = 0.1
    m = measure_trunk(pose)
    assert m.shoulder_elevation_deg is None and m.lateral_offset is None
    assert measure_trunk(None).pose_rotation_deg is None


@pytest.mark.parametrize(
    ("offset", "laterocollis", "expected"),
    [
        (None, 0.0, None),
        (0.05, 0.0, False),  # below the 0.10 heuristic
        (0.2, 0.0, True),  # translated, head upright
        (0.2, -8.0, True),  # translated, head tilted the other way (laterocaput/collis)
        (0.2, 12.0, False),  # the offset is just the tilt to the same side
    ],
)
def test_lateral_shift(offset: float | None, laterocollis: float, expected: bool | None) -> None:
    assert lateral_shift_present(offset, laterocollis) is expected


@pytest.mark.parametrize("turn", [-40.0, -10.0, 0.0, 25.0])
def test_trunk_yaw_comes_from_the_metric_3d_shoulder_line(turn: float) -> None:
    """Seen from above, a trunk turned toward the patient's left moves the left shoulder away
    from the camera (z up): the yaw has the head-rotation sign (DESIGN.md)."""
    half = 0.18  # metres, half the shoulder breadth
    a = np.radians(turn)
    left = [half * np.cos(a), -0.5, half * np.sin(a)]
    right = [-half * np.cos(a), -0.5, -half * np.sin(a)]
    shoulders = np.array([left, right])
    assert trunk_yaw_deg(shoulders) == pytest.approx(turn, abs=1e-9)
    assert measure_trunk(_pose(**UPRIGHT), shoulders).trunk_turn_deg == pytest.approx(turn)


def test_trunk_yaw_is_unknown_for_coincident_shoulders() -> None:
    assert trunk_yaw_deg(np.zeros((2, 3))) is None
    assert trunk_yaw_deg(np.full((2, 3), np.nan)) is None
