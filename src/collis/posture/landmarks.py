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
SHOULDERS = (LEFT_SHOULDER, RIGHT_SHOULDER)
# BlazePose 0–10: nose, eyes (inner, centre, outer), ears, mouth corners.
POSE_HEAD_POINTS = slice(0, 11)
POSE_LEFT_EYE_OUTER, POSE_RIGHT_EYE_OUTER = 3, 6
# Face mesh: nose tip and outer eye corners (patient's left, right).
MESH_NOSE_TIP, MESH_LEFT_EYE_OUTER, MESH_RIGHT_EYE_OUTER = 1, 263, 33

# Run the pose model every 2 s of video: shoulders and hips move far slower than the
# 1–10 Hz tremor band (posture-research.md §4.4), and the trunk measures are medians over the
# video. One tracking pose call costs ~10 ms ≈ 5 face-mesh calls and the first one of a video
# ~70–100 ms (bench/RESULTS.md, 2026-11-30), so at 1 Hz the pose alone added ~20 % to the bare
# decode + FaceMesh loop, at 2 Hz ~32 %. Own choice.
POSE_INTERVAL_S = 2.0
# While the head is turned (the nose/ear rotation estimate blends in beyond 30°,
# measurement.py) the pose runs once when the turn has lasted TURN_SETTLE_S (so each excursion
# gets a nose/ear reading near its peak: a min-jerk 0→70° turn is at ~60° by then) and every
# 2 s while it lasts; the correction moves at a limited rate, so an older pose only delays it.
# Once a second while turned cost 4 more pose runs (≈ 4 % of the CPU) on the ±70° turns clip.
# At most twice a second while the face is lost (the pose places the crop search). Pose on
# every turned frame cost 40–47 % of the CPU on real exam videos (issue #14); between runs the
# last trunk estimate is reused. Own choice.
POSE_TURNED_INTERVAL_S = 2.0
TURN_SETTLE_S = 0.3
POSE_FAST_INTERVAL_S = 0.5
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
# A small face is followed in a fixed window while it stays within this share of the window's
# side of the window centre and within this size ratio; beyond, the window is re-centred. The
# window is 2× the face (FACE_CROP_FACTOR), so a 20 % drift leaves the face well inside it.
# Own choice.
WINDOW_DRIFT_SHARE = 0.2
WINDOW_RESIZE_RATIO = 1.3
# While the face stays lost (a head turned beyond the mesh's range, a face out of the picture),
# the pose-guided crop search (a detector + landmark run, ~3× a tracking frame) is tried on the
# first frames and then every 0.2 s, not on every frame. Own choice.
SEARCH_EVERY_FRAME_LOST = 3
SEARCH_INTERVAL_S = 0.2
# ... but only once a second when the face lost was large enough for whole frames: then it was
# lost to a turn beyond the mesh's range (which a crop does not cure) or left the picture, and
# the whole-frame detector finds it again as soon as it is back. Once a second still catches a
# face that came back smaller. Own choice (the crop searches cost 6 % on ±70° turns).
SEARCH_INTERVAL_LARGE_LOST_S = 1.0
# A face lost for at most this long is searched for around its last landmarks (the square
# grown to 3× the face, as the pose-guided crop), without a pose run. Own choice.
RECENT_FACE_S = 1.0
RECENT_FACE_CROP_GROWTH = POSE_HEAD_CROP_FACTOR / FACE_CROP_FACTOR
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
    # BlazePose's metric 3-D shoulders (2, 3): patient's left then right, x, y, z in metres
    # (x to the image right, y down, z away from the camera), from the same run as ``pose``.
    shoulders_3d: FloatArray | None = None


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
        if bool((records[:, tags] == expected).all()):
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


def _process_one_output(graph: Any, rgb: RgbImage, stream: str) -> Any:
    """``graph.process(rgb).<stream>`` without building a namedtuple class per call.

    MediaPipe's ``SolutionBase.process`` creates a new ``collections.namedtuple`` type (an
    ``eval``) on every call, ~0.3 ms, a tenth of a tracking FaceMesh frame; this does the same
    steps for a single-image graph and reads one output stream. Any other layout of the
    solution object falls back to ``process``.
    """
    inputs = getattr(graph, "_input_stream_type_info", None)
    outputs = getattr(graph, "_output_stream_type_info", None)
    runner = getattr(graph, "_graph", None)
    if not inputs or len(inputs) != 1 or not outputs or stream not in outputs or runner is None:
        return getattr(graph.process(rgb), stream)
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError("Input image must contain three channel rgb data.")
    ((name, kind),) = inputs.items()
    graph._graph_outputs.clear()
    graph._simulated_timestamp += 33333  # what SolutionBase.process does (30-fps timestamps)
    runner.add_packet_to_input_stream(
        stream=name, packet=graph._make_packet(kind, rgb).at(graph._simulated_timestamp)
    )
    runner.wait_until_idle()
    packet = graph._graph_outputs.get(stream)
    return None if packet is None else graph._get_packet_content(outputs[stream], packet)


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
        faces = _process_one_output(self._graph, rgb, "multi_face_landmarks")
        if not faces:
            return None
        height, width = rgb.shape[:2]
        return landmarks_to_pixels(faces[0], width, height, visibility=False)

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
        self.shoulders_3d: FloatArray | None = None

    def detect(self, rgb: RgbImage) -> FloatArray | None:
        """Return the (33, 4) pose landmarks (pixels + visibility) of one RGB frame, or None.

        The same run's metric 3-D shoulders are left in ``shoulders_3d`` (None without a pose).
        """
        result = self._graph.process(rgb)
        self.shoulders_3d = None
        if result.pose_landmarks is None:
            return None
        world = result.pose_world_landmarks
        if world is not None and len(world.landmark) > RIGHT_SHOULDER:
            self.shoulders_3d = np.array(
                [[p.x, p.y, p.z] for p in (world.landmark[i] for i in SHOULDERS)],
                dtype=np.float64,
            )
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
    x0, y0 = face[:, :2].min(axis=0).tolist()
    x1, y1 = face[:, :2].max(axis=0).tolist()
    extent = max(x1 - x0, y1 - y0, 1.0)
    return SquareBox((x0 + x1) / 2, (y0 + y1) / 2, FACE_CROP_FACTOR * extent)


class CroppedFaceMesh:
    """FaceMesh on an enlarged square crop; landmarks come back in full-frame pixels.

    Static mode (the default) for searching a crop that moves with the head; tracking mode for
    following a face inside a window that stays put between frames.
    """

    def __init__(self, *, static_image_mode: bool = True) -> None:
        self._mesh = FaceMeshDetector(static_image_mode=static_image_mode)

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
        # Larger crops are shrunk to the models' scale; smaller ones go in as they are (the
        # graph warps its ROI to 128²/192² itself, so upsizing first only costs time).
        scale = 1.0
        if side > CROP_INPUT_SIDE_PX:
            crop = cv2.resize(
                crop, (CROP_INPUT_SIDE_PX, CROP_INPUT_SIDE_PX), interpolation=cv2.INTER_AREA
            )
            scale = side / CROP_INPUT_SIDE_PX
        face = self._mesh.detect(np.ascontiguousarray(crop))
        if face is None:
            return None
        # Crop pixels → frame pixels: one factor for all three axes (z is scaled like x).
        face *= scale
        face[:, 0] += x0
        face[:, 1] += y0
        return face

    def close(self) -> None:
        """Release the graph."""
        self._mesh.close()


class LandmarkTracker(_ClosesOnExit):
    """Landmarks of the frames of one photo or video: face mesh every frame, pose sparingly.

    A photo runs everything on its single frame. A video runs FaceMesh (tracking mode) on every
    frame and the pose model at most ``1 / POSE_FAST_INTERVAL_S`` times a second, holding the
    last pose in between: every ``POSE_INTERVAL_S`` normally, once ``TURN_SETTLE_S`` into each
    turn and then every ``POSE_TURNED_INTERVAL_S`` while the head is turned (``turned``), every
    ``POSE_FAST_INTERVAL_S`` while a small face is lost
    (the pose then places the head for a cropped face search). A small face, once found in a
    crop, is followed in a stable window around its previous landmarks by a tracking-mode
    FaceMesh, so neither the detector nor the pose runs on every frame.
    """

    def __init__(self, *, static_image_mode: bool) -> None:
        self._static = static_image_mode
        self._mesh = FaceMeshDetector(static_image_mode=static_image_mode)
        self._pose_detector = PoseDetector(static_image_mode=static_image_mode)
        self._crop_mesh: CroppedFaceMesh | None = None  # static: searches a pose-guided crop
        self._follow_mesh: CroppedFaceMesh | None = None  # tracking: follows a small face
        self._pose: FloatArray | None = None
        self._shoulders_3d: FloatArray | None = None
        self._pose_t: float | None = None
        self._window: SquareBox | None = None  # following a small face in this window
        self._lost_frames = 0
        self._last_search_t: float | None = None
        self._last_face_small: bool | None = None  # None: no face seen yet
        self._last_face: tuple[float, SquareBox] | None = None  # when, and a box around it
        self._boxed: tuple[FloatArray, SquareBox] | None = None
        self._turned_since: float | None = None  # the head turned ≥ 30° from this time
        self._pose_turned = False  # the last pose ran on a turned head
        self.pose_runs = 0
        self.crop_searches = 0
        self.mesh_replaced = 0  # whole-frame meshes replaced after contradicting the pose

    def detect(self, rgb: RgbImage, t: float, *, turned: bool = False) -> Landmarks:
        """Return the landmarks of the frame at ``t`` s (RGB, H×W×3 uint8, C-contiguous)."""
        if not turned:
            self._turned_since = None
        elif self._turned_since is None or t < self._turned_since:
            self._turned_since = t
        interval = POSE_TURNED_INTERVAL_S if turned else POSE_INTERVAL_S
        due = self._pose_due(t, interval)
        if not due and turned and not self._pose_turned and self._turned_since is not None:
            # A new turn: one pose near its peak, if the last run is at least 0.5 s old.
            settled = t - self._turned_since >= TURN_SETTLE_S - 1e-3
            due = settled and self._pose_due(t, POSE_FAST_INTERVAL_S)
        if due:
            self._run_pose(rgb, t)
            self._pose_turned = turned
        face = None
        if self._window is not None:
            face = self._follow(rgb)
        if face is None:
            face = self._mesh.detect(rgb)
            if face is not None and self._pose_t == t and self._pose is not None:
                face = self._checked_against_pose(rgb, face, self._pose)
        if face is None and self._search_due(t):
            box = self._recent_face_box(t)
            if box is None:
                if self._pose_due(t, POSE_FAST_INTERVAL_S):
                    self._run_pose(rgb, t)
                box = head_box_from_pose(self._pose) if self._pose is not None else None
            if box is not None:
                self._last_search_t = t
                face = self._search_crop(rgb, box)
        self._lost_frames = 0 if face is not None else self._lost_frames + 1
        if face is not None:
            self._last_face_small = _is_small(self._box_of(face), rgb)
            self._last_face = (t, self._box_of(face))
        return Landmarks(face, self._pose, self._shoulders_3d)

    def _box_of(self, face: FloatArray) -> SquareBox:
        """``box_around_face`` of the face just seen (asked for up to three times a frame)."""
        if self._boxed is None or self._boxed[0] is not face:
            self._boxed = (face, box_around_face(face))
        return self._boxed[1]

    def _recent_face_box(self, t: float) -> SquareBox | None:
        """A search square around the face of the last RECENT_FACE_S, or None.

        The head has hardly moved since (it was lost to a turn or a blur), so the crop is
        placed from its last landmarks and no pose run is needed to find the head.
        """
        if self._static or self._last_face is None:
            return None
        seen_t, box = self._last_face
        if not 0 <= t - seen_t <= RECENT_FACE_S:
            return None
        return SquareBox(box.cx, box.cy, box.side * RECENT_FACE_CROP_GROWTH)

    def _search_due(self, t: float) -> bool:
        if self._static:
            return True
        large_lost = self._last_face_small is False
        if not large_lost and self._lost_frames < SEARCH_EVERY_FRAME_LOST:
            return True
        interval = SEARCH_INTERVAL_LARGE_LOST_S if large_lost else SEARCH_INTERVAL_S
        last = self._last_search_t
        return last is None or t < last or t >= last + interval - 1e-3

    def _pose_due(self, t: float, interval: float) -> bool:
        if self._static or self._pose_t is None or t < self._pose_t:
            return True
        # A millisecond of slack: 30-fps timestamps are rounded to whole milliseconds.
        return t >= self._pose_t + interval - 1e-3

    def _checked_against_pose(
        self, rgb: RgbImage, face: FloatArray, pose: FloatArray
    ) -> FloatArray:
        """Replace a whole-frame mesh that contradicts the pose by the pose-guided crop's."""
        if face_agrees_with_pose(face, pose):
            return face
        box = head_box_from_pose(pose)
        cropped = self._search_crop(rgb, box) if box is not None else None
        if cropped is None or not face_agrees_with_pose(cropped, pose):
            self._window = None
            return face  # the pose may be the one that is wrong
        self.mesh_replaced += 1
        if not self._static:
            # Restart the whole-frame graph: it would go on tracking the distorted mesh.
            self._mesh.close()
            self._mesh = FaceMeshDetector(static_image_mode=False)
        return cropped

    def _search_crop(self, rgb: RgbImage, box: SquareBox) -> FloatArray | None:
        """Look for the face in a pose-guided crop (static mode: detector + landmarks)."""
        if self._crop_mesh is None:
            self._crop_mesh = CroppedFaceMesh()
        self.crop_searches += 1
        face = self._crop_mesh.detect(rgb, box)
        self._window = None
        if face is not None and not self._static and _is_small(self._box_of(face), rgb):
            self._window = self._box_of(face)
            self._restart_follower()
        return face

    def _follow(self, rgb: RgbImage) -> FloatArray | None:
        """Follow a small face in the current window with the tracking-mode crop graph.

        The window stays put while the face stays well inside it (the graph's own tracking
        then holds, and no detector runs); it is re-centred on the face when the face drifts
        or changes size, and dropped when the face is lost or large enough for whole frames.
        """
        assert self._window is not None
        if self._follow_mesh is None:
            self._restart_follower()
        assert self._follow_mesh is not None
        face = self._follow_mesh.detect(rgb, self._window)
        if face is None or not _is_small(self._box_of(face), rgb):
            self._window = None
            return face
        box = self._box_of(face)
        window = self._window
        drift = math.hypot(box.cx - window.cx, box.cy - window.cy)
        if drift > WINDOW_DRIFT_SHARE * window.side or not (
            1 / WINDOW_RESIZE_RATIO < box.side / window.side < WINDOW_RESIZE_RATIO
        ):
            self._window = box
        return face

    def _restart_follower(self) -> None:
        # One tracking graph for the whole video: in a new window its stale track fails once and
        # it detects again, which costs less than starting a graph (~5 ms) each time.
        if self._follow_mesh is None:
            self._follow_mesh = CroppedFaceMesh(static_image_mode=False)

    def _run_pose(self, rgb: RgbImage, t: float) -> None:
        self._pose = self._pose_detector.detect(rgb)
        # (A stand-in detector without 3-D shoulders leaves the yaw to the pixel z.)
        self._shoulders_3d = getattr(self._pose_detector, "shoulders_3d", None)
        self._pose_t = t
        self.pose_runs += 1

    def close(self) -> None:
        """Release the graphs."""
        self._mesh.close()
        self._pose_detector.close()
        for graph in (self._crop_mesh, self._follow_mesh):
            if graph is not None:
                graph.close()


def _is_small(box: SquareBox, rgb: RgbImage) -> bool:
    """Return whether the face in ``box`` (``box_around_face``) is too small for FaceMesh's
    whole-frame detector.

    The face's larger extent, not its width: a face turned 60° is half as wide but no smaller
    to the detector (its height stays), and a 16 %-wide face flipped in and out of the small-
    face window on every turn. The height of a frontal face is ~1.2× its width, so a face
    counts as large from ~13 % of the frame width, still above the detector's ~10–11 %.
    """
    return box.side / FACE_CROP_FACTOR < FULL_FRAME_FACE_SHARE * rgb.shape[1]


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
