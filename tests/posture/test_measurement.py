"""Per-frame measurement on synthetic landmarks (exact geometry, no MediaPipe)."""

from __future__ import annotations

import numpy as np
import pytest

from collis.posture.geometry import CameraAngles, rotation_from_euler
from collis.posture.landmarks import (
    LEFT_EAR,
    LEFT_SHOULDER,
    NOSE,
    RIGHT_EAR,
    RIGHT_SHOULDER,
    Landmarks,
)
from collis.posture.measurement import measure_frame
from collis.posture.reference_face import load_reference_face

FRAME = np.full((480, 640, 3), 128, np.uint8)


def _face(camera: CameraAngles) -> np.ndarray:
    """A face mesh in pixels: the reference turned by ``camera`` and centred in the frame."""
    ref = load_reference_face().vertices
    mesh = 90.0 * ref @ rotation_from_euler(camera).T + np.array([320.0, 200.0, 0.0])
    return np.vstack([mesh, np.tile(mesh[:1], (10, 1))])  # + 10 iris points, unused


def _pose(nose_x: float, left_ear_x: float, right_ear_x: float) -> np.ndarray:
    pose = np.zeros((33, 4))
    pose[NOSE] = (nose_x, 200, 0, 0.99)
    pose[LEFT_EAR] = (left_ear_x, 190, 0, 0.99)
    pose[RIGHT_EAR] = (right_ear_x, 190, 0, 0.99)
    pose[LEFT_SHOULDER] = (440, 380, 0, 0.99)
    pose[RIGHT_SHOULDER] = (200, 380, 0, 0.99)
    return pose


def test_exact_mesh_gives_exact_patient_angles() -> None:
    face = _face(CameraAngles(yaw_deg=-20.0, pitch_deg=8.0, roll_deg=5.0))
    m, overlay = measure_frame(0.5, FRAME, Landmarks(face, None), load_reference_face())
    assert m.angles is not None and m.rotation_method == "face_mesh"
    assert m.angles.rotation_deg == pytest.approx(20.0, abs=1e-6)  # nose toward image right
    assert m.angles.laterocollis_deg == pytest.approx(5.0, abs=1e-6)
    assert m.angles.flexion_deg == pytest.approx(8.0, abs=1e-6)
    assert m.fit_residual == pytest.approx(0.0, abs=1e-9)
    assert m.trunk.shoulder_elevation_deg is None  # no pose
    assert overlay.axis_tips is not None and overlay.axis_tips.shape == (3, 3)


def test_pose_estimate_takes_over_beyond_the_mesh_range() -> None:
    face = _face(CameraAngles(yaw_deg=-50.0, pitch_deg=0.0, roll_deg=0.0))
    pose = _pose(nose_x=400.0, left_ear_x=325.0, right_ear_x=315.0)  # near profile, ≈ 84°
    m, _ = measure_frame(0.0, FRAME, Landmarks(face, pose), load_reference_face())
    assert m.rotation_method == "pose_ears"
    assert m.angles is not None and m.angles.rotation_deg > 75


def test_mesh_is_kept_inside_its_range_or_when_pose_disagrees() -> None:
    ref = load_reference_face()
    inside = _face(CameraAngles(yaw_deg=-30.0, pitch_deg=0.0, roll_deg=0.0))
    pose = _pose(nose_x=400.0, left_ear_x=325.0, right_ear_x=315.0)
    m, _ = measure_frame(0.0, FRAME, Landmarks(inside, pose), ref)
    assert m.rotation_method == "face_mesh"
    opposite = _pose(nose_x=240.0, left_ear_x=325.0, right_ear_x=315.0)
    beyond = _face(CameraAngles(yaw_deg=-50.0, pitch_deg=0.0, roll_deg=0.0))
    m, _ = measure_frame(0.0, FRAME, Landmarks(beyond, opposite), ref)
    assert m.rotation_method == "face_mesh"


def test_frame_without_face_keeps_trunk_measures() -> None:
    pose = _pose(nose_x=320.0, left_ear_x=350.0, right_ear_x=290.0)
    m, overlay = measure_frame(1.0, FRAME, Landmarks(None, pose), load_reference_face())
    assert not m.has_face and m.angles is None
    assert m.trunk.shoulder_elevation_deg == pytest.approx(0.0)
    assert overlay.axis_origin is None


def _run_blender(truth: np.ndarray, t: np.ndarray, pose_every: int) -> tuple[np.ndarray, list[str]]:
    """Mesh saturating near 45° (as MediaPipe does), pose nose/ear estimate = truth at 2 Hz."""
    from collis.posture.measurement import RotationBlender

    rng = np.random.default_rng(5)
    mesh = 48.0 * np.tanh(truth / 48.0) + rng.normal(0, 0.3, len(t))
    blender = RotationBlender()
    out, methods = [], []
    pose = None
    for i, (time, m) in enumerate(zip(t, mesh, strict=True)):
        new = i % pose_every == 0
        if new:
            pose = truth[i] + rng.normal(0, 1.0)
        rotation, method = blender.blend(float(time), float(m), pose, new)
        out.append(rotation)
        methods.append(method)
    return np.array(out), methods


def test_rotation_is_continuous_across_the_estimator_switch() -> None:
    """Issue #14: 9–19° steps in one frame and flip-flopping at the switch; now continuous."""
    t = np.arange(0, 8, 1 / 30)
    tau = np.clip((t - 1) / 1.5, 0, 1)
    truth = 75.0 * tau**3 * (10 - 15 * tau + 6 * tau**2)  # min-jerk turn 0 → 75°, then hold
    truth = np.where(t > 5, truth[t <= 5][-1] * np.clip(1 - (t - 5) / 1.5, 0, 1), truth)
    rotation, methods = _run_blender(truth, t, pose_every=15)
    steps = np.abs(np.diff(rotation))
    normal = np.abs(np.diff(truth)).max()
    assert steps.max() <= normal + 1.5, (steps.max(), normal)
    # Beyond the mesh's range the blend reaches the pose estimate.
    held = (t > 3.5) & (t < 5)
    assert np.abs(rotation[held] - truth[held]).max() < 4.0
    # One switch out and one back, no flip-flopping.
    switches = sum(a != b for a, b in zip(methods, methods[1:], strict=False))
    assert switches == 2 and "pose_ears" in methods


def test_a_steady_head_at_the_edge_does_not_flip_estimators() -> None:
    t = np.arange(0, 4, 1 / 30)
    rng = np.random.default_rng(9)
    truth = 52.0 + rng.normal(0, 0.5, len(t))  # hovering where the mesh reads ≈ 38°
    rotation, methods = _run_blender(truth, t, pose_every=15)
    switches = sum(a != b for a, b in zip(methods, methods[1:], strict=False))
    assert switches <= 1
    assert np.abs(np.diff(rotation)).max() < 3.0


def test_annotation_draws_each_label_line_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #14: the overlay text was drawn twice, offset; now one boxed label."""
    import cv2

    from collis.posture.annotate import draw_overlay

    face = _face(CameraAngles(yaw_deg=-20.0, pitch_deg=8.0, roll_deg=5.0))
    m, overlay = measure_frame(0.5, FRAME, Landmarks(face, None), load_reference_face())
    drawn: list[str] = []
    real = cv2.putText

    def counting(img, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append(text)
        return real(img, text, *args, **kwargs)

    monkeypatch.setattr(cv2, "putText", counting)
    canvas = draw_overlay(FRAME, overlay, m)
    assert drawn == ["rotation +20.0", "laterocollis +5.0", "flexion +8.0"]
    assert canvas.shape == FRAME.shape and canvas[12, 12].sum() < FRAME[12, 12].sum()
