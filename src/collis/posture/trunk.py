"""Trunk-relative measures from BlazePose landmarks of a frontal view.

Definitions follow posture-research.md §3: distances are divided by the shoulder width so they
are scale-free, the head centre is the ear midpoint (the nose moves sideways with yaw), and the
trunk vertical is hip midpoint → shoulder midpoint when the hips are visible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .landmarks import LEFT_EAR, LEFT_HIP, LEFT_SHOULDER, NOSE, RIGHT_EAR, RIGHT_HIP, RIGHT_SHOULDER

FloatArray = NDArray[np.float64]

# Pose landmarks count as seen at visibility ≥ 0.5 (posture-research.md §4.2).
MIN_VISIBILITY = 0.5
# Nose-tip depth in front of the ear axis ÷ ear-to-ear breadth, ≈10.5 cm / 14.5 cm for an adult
# head. Own anthropometric estimate for the pose-based yaw fallback; not validated.
NOSE_DEPTH_PER_EAR_BREADTH = 0.72
# Lateral shift: head centre offset from the shoulder midpoint ≥ 0.10 shoulder widths. TWSTRS
# scores the shift only as present/absent with no threshold (clinical.md §1.1 A, §6); 0.10 is the
# heuristic of the open-source yashmalai/torticollis tool (posture-research.md §7), unvalidated.
LATERAL_SHIFT_MIN_OFFSET = 0.10
# A sideways head offset that comes with a head tilt of ≥ 5° to the same side is the tilt itself,
# not a translation (posture-research.md §3: a shift keeps the head roughly upright). Own choice.
TILT_EXPLAINS_OFFSET_DEG = 5.0

TrunkReference = Literal["hips", "shoulders"]


@dataclass(frozen=True)
class TrunkMeasurement:
    """Per-frame trunk measures; None where the needed landmarks are not visible.

    shoulder_elevation_deg > 0: the patient's left shoulder is higher (image vertical is taken
    as gravity). trunk_tilt_deg uses the laterocollis sign (> 0: leaning toward the patient's
    left). lateral_offset > 0: head centre toward the patient's left, in shoulder widths.
    trunk_turn_deg > 0: the patient's left shoulder is farther from the camera (BlazePose's
    metric 3-D shoulders; the trunk's yaw in the head-rotation sign, see ``trunk_yaw_deg``).
    pose_rotation_deg: head rotation from nose vs ears (patient frame, DESIGN.md signs).
    """

    shoulder_elevation_deg: float | None
    trunk_tilt_deg: float | None
    trunk_reference: TrunkReference | None
    lateral_offset: float | None
    trunk_turn_deg: float | None
    pose_rotation_deg: float | None
    # Direction from the shoulder midpoint to the nose, degrees from image-up (0 upright,
    # ±90 lying on its side, 180 upside down); None without nose and shoulders.
    body_up_deg: float | None = None


NO_TRUNK = TrunkMeasurement(None, None, None, None, None, None)


def measure_trunk(
    pose: FloatArray | None, shoulders_3d: FloatArray | None = None
) -> TrunkMeasurement:
    """Return the trunk measures of one frame from (33, 4) pose landmarks in pixels.

    ``shoulders_3d``: BlazePose's metric 3-D shoulders of the same run (left, right; x, y, z in
    metres), used for the trunk's yaw; without them the pixel landmarks' relative z is used.
    """
    if pose is None:
        return NO_TRUNK
    pose_rotation = _pose_rotation_deg(pose)
    if not _visible(pose, LEFT_SHOULDER, RIGHT_SHOULDER):
        return TrunkMeasurement(None, None, None, None, None, pose_rotation)
    left, right = pose[LEFT_SHOULDER, :3], pose[RIGHT_SHOULDER, :3]
    across = left[:2] - right[:2]  # patient's right → left; points to the image right unmirrored
    shoulder_width = float(np.hypot(*across))
    if shoulder_width < 1.0:
        return TrunkMeasurement(None, None, None, None, None, pose_rotation)
    elevation = math.degrees(math.atan2(-across[1], across[0]))
    mid_shoulder = (left[:2] + right[:2]) / 2
    body_up = None
    if _visible(pose, NOSE):
        to_nose = pose[NOSE, :2] - mid_shoulder
        body_up = math.degrees(math.atan2(float(to_nose[0]), float(-to_nose[1])))
    if _visible(pose, LEFT_HIP, RIGHT_HIP):
        up = mid_shoulder - (pose[LEFT_HIP, :2] + pose[RIGHT_HIP, :2]) / 2
        tilt = math.degrees(math.atan2(up[0], -up[1]))
        reference: TrunkReference = "hips"
    else:
        # Without hips the shoulder line is the only trunk cue; it carries shoulder elevation.
        tilt = -elevation
        reference = "shoulders"
    offset = None
    if _visible(pose, LEFT_EAR, RIGHT_EAR):
        head_centre = (pose[LEFT_EAR, :2] + pose[RIGHT_EAR, :2]) / 2
        offset = float((head_centre - mid_shoulder) @ across) / shoulder_width**2
    turn = trunk_yaw_deg(shoulders_3d) if shoulders_3d is not None else None
    if turn is None:
        turn = math.degrees(math.atan2(float(left[2] - right[2]), shoulder_width))
    return TrunkMeasurement(elevation, tilt, reference, offset, turn, pose_rotation, body_up)


def trunk_yaw_deg(shoulders_3d: FloatArray) -> float | None:
    """Return the trunk's yaw from the metric 3-D shoulders (rotation sign), or None.

    The shoulder line seen from above: yaw = atan2(z_left − z_right, x_left − x_right), > 0 when
    the patient's left shoulder is farther from the camera, i.e. the trunk turned toward the
    patient's left, the sign of head rotation (DESIGN.md). This is how MediaPipe's maintainers
    suggest orienting the pose skeleton (the direction between the two shoulders,
    google-ai-edge/mediapipe#3370); BlazePose's z is fitted, not measured, so the value is a
    model estimate (posture-research.md §3).
    """
    across = shoulders_3d[0] - shoulders_3d[1]
    if not np.all(np.isfinite(across)) or math.hypot(float(across[0]), float(across[2])) < 1e-3:
        return None
    return math.degrees(math.atan2(float(across[2]), float(across[0])))


def lateral_shift_present(lateral_offset: float | None, laterocollis_deg: float) -> bool | None:
    """Return whether the head is translated sideways over the shoulders, None if unknown."""
    if lateral_offset is None:
        return None
    if abs(lateral_offset) < LATERAL_SHIFT_MIN_OFFSET:
        return False
    same_side_tilt = laterocollis_deg * lateral_offset > 0
    return not (same_side_tilt and abs(laterocollis_deg) >= TILT_EXPLAINS_OFFSET_DEG)


def _visible(pose: FloatArray, *indices: int) -> bool:
    return all(pose[i, 3] >= MIN_VISIBILITY for i in indices)


def _pose_rotation_deg(pose: FloatArray) -> float | None:
    """Estimate head rotation from the nose's offset from the ear midpoint.

    Projected ear breadth shrinks with cos(yaw) and the nose offset grows with sin(yaw), so the
    angle stays defined beyond 45°, where the face mesh saturates (posture-research.md §2.2).
    BlazePose still predicts an occluded ear, so only the nose must be visible.
    """
    if pose[NOSE, 3] < MIN_VISIBILITY:
        return None
    ear_midpoint_x = (pose[LEFT_EAR, 0] + pose[RIGHT_EAR, 0]) / 2
    nose_offset = float(pose[NOSE, 0] - ear_midpoint_x)
    ear_breadth = float(pose[LEFT_EAR, 0] - pose[RIGHT_EAR, 0])
    if abs(nose_offset) < 1e-9 and abs(ear_breadth) < 1e-9:
        return None
    return math.degrees(math.atan2(nose_offset, NOSE_DEPTH_PER_EAR_BREADTH * ear_breadth))
