"""Turn one frame's landmarks into a few numbers: head angles, trunk measures, image quality."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
from numpy.typing import NDArray

from .geometry import (
    FOCAL_LENGTH_PER_IMAGE_SIDE,
    PatientAngles,
    SimilarityFitter,
    angle_difference_deg,
    euler_from_rotation,
    patient_angles,
    solve_pnp_rotation,
)
from .landmarks import Landmarks
from .reference_face import MESH_POINTS, ReferenceFace
from .trunk import TrunkMeasurement, measure_trunk

FloatArray = NDArray[np.float64]
RotationMethod = Literal["face_mesh", "pose_ears"]

# MediaPipe face landmarks are reported to struggle beyond ~45° of rotation
# (posture-research.md §2.2 [S33]); past it the pose-based estimate may take over.
MESH_RELIABLE_ROTATION_DEG = 45.0
# The nose/ear estimate blends in over this range of |mesh rotation| (smoothstep weight 0 → 1),
# so the series never steps when the estimator changes (issue #14: 9–19° steps, flipping three
# times in 0.1 s at the edge). Own choice: full weight at the 45° above.
BLEND_START_DEG = 30.0
BLEND_END_DEG = 45.0
# The pose correction (pose rotation − mesh rotation at the last pose run, 2 Hz at most) moves
# toward each new value at this rate, so a pose refresh never steps the series either: 30°/s is
# 1°/frame at 30 fps, a third of a fast voluntary turn's speed. Own choice.
CORRECTION_RATE_DEG_PER_S = 30.0
# The reported method switches to "pose_ears" when the blended-in correction reaches 3° and back
# when it falls below 1.5° (hysteresis, so one frame's jitter does not flip it). Own choice.
METHOD_ON_DEG, METHOD_OFF_DEG = 3.0, 1.5
# The blend weight follows the mesh rotation smoothed over ~0.15 s (exponential), so landmark
# jitter is not amplified by the weight's slope in the blend range. Own choice.
WEIGHT_SMOOTHING_S = 0.15
# Blur and brightness are measured on the face crop resized to this width so the Laplacian
# variance does not depend on face size.
QUALITY_CROP_WIDTH_PX = 128


@dataclass(frozen=True)
class FrameMeasurement:
    """Everything kept about one frame (a handful of floats, so long videos stay small)."""

    t: float
    angles: PatientAngles | None
    rotation_method: RotationMethod | None
    fit_residual: float | None
    pnp_disagreement_deg: float | None
    face_width_px: float | None
    line_of_sight_deg: float | None
    face_luma: float | None
    face_sharpness: float | None
    trunk: TrunkMeasurement

    @property
    def has_face(self) -> bool:
        """Return whether head angles were measured in this frame."""
        return self.angles is not None


@dataclass(frozen=True, eq=False)
class Overlay:
    """Drawing material for annotation: landmarks and the head axes (origin + 3 tips), pixels."""

    landmarks: Landmarks
    axis_origin: FloatArray | None
    axis_tips: FloatArray | None


def measure_frame(
    t: float,
    rgb: NDArray[np.uint8],
    landmarks: Landmarks,
    reference: ReferenceFace,
    *,
    trunk: TrunkMeasurement | None = None,
    diagnostics: bool = True,
    blender: RotationBlender | None = None,
    pose_new: bool = True,
) -> tuple[FrameMeasurement, Overlay]:
    """Measure one frame; the face-dependent fields are None when no face was found.

    ``trunk``: the trunk measures of ``landmarks.pose`` if already known (a video holds one pose
    for many frames). ``diagnostics=False`` skips the PnP cross-check and the face-crop
    brightness and blur (their fields stay None); they only feed medians over the video.
    ``blender`` carries the mesh/pose rotation blend from frame to frame (a video passes one;
    ``pose_new`` says the pose was run on this frame); without one the blend is instantaneous.
    """
    if trunk is None:
        trunk = measure_trunk(landmarks.pose, landmarks.shoulders_3d)
    if landmarks.face is None:
        empty = FrameMeasurement(t, None, None, None, None, None, None, None, None, trunk)
        return empty, Overlay(landmarks, None, None)
    height, width = rgb.shape[:2]
    mesh = landmarks.face[:MESH_POINTS]
    fit = _fitter(reference).fit(mesh)
    spread = _spread(reference)
    camera = euler_from_rotation(fit.rotation)
    mesh_angles = patient_angles(camera)
    rotation, method = (blender or RotationBlender()).blend(
        t, mesh_angles.rotation_deg, trunk.pose_rotation_deg, pose_new
    )
    angles = PatientAngles(rotation, mesh_angles.laterocollis_deg, mesh_angles.flexion_deg)
    pnp = solve_pnp_rotation(mesh, reference.vertices, (width, height)) if diagnostics else None
    disagreement = None
    if pnp is not None:
        disagreement = max(
            abs(angle_difference_deg(a, b))
            for a, b in zip(
                (camera.yaw_deg, camera.pitch_deg, camera.roll_deg),
                (pnp.yaw_deg, pnp.pitch_deg, pnp.roll_deg),
                strict=True,
            )
        )
    x0, y0 = mesh[:, 0].min(), mesh[:, 1].min()
    x1, y1 = mesh[:, 0].max(), mesh[:, 1].max()
    centre = np.array([(x0 + x1) / 2 - width / 2, (y0 + y1) / 2 - height / 2])
    focal = FOCAL_LENGTH_PER_IMAGE_SIDE * max(width, height)
    line_of_sight = math.degrees(math.atan(float(np.hypot(*centre)) / focal))
    luma, sharpness = _face_crop_quality(rgb, (x0, y0, x1, y1)) if diagnostics else (None, None)
    origin = mesh[1]  # nose tip
    axis_length = 0.8 * fit.scale  # reference units: outer-eye distance = 1
    # Row i is the reference axis i (x right, y down, z away) as seen in the image.
    tips = origin + axis_length * fit.rotation.T
    measurement = FrameMeasurement(
        t=t,
        angles=angles,
        rotation_method=method,
        fit_residual=fit.rms_residual / spread,
        pnp_disagreement_deg=disagreement,
        face_width_px=float(x1 - x0),
        line_of_sight_deg=line_of_sight,
        face_luma=luma,
        face_sharpness=sharpness,
        trunk=trunk,
    )
    return measurement, Overlay(landmarks, origin, tips)


def blend_weight(mesh_rotation_deg: float) -> float:
    """Weight of the nose/ear correction: 0 inside the mesh's range, 1 beyond, smooth between."""
    x = (abs(mesh_rotation_deg) - BLEND_START_DEG) / (BLEND_END_DEG - BLEND_START_DEG)
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def correction_target(mesh_rotation_deg: float, pose_rotation_deg: float | None) -> float:
    """How far the nose/ear estimate says the head is turned beyond the mesh's reading.

    Only where the mesh nears its limit, the two agree on the side, and the pose says
    further (the mesh saturates; it does not exaggerate). Otherwise 0.
    """
    m, p = mesh_rotation_deg, pose_rotation_deg
    if p is None or abs(m) < BLEND_START_DEG or p * m <= 0 or abs(p) <= abs(m):
        return 0.0
    return p - m


class RotationBlender:
    """Blend the face-mesh rotation with the pose's nose/ear estimate, continuously.

    rotation = mesh + w(|mesh|)·c, where c follows the latest correction target
    (``correction_target`` at the last pose run) at ``CORRECTION_RATE_DEG_PER_S``: continuous
    in the mesh reading, and a new pose changes it by at most 1° a frame.
    """

    def __init__(self) -> None:
        self._target = 0.0
        self._correction: float | None = None
        self._t: float | None = None
        self._pose_method = False
        self._smoothed: float | None = None

    def blend(
        self, t: float, mesh_rotation_deg: float, pose_rotation_deg: float | None, pose_new: bool
    ) -> tuple[float, RotationMethod]:
        """Return the rotation of the frame at ``t`` and the method it is reported under."""
        if pose_new or self._correction is None:
            self._target = correction_target(mesh_rotation_deg, pose_rotation_deg)
        if self._correction is None or self._smoothed is None or self._t is None or t < self._t:
            self._correction = self._target
            self._smoothed = mesh_rotation_deg
        else:
            step = CORRECTION_RATE_DEG_PER_S * (t - self._t)
            self._correction += min(step, max(-step, self._target - self._correction))
            alpha = 1.0 - math.exp(-(t - self._t) / WEIGHT_SMOOTHING_S)
            self._smoothed += alpha * (mesh_rotation_deg - self._smoothed)
        self._t = t
        weight = blend_weight(self._smoothed)
        effect = weight * abs(self._correction)
        self._pose_method = effect >= METHOD_ON_DEG or (
            self._pose_method and effect >= METHOD_OFF_DEG
        )
        method: RotationMethod = "pose_ears" if self._pose_method else "face_mesh"
        return mesh_rotation_deg + weight * self._correction, method


def _face_crop_quality(
    rgb: NDArray[np.uint8], box: tuple[float, float, float, float]
) -> tuple[float | None, float | None]:
    height, width = rgb.shape[:2]
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(width, x1), min(height, y1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None, None
    crop = cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY)
    crop_height = max(4, round(QUALITY_CROP_WIDTH_PX * (y1 - y0) / (x1 - x0)))
    crop = cv2.resize(crop, (QUALITY_CROP_WIDTH_PX, crop_height), interpolation=cv2.INTER_AREA)
    luma = float(crop.mean())
    contrast = float(crop.var())
    if contrast < 1e-6:
        return luma, 0.0
    # Laplacian variance over intensity variance: a blur measure that darkness does not fake.
    # 16-bit output is exact for a 3×3 Laplacian of 8-bit input (|value| ≤ 1020) and much faster
    # than 64-bit floats.
    laplacian = cv2.Laplacian(crop, cv2.CV_16S)
    sharpness = float(laplacian.var(dtype=np.float64)) / contrast
    return luma, sharpness


@functools.lru_cache(maxsize=4)
def _fitter(reference: ReferenceFace) -> SimilarityFitter:
    return SimilarityFitter(reference.vertices, reference.rigid_weight)


@functools.lru_cache(maxsize=4)
def _spread(reference: ReferenceFace) -> float:
    # RMS distance of the reference vertices from the origin: the fit residual's unit.
    return math.sqrt(float(np.mean(np.sum(reference.vertices**2, axis=1))))
