"""Capture-quality warnings from summary numbers (no MediaPipe)."""

from __future__ import annotations

import dataclasses

from collis.posture.quality import CaptureStats, assess_quality

GOOD = CaptureStats(
    kind="video",
    frames=300,
    frames_with_face=300,
    face_width_px=180.0,
    face_luma=140.0,
    face_sharpness=0.1,
    max_abs_rotation_deg=20.0,
    pose_fallback_frames=0,
    line_of_sight_deg=3.0,
    max_faces_seen=1,
    dropped_frames=0,
    decoding_stopped_early=False,
    shoulders_seen=True,
)


def _codes(**changes: object) -> list[str]:
    return [w.code for w in assess_quality(dataclasses.replace(GOOD, **changes))]


def test_good_capture_has_no_warnings() -> None:
    assert _codes() == []


def test_each_problem_has_its_warning() -> None:
    assert _codes(max_faces_seen=2) == ["several_faces"]
    assert _codes(face_width_px=40.0) == ["face_too_small"]
    assert _codes(face_luma=30.0) == ["too_dark"]
    assert _codes(face_sharpness=0.005) == ["blurred"]
    assert _codes(max_abs_rotation_deg=60.0) == ["extreme_rotation"]
    assert _codes(pose_fallback_frames=12) == ["pose_rotation_used"]
    assert _codes(line_of_sight_deg=25.0) == ["face_off_centre"]
    assert _codes(dropped_frames=4) == ["dropped_frames"]
    assert _codes(decoding_stopped_early=True) == ["truncated"]
    assert _codes(shoulders_seen=False) == ["no_shoulders"]
    assert _codes(frames_with_face=20) == ["face_often_missing", "too_few_frames"]


def test_a_photo_is_not_too_few_frames() -> None:
    assert _codes(kind="image", frames=1, frames_with_face=1) == []
