"""Pure geometry: Euler decomposition, rigid fit, sign conventions. No MediaPipe."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from collis.posture.geometry import (
    CameraAngles,
    angle_difference_deg,
    euler_from_rotation,
    fit_similarity,
    patient_angles,
    rotation_from_euler,
    solve_pnp_rotation,
)
from collis.posture.reference_face import load_reference_face

yaws = st.floats(-179.0, 179.0)
pitches = st.floats(-89.0, 89.0)  # the decomposition is singular only at pitch ±90°
rolls = st.floats(-179.0, 179.0)


@given(yaws, pitches, rolls)
def test_euler_decomposition_round_trips(yaw: float, pitch: float, roll: float) -> None:
    """Angles → matrix → angles returns the same angles, including yaw near ±90°."""
    recovered = euler_from_rotation(rotation_from_euler(CameraAngles(yaw, pitch, roll)))
    assert recovered.yaw_deg == pytest.approx(yaw, abs=1e-6)
    assert recovered.pitch_deg == pytest.approx(pitch, abs=1e-6)
    assert recovered.roll_deg == pytest.approx(roll, abs=1e-6)


@given(yaws, pitches, rolls)
def test_rotation_from_euler_is_proper_rotation(yaw: float, pitch: float, roll: float) -> None:
    r = rotation_from_euler(CameraAngles(yaw, pitch, roll))
    assert np.allclose(r @ r.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(r) == pytest.approx(1.0)


def test_yaw_near_ninety_degrees_is_not_singular() -> None:
    """TWSTRS grade 4 lives at 68–90° of rotation; the decomposition must stay exact there."""
    recovered = euler_from_rotation(rotation_from_euler(CameraAngles(89.5, 10.0, -5.0)))
    assert (recovered.yaw_deg, recovered.pitch_deg, recovered.roll_deg) == pytest.approx(
        (89.5, 10.0, -5.0), abs=1e-6
    )


@given(yaws, st.floats(-80, 80), rolls, st.floats(0.1, 10.0))
def test_fit_recovers_known_similarity(yaw: float, pitch: float, roll: float, scale: float) -> None:
    """Weighted Umeyama returns the rotation and scale used to make the target."""
    reference = load_reference_face()
    rotation = rotation_from_euler(CameraAngles(yaw, pitch, roll))
    target = scale * reference.vertices @ rotation.T + np.array([320.0, 240.0, 5.0])
    fit = fit_similarity(reference.vertices, target, reference.rigid_weight)
    assert np.allclose(fit.rotation, rotation, atol=1e-9)
    assert fit.scale == pytest.approx(scale)
    assert fit.rms_residual == pytest.approx(0.0, abs=1e-9)


def test_fit_ignores_points_without_weight() -> None:
    """Moving zero-weight points (lips, jaw) does not move the fitted rotation."""
    reference = load_reference_face()
    rotation = rotation_from_euler(CameraAngles(20, -10, 5))
    target = reference.vertices @ rotation.T
    mobile = reference.rigid_weight == 0
    target[mobile] += np.random.default_rng(0).normal(0, 0.3, size=(int(mobile.sum()), 3))
    fit = fit_similarity(reference.vertices, target, reference.rigid_weight)
    assert np.allclose(fit.rotation, rotation, atol=1e-9)


def test_fit_rejects_fewer_than_three_points() -> None:
    points = np.eye(3)
    with pytest.raises(ValueError, match="three"):
        fit_similarity(points, points, np.array([1.0, 1.0, 0.0]))


def test_patient_signs_follow_design() -> None:
    """Nose toward image right (patient's left) is positive rotation; image-right side down is
    positive laterocollis; nose down is positive flexion."""
    nose = np.array([0.0, 0.0, -1.0])  # in front of the face centre, toward the camera
    turned = rotation_from_euler(CameraAngles(-20, 0, 0)) @ nose
    assert turned[0] > 0  # the nose moved to the image right …
    assert patient_angles(CameraAngles(-20, 0, 0)).rotation_deg == 20  # … rotation to the left
    right_point = rotation_from_euler(CameraAngles(0, 0, 10)) @ np.array([1.0, 0.0, 0.0])
    assert right_point[1] > 0  # image-right side moved down (patient's left ear down)
    assert patient_angles(CameraAngles(0, 0, 10)).laterocollis_deg == 10
    nose_down = rotation_from_euler(CameraAngles(0, 15, 0)) @ nose
    assert nose_down[1] > 0
    assert patient_angles(CameraAngles(0, 15, 0)).flexion_deg == 15


def test_pnp_matches_rigid_fit_for_centred_face() -> None:
    """A centred face seen by the assumed pinhole camera gives the same angles by PnP."""
    reference = load_reference_face()
    truth = CameraAngles(25.0, -10.0, 8.0)
    width, height = 640, 480
    focal = 0.8 * width
    points = reference.vertices @ rotation_from_euler(truth).T + np.array([0, 0, 12.0])
    image = np.column_stack(
        (
            focal * points[:, 0] / points[:, 2] + width / 2,
            focal * points[:, 1] / points[:, 2] + height / 2,
        )
    )
    solved = solve_pnp_rotation(image, reference.vertices, (width, height))
    assert solved is not None
    assert (solved.yaw_deg, solved.pitch_deg, solved.roll_deg) == pytest.approx(
        (25.0, -10.0, 8.0), abs=0.05
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"), [(10, 350, 20), (350, 10, -20), (180, 0, 180), (0, 180, 180)]
)
def test_angle_difference_wraps(a: float, b: float, expected: float) -> None:
    assert angle_difference_deg(a, b) == pytest.approx(expected)
    assert math.isfinite(angle_difference_deg(a, b))
