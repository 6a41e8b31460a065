"""MediaPipe Holistic wrapper: face mesh (478 points) and body pose (33 points) in pixels.

Settings follow posture-research.md §0–1: Holistic rather than FaceMesh (its face crop comes
from the pose, so small faces in upper-body framing are still found), ``model_complexity=1``
only (0 and 2 download a model at construction; 1 ships in the 0.10.14 wheel),
``refine_face_landmarks=True`` and ``smooth_landmarks=False`` (the pose One-Euro filter erases
4–6 Hz tremor).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from types import TracebackType

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

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


@dataclass(frozen=True, eq=False)
class Landmarks:
    """Landmarks of one frame in pixel units.

    ``face``: (478, 3) x, y, z with z scaled like x (x·W, y·H, z·W), or None.
    ``pose``: (33, 4) x, y, z (z·W), visibility, or None.
    """

    face: FloatArray | None
    pose: FloatArray | None


class HolisticDetector:
    """One MediaPipe Holistic graph; use one instance per photo or per video (tracking state)."""

    def __init__(self, *, static_image_mode: bool) -> None:
        # Quieten TensorFlow Lite / absl start-up chatter on stderr (CLI output stays readable).
        os.environ.setdefault("GLOG_minloglevel", "2")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
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

    def detect(self, rgb: NDArray[np.uint8]) -> Landmarks:
        """Return the landmarks of one RGB frame (H, W, 3, uint8, C-contiguous)."""
        height, width = rgb.shape[:2]
        result = self._graph.process(rgb)
        face = None
        if result.face_landmarks is not None:
            face = np.array(
                [(p.x * width, p.y * height, p.z * width) for p in result.face_landmarks.landmark],
                dtype=np.float64,
            )
        pose = None
        if result.pose_landmarks is not None:
            pose = np.array(
                [
                    (p.x * width, p.y * height, p.z * width, p.visibility)
                    for p in result.pose_landmarks.landmark
                ],
                dtype=np.float64,
            )
        return Landmarks(face, pose)

    def close(self) -> None:
        """Release the graph."""
        self._graph.close()

    def __enter__(self) -> HolisticDetector:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class FaceCounter:
    """Count faces with MediaPipe's full-range face detector (in the wheel, no download).

    Holistic follows one person only, so a second face in the picture would go unnoticed.
    """

    def __init__(self) -> None:
        from mediapipe.python.solutions import face_detection

        # model_selection=1 is the full-range detector (faces up to ~5 m); it ships in the wheel
        # (posture-research.md §1.1, face_detection_full_range_sparse.tflite).
        self._graph = face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.6)

    def count(self, rgb: NDArray[np.uint8]) -> int:
        """Return the number of faces detected in one RGB frame."""
        result = self._graph.process(rgb)
        return len(result.detections or ())

    def close(self) -> None:
        """Release the graph."""
        self._graph.close()
