"""MediaPipe wrappers: face mesh (478 points) and body pose (33 points) in pixels.

Settings follow posture-research.md §0–1, §5: FaceMesh with ``refine_landmarks=True`` on every
frame (head angles and tremor need every frame), BlazePose through ``mp.solutions.pose`` with
``model_complexity=1`` only (0 and 2 download a model at construction; 1 ships in the 0.10.14
wheel) and ``smooth_landmarks=False`` (the pose One-Euro filter erases 4–6 Hz tremor).

The pose model costs ~6–10× the face mesh (§5.1), so a video runs it once a second and holds
its landmarks in between (the trunk moves slowly), every frame only while the head is
turned toward the range where the nose/ear rotation estimate may take over. FaceMesh's own face
detector misses faces narrower than ~10 % of the frame (§1.2); then the head is found from the
pose landmarks and FaceMesh runs on an enlarged square crop around it, which is what Holistic
did internally.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import cv2
import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
RgbImage = NDArray[np.uint8]

# The only pose model inside the mediapipe 0.10.14 wheel (posture-research.md §1.1).
MODEL_COMPLEXITY = 1

# BlazePose indices used by this package (patient's left/right).
NOSE, LEFT_EAR, RIGHT_EAR, LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP = (
    0,
    7,
    8,
    11,
    12,
    23,
    24,
)
# BlazePose 0–10: nose, eyes (inner, centre, outer), ears, mouth corners.
POSE_HEAD_POINTS = slice(0, 11)
POSE_LEFT_EYE_OUTER, POSE_RIGHT_EYE_OUTER = 3, 6
# Face mesh: nose tip and outer eye corners (patient's left, right).
MESH_NOSE_TIP, MESH_LEFT_EYE_OUTER, MESH_RIGHT_EYE_OUTER = 1, 263, 33

# Run the pose model once a second of video: shoulders and hips move far slower than the
# 1–10 Hz tremor band (posture-research.md §4.4), and the trunk measures are medians over the
# video. One pose call costs ~5–7 face-mesh calls (§5.1; bench/RESULTS.md), so at 2 Hz it alone
# would add ~35–45 % to the face-mesh loop, at 1 Hz ~15–20 %. Own choice.
POSE_INTERVAL_S = 1.0
# Square crop side around the head: 3× the extent of the pose head points (nose, eyes, ears,
# mouth), so the face covers about a third of the crop, as FaceMesh's short-range detector
# expects of a selfie-distance face. Own choice.
POSE_HEAD_CROP_FACTOR = 3.0
# Square crop side around the previous frame's face mesh box (1.5× is MediaPipe's own tracking
# ROI; 2× leaves room for movement between frames). Own choice.
FACE_CROP_FACTOR = 2.0
# Crops are resized to this side before FaceMesh: its detector works at 128², its landmark
# model at 192² (posture-research.md §5.3), so larger crops add nothing.
CROP_INPUT_SIDE_PX = 256
# A face found in a crop that is at least this share of the frame width is in the range where
# FaceMesh's own detector works (≥ ~11 %, posture-research.md §1.2); go back to whole frames.
FULL_FRAME_FACE_SHARE = 0.15
# A face mesh contradicts the pose of the same frame when its eye line is turned ≥ 12° from the
# pose's eye line or its nose tip is ≥ 0.25 face heights (≈ half the outer-eye distance of a
# frontal face, but unaffected by head rotation) from the pose nose. FaceMesh's own
# detector occasionally gives a distorted mesh (a 25°-rolled astronaut read as 4° of roll); the
# pose-guided crop, which Holistic used, does not. Pose eye and nose jitter are a few degrees and
# a few pixels, so these limits only catch gross failures. Own choice.
MAX_EYE_LINE_DISAGREEMENT_DEG = 12.0
MAX_NOSE_OFFSET_FACE_SIZES = 0.25


@dataclass(frozen=True, eq=False)
class Landmarks:
    """Landmarks of one frame in pixel units.

    ``face``: (478, 3) x, y, z with z scaled like x (x·W, y·H, z·W), or None.
    ``pose``: (33, 4) x, y, z (z·W), visibility, or None. In a video it may come from an earlier
    frame (the pose model runs at a low rate; see ``LandmarkTracker``).
    """

    face: FloatArray | None
    pose: FloatArray | None


def _quiet_start_up() -> None:
    # Quieten TensorFlow Lite / absl start-up chatter on stderr (CLI output stays readable).
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


# Serialised NormalizedLandmark messages as MediaPipe writes them: a length-delimited field 1
# holding fixed32 fields x (1), y (2), z (3) and, for the pose, visibility (4). Decoding the bytes
# with numpy is ~10× faster than reading 478 protobuf attributes in Python; any other layout
# falls back to the attribute path.
def _record_layout(
    fields: int,
) -> tuple[int, NDArray[np.intp], NDArray[np.uint8], NDArray[np.intp]]:
    """Byte layout of one landmark record with ``fields`` fixed32 fields (3: x, y, z; 4: + v)."""
    size = 2 + 5 * fields
    tags = [0, 1] + [2 + 5 * k for k in range(fields)]
    expected = [0x0A, size - 2] + [(k + 1) << 3 | 5 for k in range(fields)]
    data = [3 + 5 * k + b for k in range(fields) for b in range(4)]
    return (
        size,
        np.array(tags, dtype=np.intp),
        np.array(expected, dtype=np.uint8),
        np.array(data, dtype=np.intp),
    )


_FACE_LAYOUT = _record_layout(3)
_POSE_LAYOUT = _record_layout(4)


def landmarks_to_pixels(
    landmark_list: Any, width: int, height: int, *, visibility: bool
) -> FloatArray:
    """Return a NormalizedLandmarkList as pixels: x·W, y·H, z·W (and visibility if asked)."""
    count = len(landmark_list.landmark)
    size, tags, expected, data = _POSE_LAYOUT if visibility else _FACE_LAYOUT
    columns = 4 if visibility else 3
    raw = landmark_list.SerializeToString()
    if count and len(raw) == count * size:
        records = np.frombuffer(raw, dtype=np.uint8).reshape(count, size)
        if np.array_equal(records[:, tags], np.broadcast_to(expected, (count, len(tags)))):
            values = np.ascontiguousarray(records[:, data]).view("<f4").astype(np.float64)
            values[:, 0] *= width
            values[:, 1] *= height
            values[:, 2] *= width
            return values
    fields = [
        (p.x * width, p.y * height, p.z * width, p.visibility)
        if visibility
        else (p.x * width, p.y * height, p.z * width)
        for p in landmark_list.landmark
    ]
    return np.array(fields, dtype=np.float64).reshape(count, columns)


class _ClosesOnExit:
    """``with`` support for objects that hold MediaPipe graphs: leaving the block closes them."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class FaceMeshDetector(_ClosesOnExit):
    """One MediaPipe FaceMesh graph (one face, 478 refined landmarks)."""

    def __init__(self, *, static_image_mode: bool) -> None:
        _quiet_start_up()
        from mediapipe.python.solutions import face_mesh

        self._graph = face_mesh.FaceMesh(
            static_image_mode=static_image_mode,
            max_num_faces=1,
            refine_landmarks=True,
            min_detection_confidence=0.5,
            min_tracking_confidence=0.5,
        )

    def detect(self, rgb: RgbImage) -> FloatArray | None:
        """Return the (478, 3) face landmarks of one RGB frame in pixels, or None."""
        result = self._graph.process(rgb)
        if not result.multi_face_landmarks:
            return None
        height, width = rgb.shape[:2]
        return landmarks_to_pixels(result.multi_face_landmarks[0], width, height, visibility=False)

    def close(self) -> None:
        """Release the graph."""
        self._graph.close()


class PoseDetector(_ClosesOnExit):
    """One MediaPipe Pose graph (BlazePose full, the model that ships in the wheel)."""

    def __init__(self, *, static_image_mode: bool) -> None:
        _quiet_start_up()
        from mediapipe.python.solutions import pose

        self._graph = pose.Pose(
            static_image_mode=static_image_mode,
            model_complexity=MODEL_COMPLEXITY,
            smooth_landmarks=False,
            enable_segmentation=False,
            min_detection_confidence=0.5,
            min_tracking_confidence=0.5,
        )

    def detect(self, rgb: RgbImage) -> FloatArray | None:
        """Return the (33, 4) pose landmarks (pixels + visibility) of one RGB frame, or None."""
        result = self._graph.process(rgb)
        if result.pose_landmarks is None:
            return None
        height, width = rgb.shape[:2]
        return landmarks_to_pixels(result.pose_landmarks, width, height, visibility=True)

    def close(self) -> None:
        """Release the graph."""
        self._graph.close()


@dataclass(frozen=True)
class SquareBox:
    """A square region of a frame in pixels: centre and side (it may reach past the borders)."""

    cx: float
    cy: float
    side: float


def head_box_from_pose(pose: FloatArray) -> SquareBox | None:
    """Return a square around the pose head points (nose, eyes, ears, mouth), or None."""
    head = pose[POSE_HEAD_POINTS, :2]
    x0, y0 = head.min(axis=0)
    x1, y1 = head.max(axis=0)
    extent = max(float(x1 - x0), float(y1 - y0))
    if not math.isfinite(extent) or extent < 2.0:
        return None
    return SquareBox(float(x0 + x1) / 2, float(y0 + y1) / 2, POSE_HEAD_CROP_FACTOR * extent)


def face_agrees_with_pose(face: FloatArray, pose: FloatArray) -> bool:
    """Return False when the face mesh grossly contradicts the pose's eyes and nose."""
    eyes = (NOSE, POSE_LEFT_EYE_OUTER, POSE_RIGHT_EYE_OUTER)
    if any(pose[i, 3] < 0.5 for i in eyes):  # pose points not seen: nothing to compare
        return True
    mesh_eyes = face[MESH_LEFT_EYE_OUTER, :2] - face[MESH_RIGHT_EYE_OUTER, :2]
    pose_eyes = pose[POSE_LEFT_EYE_OUTER, :2] - pose[POSE_RIGHT_EYE_OUTER, :2]
    if float(np.hypot(*mesh_eyes)) < 1.0 or float(np.hypot(*pose_eyes)) < 1.0:
        return True
    face_size = float(np.ptp(face[:, :2], axis=0).max())
    nose_offset = float(np.hypot(*(face[MESH_NOSE_TIP, :2] - pose[NOSE, :2])))
    if nose_offset > MAX_NOSE_OFFSET_FACE_SIZES * face_size:
        return False
    turn = math.degrees(
        math.atan2(
            float(mesh_eyes[0] * pose_eyes[1] - mesh_eyes[1] * pose_eyes[0]),
            float(mesh_eyes @ pose_eyes),
        )
    )
    return abs(turn) < MAX_EYE_LINE_DISAGREEMENT_DEG


def box_around_face(face: FloatArray) -> SquareBox:
    """Return a square around a face mesh (pixels) with room for movement."""
    x0, y0 = face[:, 0].min(), face[:, 1].min()
    x1, y1 = face[:, 0].max(), face[:, 1].max()
    extent = max(float(x1 - x0), float(y1 - y0), 1.0)
    return SquareBox(float(x0 + x1) / 2, float(y0 + y1) / 2, FACE_CROP_FACTOR * extent)


class CroppedFaceMesh:
    """FaceMesh on an enlarged square crop; landmarks come back in full-frame pixels.

    Static mode: the crop moves with the head, so there is no tracking state to rely on.
    """

    def __init__(self) -> None:
        self._mesh = FaceMeshDetector(static_image_mode=True)

    def detect(self, rgb: RgbImage, box: SquareBox) -> FloatArray | None:
        """Return the face landmarks found inside ``box`` in frame pixels, or None."""
        height, width = rgb.shape[:2]
        side = int(math.ceil(box.side))
        if side < 8:
            return None
        x0 = int(round(box.cx - side / 2))
        y0 = int(round(box.cy - side / 2))
        # Pad where the square leaves the frame so the crop stays square: one scale for x, y
        # and z keeps the aspect-ratio-correct de-normalisation (posture-research.md §2.2).
        left, top = max(0, -x0), max(0, -y0)
        right, bottom = max(0, x0 + side - width), max(0, y0 + side - height)
        if left + right >= side or top + bottom >= side:
            return None
        crop = rgb[y0 + top : y0 + side - bottom, x0 + left : x0 + side - right]
        if left or top or right or bottom:
            crop = cv2.copyMakeBorder(crop, top, bottom, left, right, cv2.BORDER_CONSTANT, value=0)
        interpolation = cv2.INTER_AREA if side > CROP_INPUT_SIDE_PX else cv2.INTER_CUBIC
        resized = cv2.resize(
            crop, (CROP_INPUT_SIDE_PX, CROP_INPUT_SIDE_PX), interpolation=interpolation
        )
        face = self._mesh.detect(np.ascontiguousarray(resized))
        if face is None:
            return None
        # Crop pixels → frame pixels: one factor for all three axes (z is scaled like x).
        face *= side / CROP_INPUT_SIDE_PX
        face[:, 0] += x0
        face[:, 1] += y0
        return face

    def close(self) -> None:
        """Release the graph."""
        self._mesh.close()


class LandmarkTracker(_ClosesOnExit):
    """Landmarks of the frames of one photo or video: face mesh every frame, pose sparingly.

    A photo runs everything on its single frame. A video runs FaceMesh (tracking mode) on every
    frame and the pose model every ``POSE_INTERVAL_S``, holding the last pose in between; every
    frame when ``pose_every_frame`` is asked for or when no face is found (the pose then places
    the head for a cropped face search).
    """

    def __init__(self, *, static_image_mode: bool) -> None:
        self._static = static_image_mode
        self._mesh = FaceMeshDetector(static_image_mode=static_image_mode)
        self._pose_detector = PoseDetector(static_image_mode=static_image_mode)
        self._crop_mesh: CroppedFaceMesh | None = None
        self._pose: FloatArray | None = None
        self._pose_t: float | None = None
        self._crop_box: SquareBox | None = None  # following a small face in crops
        self.pose_runs = 0
        self.mesh_replaced = 0  # whole-frame meshes replaced after contradicting the pose

    def detect(self, rgb: RgbImage, t: float, *, pose_every_frame: bool = False) -> Landmarks:
        """Return the landmarks of the frame at ``t`` s (RGB, H×W×3 uint8, C-contiguous)."""
        if (
            self._static
            or pose_every_frame
            or self._pose_t is None
            or t >= self._pose_t + POSE_INTERVAL_S
            or t < self._pose_t
        ):
            self._run_pose(rgb, t)
        face = None
        if self._crop_box is not None:
            face = self._crop_detect(rgb, self._crop_box)
        if face is None:
            face = self._mesh.detect(rgb)
            if face is not None and self._pose_t == t and self._pose is not None:
                face = self._checked_against_pose(rgb, face, self._pose)
        if face is None:
            if self._pose_t != t:
                self._run_pose(rgb, t)
            box = head_box_from_pose(self._pose) if self._pose is not None else None
            if box is not None:
                face = self._crop_detect(rgb, box)
        return Landmarks(face, self._pose)

    def _checked_against_pose(
        self, rgb: RgbImage, face: FloatArray, pose: FloatArray
    ) -> FloatArray:
        """Replace a whole-frame mesh that contradicts the pose by the pose-guided crop's."""
        if face_agrees_with_pose(face, pose):
            return face
        box = head_box_from_pose(pose)
        cropped = self._crop_detect(rgb, box) if box is not None else None
        if cropped is None or not face_agrees_with_pose(cropped, pose):
            return face  # the pose may be the one that is wrong
        self.mesh_replaced += 1
        if not self._static:
            # Restart the whole-frame graph: it would go on tracking the distorted mesh.
            self._mesh.close()
            self._mesh = FaceMeshDetector(static_image_mode=False)
        return cropped

    def _crop_detect(self, rgb: RgbImage, box: SquareBox) -> FloatArray | None:
        if self._crop_mesh is None:
            self._crop_mesh = CroppedFaceMesh()
        face = self._crop_mesh.detect(rgb, box)
        self._crop_box = None
        if face is not None and not self._static:
            face_width = float(face[:, 0].max() - face[:, 0].min())
            if face_width < FULL_FRAME_FACE_SHARE * rgb.shape[1]:
                self._crop_box = box_around_face(face)
        return face

    def _run_pose(self, rgb: RgbImage, t: float) -> None:
        self._pose = self._pose_detector.detect(rgb)
        self._pose_t = t
        self.pose_runs += 1

    def close(self) -> None:
        """Release the graphs."""
        self._mesh.close()
        self._pose_detector.close()
        if self._crop_mesh is not None:
            self._crop_mesh.close()


class HolisticDetector(_ClosesOnExit):
    """One MediaPipe Holistic graph (pose + face). Analysis no longer uses it; it is kept so
    ``python -m collis.posture.reference_face`` rebuilds the packaged reference face from the
    same graph it was built with."""

    def __init__(self, *, static_image_mode: bool) -> None:
        _quiet_start_up()
        from mediapipe.python.solutions import holistic

        self._graph = holistic.Holistic(
            static_image_mode=static_image_mode,
            model_complexity=MODEL_COMPLEXITY,
            smooth_landmarks=False,
            refine_face_landmarks=True,
            enable_segmentation=False,
            min_detection_confidence=0.5,
            min_tracking_confidence=0.5,
        )

    def detect(self, rgb: RgbImage) -> Landmarks:
        """Return the landmarks of one RGB frame (H, W, 3, uint8, C-contiguous)."""
        height, width = rgb.shape[:2]
        result = self._graph.process(rgb)
        face = None
        if result.face_landmarks is not None:
            face = landmarks_to_pixels(result.face_landmarks, width, height, visibility=False)
        pose = None
        if result.pose_landmarks is not None:
            pose = landmarks_to_pixels(result.pose_landmarks, width, height, visibility=True)
        return Landmarks(face, pose)

    def close(self) -> None:
        """Release the graph."""
        self._graph.close()


class FaceCounter:
    """Count faces with MediaPipe's full-range face detector (in the wheel, no download).

    FaceMesh follows one face only, so a second face in the picture would go unnoticed.
    """

    def __init__(self) -> None:
        from mediapipe.python.solutions import face_detection

        # model_selection=1 is the full-range detector (faces up to ~5 m); it ships in the wheel
        # (posture-research.md §1.1, face_detection_full_range_sparse.tflite).
        self._graph = face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.6)

    def count(self, rgb: RgbImage) -> int:
        """Return the number of faces detected in one RGB frame."""
        result = self._graph.process(rgb)
        return len(result.detections or ())

    def close(self) -> None:
        """Release the graph."""
        self._graph.close()
