"""End-to-end on rendered 3-D heads with known angles: ±70° turns, ±30° tilts and nods, a small
face, a 4.5-Hz tremor, trunk sway (tests/posture/head_render.py; issue #14)."""

from __future__ import annotations

import numpy as np
import pytest

from collis.posture import PostureResult


def test_mediapipe_sees_the_rendered_face_through_the_movements(
    moving_clips: dict[str, object], moving_results: dict[str, PostureResult]
) -> None:
    import head_render

    for name, result in moving_results.items():
        truth = head_render.truth(moving_clips[name])  # type: ignore[arg-type]
        assert result.frames == len(truth["t"])
        valid = result.series.valid
        # Faces are lost only where the head is turned beyond ~60° (the mesh's own limit), plus
        # the 0.3 s (9 frames) dropped after the face re-enters.
        lost_upright = ~valid & (np.abs(truth["rotation_deg"]) < 55)
        assert lost_upright.sum() <= 10, (name, np.flatnonzero(lost_upright))
        assert result.frames_with_face / result.frames > 0.8, name


def test_roll_and_pitch_follow_the_truth(
    moving_clips: dict[str, object], moving_results: dict[str, PostureResult]
) -> None:
    import head_render

    truth = head_render.truth(moving_clips["tilts"])  # type: ignore[arg-type]
    series = moving_results["tilts"].series
    for key in ("laterocollis_deg", "flexion_deg"):
        error = series.axis(key) - truth[key]
        assert np.nanmedian(np.abs(error)) < 2.5, key
        assert np.nanpercentile(np.abs(error), 95) < 6.0, key


def test_no_tremor_is_reported_on_voluntary_movement(
    moving_results: dict[str, PostureResult],
) -> None:
    """Issue #14: turns and tilts without oscillation gave a "tremor" at 1.0–1.28 Hz."""
    for name in ("turns", "tilts", "small"):
        tremor = moving_results[name].tremor
        assert tremor.detected is False, (name, tremor)
        assert tremor.frequency_hz is None
        data = moving_results[name].to_dict()["tremor"]
        assert data["detected"] is False and data["frequency_hz"] is None


def test_tremor_is_found_at_4_5_hz_with_its_amplitude(
    moving_results: dict[str, PostureResult],
) -> None:
    tremor = moving_results["tremor"].tremor
    assert tremor.detected is True
    assert tremor.frequency_hz == pytest.approx(4.5, abs=0.25)
    assert tremor.amplitude_deg == pytest.approx(3.0, rel=0.2)
    assert tremor.axis == "roll"


def test_rotation_series_has_no_jumps_on_turns(
    moving_clips: dict[str, object], moving_results: dict[str, PostureResult]
) -> None:
    """Frame-to-frame steps stay near the head's own speed (±70° min-jerk turns)."""
    import head_render

    truth = head_render.truth(moving_clips["turns"])  # type: ignore[arg-type]
    series = moving_results["turns"].series
    valid = series.valid
    consecutive = valid[1:] & valid[:-1]
    steps = np.abs(np.diff(series.rotation_deg))[consecutive]
    true_steps = np.abs(np.diff(truth["rotation_deg"]))
    assert np.nanmax(steps) <= true_steps.max() + 3.0


def test_a_leaning_trunk_is_not_laterocollis(lean_results: dict[str, PostureResult]) -> None:
    """Same 12° tilt to the camera: from a leaning trunk (head straight on it) or from the neck."""
    lean, upright = lean_results["lean"], lean_results["upright"]
    assert lean.angles.laterocollis_deg == pytest.approx(12.0, abs=3.0)
    assert upright.angles.laterocollis_deg == pytest.approx(12.0, abs=3.0)
    assert lean.head_on_trunk is not None and upright.head_on_trunk is not None
    assert abs(lean.head_on_trunk.laterocollis_deg) < 4.0
    # The synthetic trunk's shoulder line reads a few degrees off level (BlazePose on a photo
    # cut-out), so the neck tilt is compared with the leaning case rather than with 12° exactly.
    assert upright.head_on_trunk.laterocollis_deg - lean.head_on_trunk.laterocollis_deg > 5.0
    grades = {s.item: s for s in lean.severity}
    assert grades["laterocollis"].grade == 0
    assert "head on trunk" in grades["laterocollis"].basis
    assert {s.item: s.grade for s in upright.severity}["laterocollis"] == 1
    data = lean.to_dict()
    assert data["head_on_trunk"]["laterocollis_deg"] == pytest.approx(
        lean.head_on_trunk.laterocollis_deg, abs=0.01
    )
    assert data["excursion"]["reference"] == "head on trunk"


def test_twstrs_is_graded_on_the_sustained_maximal_excursion(
    moving_results: dict[str, PostureResult],
) -> None:
    """Tilts of ±30° held ~1 s: the median is near 0, the excursion near 30 (grade 2)."""
    tilts = moving_results["tilts"]
    assert abs(tilts.angles.laterocollis_deg) < 5.0
    assert tilts.excursion is not None and tilts.excursion.laterocollis_deg is not None
    assert abs(tilts.excursion.laterocollis_deg) == pytest.approx(28.0, abs=5.0)
    grades = {s.item: s for s in tilts.severity}
    assert grades["laterocollis"].grade == 2
    assert "sustained maximal excursion" in grades["laterocollis"].basis


@pytest.mark.parametrize("quarter_turns", [1, 2, 3])
def test_sideways_or_upside_down_video_is_refused(quarter_turns: int) -> None:
    """Issue #14: a portrait clip without rotation metadata reported laterocollis −89°."""
    import head_render

    from collis.posture import OrientationError, analyze

    clip = head_render.Clip(
        f"turned{quarter_turns}",
        seconds=2.0,
        turned_quarter=quarter_turns,
        rotation=head_render.Keyframes(((0.0, 10.0),)),
        noise_seed=12,
    )
    with pytest.raises(OrientationError, match="on its side or upside down") as raised:
        analyze(head_render.render_clip(clip))
    assert raised.value.exit_status == 2 and raised.value.code == "orientation"


def test_very_dark_video_flags_the_angles_and_suggests_no_grade() -> None:
    """Issue #14: at 6 % brightness rotation erred by up to 44° yet was reported plainly."""
    import head_render

    from collis.posture import analyze

    clip = head_render.Clip(
        "dark",
        seconds=2.0,
        luma=0.12,
        rotation=head_render.Keyframes(((0.0, 20.0),)),
        noise_seed=13,
    )
    result = analyze(head_render.render_clip(clip))
    codes = [w.code for w in result.warnings]
    assert "angles_unreliable" in codes and "too_dark" in codes
    assert result.severity == () and result.to_dict()["twstrs_severity"] == {}


def test_video_results_keep_the_contract_and_its_additions(
    moving_results: dict[str, PostureResult],
) -> None:
    import json

    for result in moving_results.values():
        data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
        assert list(data)[:11] == [
            "source", "kind", "fps", "frames", "frames_with_face", "angles", "shifts", "tremor",
            "twstrs_severity", "quality", "series",
        ]  # fmt: skip
        assert set(data["tremor"]) == {"frequency_hz", "amplitude_deg", "axis", "detected"}
        assert data["head_on_trunk"] is None or len(
            data["head_on_trunk"]["series"]["rotation_deg"]
        ) == len(data["series"]["t"])
        assert set(data["excursion"]) == {
            "rotation_deg", "laterocollis_deg", "flexion_deg", "reference"
        }  # fmt: skip


@pytest.fixture(scope="module")
def turned_trunk_result() -> PostureResult:
    import head_render

    from collis.posture import analyze

    return analyze(head_render.render_clip(head_render.turned_trunk_clip()))


def test_a_turned_trunk_shows_in_the_camera_rotation_and_its_yaw_is_reported(
    turned_trunk_result: PostureResult,
) -> None:
    """Trunk turned 25° to the left, head straight on it. The camera-relative rotation carries
    the turn (read at the mesh's gain ≈ 0.65 on rendered heads); the trunk's yaw is measured
    and reported, not subtracted (analysis.TRUNK_YAW_SUBTRACTED)."""
    result = turned_trunk_result
    assert result.angles.rotation_deg > 12.0
    assert result.head_on_trunk is not None and result.trunk_yaw_deg is not None
    assert result.trunk_yaw_subtracted is False
    assert result.head_on_trunk.rotation_deg == pytest.approx(result.angles.rotation_deg, abs=1.0)
    data = result.to_dict()["head_on_trunk"]
    assert data["trunk_yaw_deg"] == pytest.approx(result.trunk_yaw_deg, abs=0.01)
    assert data["trunk_yaw_subtracted"] is False


@pytest.mark.xfail(
    strict=True,
    reason="BlazePose's metric shoulder line does not follow the rendered trunk's turn "
    "(3–19° with no order for −45…+45°; bench/RESULTS.md 2026-11-30), so head-on-trunk "
    "rotation cannot subtract it yet",
)
def test_trunk_yaw_follows_the_turned_trunk(turned_trunk_result: PostureResult) -> None:
    """What subtracting the trunk's yaw needs: the measured yaw within the engine's ±4° (+ the
    mesh's own gain error) of the 25° turn."""
    assert turned_trunk_result.trunk_yaw_deg == pytest.approx(25.0, abs=8.0)


def _mannequin_trunk_yaw(detector: object, trunk_turn: float, head_turn: float) -> float:
    """BlazePose's trunk yaw (what the engine reports) on a still of the 3-D mannequin."""
    import head_render

    from collis.posture.trunk import trunk_yaw_deg

    clip = head_render.Clip(
        "mannequin-still",
        trunk_model="mannequin",
        trunk_turn=head_render.Keyframes(((0.0, trunk_turn),)),
        rotation=head_render.Keyframes(((0.0, head_turn),)),
    )
    frame = head_render.render_frame(clip, 0.0, np.random.default_rng(1))
    assert detector.detect(frame) is not None  # type: ignore[attr-defined]
    shoulders = detector.shoulders_3d  # type: ignore[attr-defined]
    assert shoulders is not None
    yaw = trunk_yaw_deg(shoulders)
    assert yaw is not None
    return yaw


def test_the_mannequin_trunk_is_seen_frontal_and_level() -> None:
    """The 3-D mannequin (tests/posture/mannequin.py) is a fair trunk for BlazePose: found, its
    shoulder line level, and its 2-D shoulder width shrinking as it turns."""
    import head_render

    from collis.posture.landmarks import LEFT_SHOULDER, RIGHT_SHOULDER, PoseDetector
    from collis.posture.trunk import measure_trunk

    widths = {}
    with PoseDetector(static_image_mode=True) as detector:
        for turn in (0.0, 30.0, -30.0):
            clip = head_render.Clip(
                "mannequin-still",
                trunk_model="mannequin",
                trunk_turn=head_render.Keyframes(((0.0, turn),)),
            )
            pose = detector.detect(head_render.render_frame(clip, 0.0, np.random.default_rng(1)))
            assert pose is not None
            trunk = measure_trunk(pose)
            assert trunk.shoulder_elevation_deg == pytest.approx(0.0, abs=2.0)
            widths[turn] = float(np.hypot(*(pose[LEFT_SHOULDER, :2] - pose[RIGHT_SHOULDER, :2])))
    assert widths[30.0] < 0.95 * widths[0.0] and widths[-30.0] < 0.95 * widths[0.0]


@pytest.mark.xfail(
    strict=True,
    reason="On the 3-D mannequin too, BlazePose's metric shoulder line reads about a third of "
    "the trunk's turn and echoes the head turned on a still trunk (bench/bench_trunk_yaw.py), "
    "so head-on-trunk rotation cannot subtract it yet",
)
def test_trunk_yaw_follows_a_turned_mannequin_and_ignores_the_head() -> None:
    """What subtracting the yaw needs (bench_trunk_yaw.py's criteria): within 8° at ±15/±30°,
    and a head turned ±60° on a frontal trunk moving it by at most a tenth of that."""
    from collis.posture.landmarks import PoseDetector

    with PoseDetector(static_image_mode=True) as detector:
        for turn in (-30.0, -15.0, 15.0, 30.0):
            assert _mannequin_trunk_yaw(detector, turn, 0.0) == pytest.approx(turn, abs=8.0)
        left, right = (_mannequin_trunk_yaw(detector, 0.0, head) for head in (60.0, -60.0))
        assert abs(left - right) <= 0.1 * 120.0


@pytest.mark.parametrize("rotation", [15.0, 30.0, 45.0, 60.0])
def test_the_fit_reads_the_rendered_geometry_exactly(rotation: float) -> None:
    """The rendered heads read ≈ 0.65 of their rotation, but not because of the fit: on the
    rendered vertices themselves it is exact (head_render.py documents where the gain comes
    from)."""
    import head_render

    from collis.posture.geometry import SimilarityFitter, euler_from_rotation, patient_angles
    from collis.posture.reference_face import load_reference_face

    reference = load_reference_face()
    vertices = np.array(reference.vertices)
    placed = vertices @ head_render.camera_rotation(rotation, 4.0, -6.0).T
    fit = SimilarityFitter(vertices, reference.rigid_weight).fit(120.0 * placed + [300, 200, 0])
    angles = patient_angles(euler_from_rotation(fit.rotation))
    assert angles.rotation_deg == pytest.approx(rotation, abs=1e-6)
    assert angles.laterocollis_deg == pytest.approx(4.0, abs=1e-6)
    assert angles.flexion_deg == pytest.approx(-6.0, abs=1e-6)
