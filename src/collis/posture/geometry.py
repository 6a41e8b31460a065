"""Head orientation from a 3-D face mesh: rigid fit, Euler angles, PnP cross-check.

Frames: the camera frame is x right, y down, z away from the camera (right-handed, the same as
OpenCV's). MediaPipe face landmarks de-normalised as (x·W, y·H, z·W) live in that frame
(posture-research.md §2.2, aspect-ratio pitfall). Rotations map the reference face onto the
observed face: ``observed ≈ s·R·reference + t``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

# Phone main cameras are ≈24–28 mm-equivalent, i.e. f ≈ 0.75–0.9·max(W, H)
# (posture-research.md §2.2, focal length pitfall).
FOCAL_LENGTH_PER_IMAGE_SIDE = 0.8


@dataclass(frozen=True)
class SimilarityFit:
    """Result of a weighted Umeyama fit ``target ≈ scale·rotation·source + translation``."""

    rotation: FloatArray
    scale: float
    translation: FloatArray
    rms_residual: float  # in source units (i.e. after dividing by ``scale``)


@dataclass(frozen=True)
class CameraAngles:
    """Euler angles in degrees of R = Ry(yaw)·Rx(pitch)·Rz(roll), camera frame."""

    yaw_deg: float
    pitch_deg: float
    roll_deg: float


@dataclass(frozen=True)
class PatientAngles:
    """Head angles in the patient's anatomical frame (DESIGN.md sign conventions).

    rotation_deg > 0: chin toward the patient's left shoulder; laterocollis_deg > 0: left ear
    down; flexion_deg > 0: chin down.
    """

    rotation_deg: float
    laterocollis_deg: float
    flexion_deg: float


class SimilarityFitter:
    """Weighted Umeyama (1991) fits of many targets onto one fixed, weighted source.

    Everything that depends only on the source and the weights is computed once; points without
    weight are dropped (they change nothing). Raises ValueError when fewer than three points
    carry weight.
    """

    def __init__(self, source: FloatArray, weights: FloatArray) -> None:
        w = np.asarray(weights, dtype=np.float64)
        used = np.flatnonzero(w > 0)
        if len(used) < 3:
            raise ValueError("a rigid fit needs at least three weighted points")
        self._used = None if len(used) == len(w) else used
        w = w[used] / w[used].sum()
        source = np.asarray(source, dtype=np.float64)[used]
        self._w = w
        self._mu_s = w @ source
        src = source - self._mu_s
        self._source = source
        # Σ wᵢ·srcᵢ = 0, so the covariance needs no centred target: Σ wᵢ·tᵢ·srcᵢᵀ.
        self._weighted_src = src * w[:, None]
        self._source_variance = float(w @ np.sum(src * src, axis=1))

    def fit(self, target: FloatArray) -> SimilarityFit:
        """Return the transform taking the source onto ``target`` (same points, same order)."""
        if self._used is not None:
            target = target[self._used]
        w = self._w
        mu_t = w @ target
        covariance = target.T @ self._weighted_src
        u, singular, vt = np.linalg.svd(covariance)
        # det(U·Vᵀ) = ±1, expanded in Python floats (np.linalg.det costs ~7 µs a call).
        (a0, a1, a2), (b0, b1, b2), (c0, c1, c2) = (u @ vt).tolist()
        det = a0 * (b1 * c2 - b2 * c1) - a1 * (b0 * c2 - b2 * c0) + a2 * (b0 * c1 - b1 * c0)
        sign = 1.0 if det >= 0 else -1.0
        if sign < 0:
            u = u.copy()
            u[:, 2] = -u[:, 2]
        rotation = u @ vt
        scale = float(singular[0] + singular[1] + sign * singular[2]) / self._source_variance
        translation = mu_t - scale * rotation @ self._mu_s
        residual = target - (scale * self._source @ rotation.T + translation)
        rms = math.sqrt(float(w @ np.sum(residual * residual, axis=1))) / scale
        return SimilarityFit(rotation, scale, translation, rms)


def fit_similarity(source: FloatArray, target: FloatArray, weights: FloatArray) -> SimilarityFit:
    """Return the weighted least-squares similarity transform taking ``source`` onto ``target``.

    Umeyama (1991) with per-point weights; the determinant correction keeps a proper rotation.
    Raises ValueError when fewer than three points carry weight.
    """
    return SimilarityFitter(source, weights).fit(target)


def rotation_from_euler(angles: CameraAngles) -> FloatArray:
    """Return R = Ry(yaw)·Rx(pitch)·Rz(roll) for angles in degrees."""
    a, b, c = (math.radians(v) for v in (angles.yaw_deg, angles.pitch_deg, angles.roll_deg))
    ry = np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])
    rx = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
    rz = np.array([[math.cos(c), -math.sin(c), 0], [math.sin(c), math.cos(c), 0], [0, 0, 1]])
    return ry @ rx @ rz


def euler_from_rotation(rotation: FloatArray) -> CameraAngles:
    """Decompose a rotation matrix as Ry(yaw)·Rx(pitch)·Rz(roll).

    The vertical axis comes first so the singularity sits at pitch ±90°, not at yaw ±90° where
    TWSTRS rotation grade 4 lives (posture-research.md §2.2, Euler order).
    """
    r = rotation
    pitch = math.asin(max(-1.0, min(1.0, -float(r[1, 2]))))
    yaw = math.atan2(float(r[0, 2]), float(r[2, 2]))
    roll = math.atan2(float(r[1, 0]), float(r[1, 1]))
    return CameraAngles(math.degrees(yaw), math.degrees(pitch), math.degrees(roll))


def patient_angles(camera: CameraAngles) -> PatientAngles:
    """Convert camera-frame angles of an unmirrored view to the patient's frame.

    The patient's left is on the image right. A positive camera yaw (about y pointing down)
    swings the nose toward the image left, i.e. toward the patient's right: negate it. A positive
    camera roll lowers the image-right side (patient's left ear); a positive camera pitch lowers
    the nose (chin down). Both already match DESIGN.md.
    """
    return PatientAngles(
        rotation_deg=-camera.yaw_deg,
        laterocollis_deg=camera.roll_deg,
        flexion_deg=camera.pitch_deg,
    )


def solve_pnp_rotation(
    image_points: FloatArray, reference: FloatArray, image_size: tuple[int, int]
) -> CameraAngles | None:
    """Return head angles from cv2.solvePnP on many mesh points, or None if it fails.

    A pinhole camera with f = 0.8·max(W, H) and the principal point at the image centre; used as
    a cross-check of the weak-perspective fit (posture-research.md §2.1 (a)).
    """
    width, height = image_size
    focal = FOCAL_LENGTH_PER_IMAGE_SIDE * max(width, height)
    camera = np.array([[focal, 0, width / 2], [0, focal, height / 2], [0, 0, 1]], dtype=np.float64)
    ok, rvec, _tvec = cv2.solvePnP(
        np.ascontiguousarray(reference, dtype=np.float64),
        np.ascontiguousarray(image_points[:, :2], dtype=np.float64),
        camera,
        None,
        flags=cv2.SOLVEPNP_SQPNP,
    )
    if not ok:
        return None
    rotation, _ = cv2.Rodrigues(rvec)
    return euler_from_rotation(rotation)


def angle_difference_deg(a: float, b: float) -> float:
    """Return a − b wrapped into (−180°, 180°]."""
    d = (a - b + 180.0) % 360.0 - 180.0
    return 180.0 if d == -180.0 else d
