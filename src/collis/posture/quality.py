"""Capture-quality warnings: each one tells the user what limits the measurement."""

from __future__ import annotations

from dataclasses import dataclass

# Faces narrower than ~60 px shift pitch by 1.4–2.1° (posture-research.md §2.4).
MIN_FACE_WIDTH_PX = 60.0
# Mean face luma below 60/255: own threshold; landmark jitter grows in dim light.
MIN_FACE_LUMA = 60.0
# Below these the angles themselves cannot be trusted (issue #14: at 6 % brightness rotation
# erred up to 44°): the angles are flagged and no TWSTRS grade is suggested. Own thresholds,
# a half and a quarter of the warning levels.
UNRELIABLE_FACE_LUMA = 30.0
UNRELIABLE_FACE_SHARPNESS = 0.005
# Laplacian variance ÷ intensity variance of the 128-px face crop. Own calibration on the
# astronaut photo: sharp ≈ 0.09, Gaussian blur σ = 1.5 px ≈ 0.007, σ = 3 px ≈ 0.004.
MIN_FACE_SHARPNESS = 0.02
# MediaPipe face landmarks struggle beyond ~45° of rotation (posture-research.md §2.2 [S33]).
RELIABLE_ROTATION_DEG = 45.0
# A face ≥ 15° off the optical axis biases weak-perspective angles by several degrees
# (posture-research.md §2.2: 7.6° at 26° off-axis, ~3° at 11°).
MAX_LINE_OF_SIGHT_DEG = 15.0
# Fewer frames than this (1 s at 30 fps) make the robust median unstable; own choice.
MIN_VIDEO_FRAMES_WITH_FACE = 30
# Warn when fewer than half the frames had a face; own choice.
MIN_FACE_FRAME_SHARE = 0.5


@dataclass(frozen=True)
class QualityWarning:
    """A warning with a stable code (for translation) and an English message."""

    code: str
    message: str


@dataclass(frozen=True)
class CaptureStats:
    """Summary numbers the warnings are decided from (medians over frames with a face)."""

    kind: str
    frames: int
    frames_with_face: int
    face_width_px: float | None
    face_luma: float | None
    face_sharpness: float | None
    max_abs_rotation_deg: float | None
    pose_fallback_frames: int
    line_of_sight_deg: float | None
    max_faces_seen: int
    dropped_frames: int
    decoding_stopped_early: bool
    shoulders_seen: bool


def assess_quality(stats: CaptureStats) -> list[QualityWarning]:
    """Return the warnings that apply to a capture, most important first."""
    warnings: list[QualityWarning] = []

    def warn(code: str, message: str) -> None:
        warnings.append(QualityWarning(code, message))

    if stats.decoding_stopped_early:
        warn("truncated", "the video is damaged; only the frames before the damage were analysed")
    if stats.max_faces_seen > 1:
        warn("several_faces", f"{stats.max_faces_seen} faces seen; only one person is measured")
    if stats.frames and stats.frames_with_face / stats.frames < MIN_FACE_FRAME_SHARE:
        warn(
            "face_often_missing",
            f"a face was found in only {stats.frames_with_face} of {stats.frames} frames",
        )
    if stats.kind == "video" and stats.frames_with_face < MIN_VIDEO_FRAMES_WITH_FACE:
        warn("too_few_frames", f"only {stats.frames_with_face} frames with a face were analysed")
    if stats.face_width_px is not None and stats.face_width_px < MIN_FACE_WIDTH_PX:
        warn(
            "face_too_small",
            f"the face is only {stats.face_width_px:.0f} px wide; move closer "
            f"(≥ {MIN_FACE_WIDTH_PX:.0f} px)",
        )
    if (stats.face_luma is not None and stats.face_luma < UNRELIABLE_FACE_LUMA) or (
        stats.face_sharpness is not None and stats.face_sharpness < UNRELIABLE_FACE_SHARPNESS
    ):
        warn(
            "angles_unreliable",
            "the face is too dark or blurred for reliable angles; no TWSTRS grade is suggested "
            "— record again in good light",
        )
    if stats.face_luma is not None and stats.face_luma < MIN_FACE_LUMA:
        warn("too_dark", "the face is too dark; add light in front of the patient")
    if stats.face_sharpness is not None and stats.face_sharpness < MIN_FACE_SHARPNESS:
        warn("blurred", "the face is blurred (motion or focus); hold the camera steady")
    if stats.max_abs_rotation_deg is not None and (
        stats.max_abs_rotation_deg > RELIABLE_ROTATION_DEG
    ):
        warn(
            "extreme_rotation",
            f"head rotation reaches {stats.max_abs_rotation_deg:.0f}°, beyond the reliable "
            f"{RELIABLE_ROTATION_DEG:.0f}° of the face mesh",
        )
    if stats.pose_fallback_frames:
        warn(
            "pose_rotation_used",
            f"rotation in {stats.pose_fallback_frames} frames comes from the nose/ear estimate "
            "(approximate)",
        )
    if stats.line_of_sight_deg is not None and stats.line_of_sight_deg > MAX_LINE_OF_SIGHT_DEG:
        warn(
            "face_off_centre",
            f"the face is {stats.line_of_sight_deg:.0f}° off the camera axis; centre it in the "
            "picture for accurate angles",
        )
    if stats.dropped_frames:
        warn("dropped_frames", f"{stats.dropped_frames} frames appear to be missing (time gaps)")
    if not stats.shoulders_seen:
        warn("no_shoulders", "shoulders not visible; shifts and shoulder elevation not measured")
    return warnings
