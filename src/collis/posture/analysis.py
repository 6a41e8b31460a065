"""Run the whole analysis over a photo or video: decode → landmarks → measures → summary."""

from __future__ import annotations

import contextlib
from array import array
from collections.abc import Iterator
from os import PathLike
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from .annotate import IMAGE_SUFFIXES, Annotator, draw_overlay
from .errors import NoFaceError, OrientationError, UnreadableInputError
from .landmarks import FaceCounter, LandmarkTracker
from .measurement import BLEND_START_DEG, FrameMeasurement, RotationBlender, measure_frame
from .media import Frame, FrameStream, MediaInfo, prefetched, probe
from .progress import ProgressCallback, ProgressReporter
from .quality import CaptureStats, QualityWarning, assess_quality
from .reference_face import load_reference_face
from .result import Excursion, HeadAngles, NeutralReference, PostureResult, Shifts
from .series import (
    AXES,
    AngleSeries,
    clean_series,
    dropped_frame_count,
    fraction_near_neutral,
    reentry_mask,
    representative_frame,
    robust_centre,
    sustained_excursion,
)
from .suggestions import suggest_severity
from .tremor import estimate_tremor
from .trunk import TrunkMeasurement, lateral_shift_present, measure_trunk

FloatArray = NDArray[np.float64]

# Count faces in a video every 4 s: a second person walking in is rare and the detector costs
# ~4 ms a frame (~2 FaceMesh tracking frames). Own choice.
FACE_COUNT_INTERVAL_S = 4.0
# Tell the tracker the head is turned (landmarks.TURN_SETTLE_S: one pose run per turn)
# this far: where the nose/ear estimate starts to blend into the rotation
# (measurement.BLEND_START_DEG). Own choice.
TURNED_ROTATION_DEG = BLEND_START_DEG
# Head-on-trunk angles are reported when the shoulders were seen in at least half the frames
# with a face. Own choice.
MIN_TRUNK_SHARE = 0.5
# A picture counts as on its side or upside down when the median face roll exceeds 60° or the
# median body axis (shoulders → nose) is over 50° from image-up: no posture of the head on an
# upright patient reaches either (TWSTRS laterocollis tops out at ">35°", clinical.md §1.1 A).
# Own choice.
MAX_UPRIGHT_ROLL_DEG = 60.0
MAX_BODY_UP_DEG = 50.0
# The trunk's lean is the median of the pose samples within this window centred on each frame
# (see _head_on_trunk_series). Own choice: about five 2-s pose samples.
TRUNK_SMOOTHING_S = 10.0
# Head-on-trunk rotation does NOT subtract BlazePose's trunk yaw (DESIGN.md asks for it): on
# rendered trunks turned −45…+45° about the spine (tests/posture/head_render.py, an elliptic
# cylinder with the astronaut's suit) its metric shoulder line read 3–19° with no order (video:
# 6–8° for −25/0/+25°), and it echoed the head: on a frontal trunk, yaw = 12.5° + 0.20 × head
# rotation (r = 0.98, ±70° turns; bench/RESULTS.md, 2026-11-30 09:22). Subtracting it would
# take a fifth of a torticollis rotation (plus the bias) away and lower TWSTRS grades. On a
# symmetric shaded 3-D mannequin (tests/posture/mannequin.py) it did no better: 0.33 of the
# trunk's turn, and a head turned ±60° on a frontal trunk moved it by 0.16 of the head's turn;
# the pixel depth and the 2-D shoulder width echo the head more (bench/bench_trunk_yaw.py,
# RESULTS.md 2026-11-30). The yaw is measured and reported (``trunk_yaw_deg``); turn this on
# once clips of real turned trunks show it tracks the trunk and not the head.
TRUNK_YAW_SUBTRACTED = False
# Frames decoded ahead of the analysis by the decoding thread (a 640×480 RGB frame is 0.9 MB).
PREFETCH_FRAMES = 4
# Face brightness, blur and the PnP cross-check only feed medians over the video (quality
# warnings, diagnostics), so a video measures them twice a second, not on every frame. Own
# choice.
DIAGNOSTICS_INTERVAL_S = 0.5

_COLUMNS = (
    "t",
    "rotation_deg",
    "laterocollis_deg",
    "flexion_deg",
    "pose_fallback",
    "face_width_px",
    "line_of_sight_deg",
    "face_luma",
    "face_sharpness",
    "shoulder_elevation_deg",
    "trunk_tilt_deg",
    "trunk_from_hips",
    "lateral_offset",
    "trunk_turn_deg",
    "body_up_deg",
    "fit_residual",
    "pnp_disagreement_deg",
)


class _Columns:
    """Per-frame numbers as compact float arrays (about 110 bytes a frame)."""

    def __init__(self) -> None:
        self._data = {name: array("d") for name in _COLUMNS}

    def append(self, m: FrameMeasurement) -> None:
        nan = float("nan")
        a = m.angles
        tr = m.trunk
        values = {
            "t": m.t,
            "rotation_deg": a.rotation_deg if a else nan,
            "laterocollis_deg": a.laterocollis_deg if a else nan,
            "flexion_deg": a.flexion_deg if a else nan,
            "pose_fallback": float(m.rotation_method == "pose_ears") if a else nan,
            "face_width_px": m.face_width_px,
            "line_of_sight_deg": m.line_of_sight_deg,
            "face_luma": m.face_luma,
            "face_sharpness": m.face_sharpness,
            "shoulder_elevation_deg": tr.shoulder_elevation_deg,
            "trunk_tilt_deg": tr.trunk_tilt_deg,
            "trunk_from_hips": (
                nan if tr.trunk_reference is None else float(tr.trunk_reference == "hips")
            ),
            "lateral_offset": tr.lateral_offset,
            "trunk_turn_deg": tr.trunk_turn_deg,
            "body_up_deg": tr.body_up_deg,
            "fit_residual": m.fit_residual,
            "pnp_disagreement_deg": m.pnp_disagreement_deg,
        }
        for name, value in values.items():
            self._data[name].append(nan if value is None else float(value))

    def __len__(self) -> int:
        return len(self._data["t"])

    def __getitem__(self, name: str) -> FloatArray:
        return np.frombuffer(self._data[name], dtype=np.float64).copy()


def analyze(
    path: str | PathLike[str],
    *,
    mirrored: bool = False,
    progress: ProgressCallback | None = None,
    annotate_to: str | PathLike[str] | None = None,
    neutral: NeutralReference | None = None,
) -> PostureResult:
    """Measure head posture, shifts and tremor in a photo or video.

    ``mirrored``: the input comes from a selfie camera (left and right swapped); frames are
    flipped back before analysis. ``progress`` receives throttled ``Progress`` reports; raise
    from it to cancel. ``annotate_to``: also write an annotated copy (image or .mp4); for a
    video, an image path gets one annotated still of the frame closest to the central angles.
    ``neutral``: the patient's own neutral posture (a clinician-marked recording); flexion is
    then reported against it instead of against the packaged reference face.

    Raises UnreadableInputError (not a readable or safe image/video) and NoFaceError.
    """
    source = Path(path)
    info = probe(source)
    still_to = None
    if annotate_to and info.kind == "video" and Path(annotate_to).suffix.lower() in IMAGE_SUFFIXES:
        still_to, annotate_to = Path(annotate_to), None
    annotator = Annotator(Path(annotate_to), info.kind, info.nominal_fps) if annotate_to else None
    stream = FrameStream(info)
    columns = _Columns()
    max_faces = 0
    reporter = ProgressReporter(progress, info.frame_count_estimate, info.duration_s)
    reference = load_reference_face()
    with contextlib.ExitStack() as stack:
        tracker = stack.enter_context(LandmarkTracker(static_image_mode=info.kind == "image"))
        counter = FaceCounter()
        stack.callback(counter.close)
        if annotator is not None:
            stack.callback(annotator.close)
        next_count_t = 0.0
        turned = False
        next_diagnostics_t = 0.0
        trunk_cache: tuple[object, TrunkMeasurement] | None = None
        blender = RotationBlender()
        frames = stack.enter_context(prefetched(_frames(stream, mirrored), PREFETCH_FRAMES))
        for frame in frames:
            landmarks = tracker.detect(frame.rgb, frame.t, turned=turned)
            # A held pose is the same array from frame to frame: measure the trunk once.
            pose_new = trunk_cache is None or trunk_cache[0] is not landmarks.pose
            if pose_new:
                trunk_cache = (
                    landmarks.pose,
                    measure_trunk(landmarks.pose, landmarks.shoulders_3d),
                )
            diagnostics = frame.t >= next_diagnostics_t
            measurement, overlay = measure_frame(
                frame.t,
                frame.rgb,
                landmarks,
                reference,
                trunk=trunk_cache[1],
                diagnostics=diagnostics,
                blender=blender,
                pose_new=pose_new,
            )
            if diagnostics and measurement.has_face:
                next_diagnostics_t = frame.t + DIAGNOSTICS_INTERVAL_S
            columns.append(measurement)
            turned = (
                measurement.angles is not None
                and abs(measurement.angles.rotation_deg) >= TURNED_ROTATION_DEG
            )
            if frame.t >= next_count_t:
                max_faces = max(max_faces, counter.count(frame.rgb))
                next_count_t = frame.t + FACE_COUNT_INTERVAL_S
            if annotator is not None:
                annotator.add(frame.rgb, overlay, measurement)
            reporter.frame_done(frame.t)
    if len(columns) == 0:
        raise UnreadableInputError(f"{source} contains no frames")
    result = _summarise(info, columns, max_faces, stream.stopped_early, mirrored, neutral)
    if still_to is not None:
        _write_still(info, result, mirrored, still_to)
    reporter.finish()
    return result


def _write_still(info: MediaInfo, result: PostureResult, mirrored: bool, out: Path) -> None:
    """Annotate the video frame whose angles are closest to the result's central angles."""
    a = result.angles
    index = representative_frame(result.series, (a.rotation_deg, a.laterocollis_deg, a.flexion_deg))
    # Decoding again costs far less than keeping every frame of the first pass in memory.
    for number, frame in enumerate(_frames(FrameStream(info), mirrored)):
        if number < index:
            continue
        with LandmarkTracker(static_image_mode=True) as tracker:
            landmarks = tracker.detect(frame.rgb, frame.t)
        measurement, overlay = measure_frame(
            frame.t,
            frame.rgb,
            landmarks,
            load_reference_face(),
            trunk=measure_trunk(landmarks.pose, landmarks.shoulders_3d),
            diagnostics=False,
        )
        Image.fromarray(draw_overlay(frame.rgb, overlay, measurement)).save(out)
        return


def _frames(stream: FrameStream, mirrored: bool) -> Iterator[Frame]:
    for frame in stream:
        if mirrored:
            # A selfie camera swaps the patient's sides; flipping back makes --mirrored exactly
            # "analyse the flipped picture".
            frame = Frame(frame.t, np.ascontiguousarray(frame.rgb[:, ::-1]))
        yield frame


def _summarise(
    info: MediaInfo,
    columns: _Columns,
    max_faces: int,
    stopped_early: bool,
    mirrored: bool,
    neutral: NeutralReference | None = None,
) -> PostureResult:
    flexion = columns["flexion_deg"]
    if neutral is not None:
        flexion = flexion - neutral.flexion_deg
    series = AngleSeries(
        columns["t"], columns["rotation_deg"], columns["laterocollis_deg"], flexion
    )
    with_face = series.valid
    reentry = reentry_mask(series.t, with_face) if info.kind == "video" else None
    if reentry is not None and reentry.any():
        series = AngleSeries(
            series.t,
            *(np.where(reentry, np.nan, series.axis(name)) for name in AXES),
        )
    frames_with_face = int(with_face.sum())
    if frames_with_face == 0:
        count = len(columns)
        raise NoFaceError(f"no face found in {info.path.name} ({count} frame{'s' * (count != 1)})")
    _check_orientation(info, columns, series)
    cleaned = clean_series(series)
    rotation = _centre(cleaned.rotation_deg, series.rotation_deg)
    laterocollis = _centre(cleaned.laterocollis_deg, series.laterocollis_deg)
    flexion = _centre(cleaned.flexion_deg, series.flexion_deg)
    fallback_share = float(np.nanmean(columns["pose_fallback"]))
    method = "face_mesh" if fallback_share == 0 else "pose_ears" if fallback_share == 1 else "mixed"
    angles = HeadAngles(rotation, laterocollis, flexion, rotation_method=method)

    shifts, shoulders_seen = _shifts(columns, laterocollis)
    warnings = list(
        assess_quality(
            CaptureStats(
                kind=info.kind,
                frames=len(columns),
                frames_with_face=frames_with_face,
                face_width_px=robust_centre(columns["face_width_px"]),
                face_luma=robust_centre(columns["face_luma"]),
                face_sharpness=robust_centre(columns["face_sharpness"]),
                max_abs_rotation_deg=float(np.nanmax(np.abs(cleaned.rotation_deg)))
                if np.any(~np.isnan(cleaned.rotation_deg))
                else None,
                pose_fallback_frames=int(np.nansum(columns["pose_fallback"])),
                line_of_sight_deg=robust_centre(columns["line_of_sight_deg"]),
                max_faces_seen=max_faces,
                dropped_frames=dropped_frame_count(series.t) if info.kind == "video" else 0,
                decoding_stopped_early=stopped_early,
                shoulders_seen=shoulders_seen,
            )
        )
    )
    if info.front_camera_hint and not mirrored:
        warnings.append(
            QualityWarning(
                "maybe_mirrored",
                "the file says it comes from a front (selfie) camera, whose pictures are often "
                "mirrored: if left and right are swapped, analyse it again as mirrored",
            )
        )
    warnings.append(
        QualityWarning(
            "sagittal_not_assessable",
            "sagittal shift cannot be judged from a frontal view; not assessed",
        )
    )
    tremor = estimate_tremor(cleaned)
    if info.kind == "video" and tremor.note and tremor.detected is not False:
        warnings.append(QualityWarning("tremor", tremor.note))
    on_trunk_series = None
    trunk_yaw = None
    on_trunk_found = _head_on_trunk_series(cleaned, columns)
    if on_trunk_found is not None:
        on_trunk_series, yaw_series = on_trunk_found
        trunk_yaw = robust_centre(np.where(cleaned.valid, yaw_series, np.nan))
    on_trunk = None
    if on_trunk_series is not None:
        on_trunk = HeadAngles(
            _centre(on_trunk_series.rotation_deg, on_trunk_series.rotation_deg),
            _centre(on_trunk_series.laterocollis_deg, on_trunk_series.laterocollis_deg),
            _centre(on_trunk_series.flexion_deg, on_trunk_series.flexion_deg),
            rotation_method=method,
        )
    graded = on_trunk_series if on_trunk_series is not None else cleaned
    reference = "head on trunk" if on_trunk_series is not None else "camera"
    excursion = Excursion(
        *(
            sustained_excursion(graded.t, graded.axis(name))
            if info.kind == "video"
            else graded.axis(name)[0]
            for name in AXES
        ),
        reference=reference,
    )
    flexion_reference = (
        f"flexion against the patient's neutral ({neutral.label})"
        if neutral is not None
        else "pitch zero uncalibrated (packaged reference face, no neutral recording)"
    )
    statistic = (
        "sustained maximal excursion (95th percentile held ≥ 1 s)"
        if info.kind == "video"
        else "photo"
    )
    unreliable = any(w.code == "angles_unreliable" for w in warnings)
    severity = (
        ()
        if unreliable
        else suggest_severity(
            rotation_deg=_or(excursion.rotation_deg, rotation),
            laterocollis_deg=_or(excursion.laterocollis_deg, laterocollis),
            flexion_deg=_or(excursion.flexion_deg, flexion),
            lateral_shift=shifts.lateral_shift,
            sagittal_shift=shifts.sagittal_shift,
            shoulder_elevation_deg=shifts.shoulder_elevation_deg,
            measured_as=f"{statistic}, {reference}",
            flexion_reference=flexion_reference,
        )
    )
    t = series.t
    fps = (len(t) - 1) / float(t[-1] - t[0]) if len(t) > 1 and t[-1] > t[0] else info.nominal_fps
    return PostureResult(
        source=str(info.path),
        kind=info.kind,
        fps=fps if info.kind == "video" else None,
        frames=len(columns),
        frames_with_face=frames_with_face,
        angles=angles,
        shifts=shifts,
        tremor=tremor,
        severity=severity,
        warnings=tuple(warnings),
        series=series,
        fraction_near_neutral=fraction_near_neutral(cleaned),
        dropped_frames=dropped_frame_count(t) if info.kind == "video" else 0,
        mirrored=mirrored,
        fit_residual=robust_centre(columns["fit_residual"]),
        pnp_disagreement_deg=robust_centre(columns["pnp_disagreement_deg"]),
        head_on_trunk=on_trunk,
        head_on_trunk_series=on_trunk_series,
        trunk_yaw_deg=trunk_yaw,
        trunk_yaw_subtracted=TRUNK_YAW_SUBTRACTED and on_trunk_series is not None,
        excursion=excursion,
        flexion_reference="neutral_recording" if neutral is not None else "reference_face",
        neutral_label=neutral.label if neutral is not None else None,
        neutral_offset_deg=neutral.flexion_deg if neutral is not None else 0.0,
    )


def _check_orientation(info: MediaInfo, columns: _Columns, series: AngleSeries) -> None:
    """Refuse a picture on its side or upside down (issue #14: −89° laterocollis reported).

    Two independent cues: the face mesh's roll (a quarter turn reads as ±90°) and the body's
    up direction from the pose (shoulders above the nose when upside down, where the face mesh
    is fitted upright to an inverted face and its angles mean nothing).
    """
    roll = robust_centre(series.laterocollis_deg)
    body_up = robust_centre(np.abs(columns["body_up_deg"]))
    turned = (roll is not None and abs(roll) > MAX_UPRIGHT_ROLL_DEG) or (
        body_up is not None and body_up > MAX_BODY_UP_DEG
    )
    if not turned:
        return
    seen = f"face rolled {roll:+.0f}°" if roll is not None else "face not measured"
    if body_up is not None:
        seen += f", body {body_up:.0f}° from upright"
    raise OrientationError(
        f"{info.path.name} looks turned on its side or upside down ({seen}); rotate the "
        "picture upright (or check the phone's rotation setting) and analyse it again"
    )


def _or(value: float | None, fallback: float) -> float:
    return fallback if value is None else value


def _head_on_trunk_series(
    cleaned: AngleSeries, columns: _Columns, *, subtract_yaw: bool = TRUNK_YAW_SUBTRACTED
) -> tuple[AngleSeries, FloatArray] | None:
    """Head angles relative to the trunk, and the trunk's yaw per frame.

    laterocollis − the trunk's lean (hips → shoulders, or the shoulder line without hips);
    rotation − the trunk's yaw (BlazePose's metric 3-D shoulder line, trunk.trunk_yaw_deg)
    when ``subtract_yaw`` (see ``TRUNK_YAW_SUBTRACTED`` for why not by default). Both are
    smoothed by a rolling median over ``TRUNK_SMOOTHING_S``: a pose sample is held up to 2 s
    and carries ±3–4° of noise, which would otherwise show as a sustained head tilt or turn.
    Flexion passes through: a frontal view does not show the trunk's pitch. None when the
    trunk was seen in under half the frames with a face.
    """
    tilt = columns["trunk_tilt_deg"]
    face = cleaned.valid
    seen = ~np.isnan(tilt)
    if face.sum() == 0 or np.mean(seen[face]) < MIN_TRUNK_SHARE:
        return None
    t = cleaned.t
    lean = _rolling_trunk(t, tilt)
    yaw = _rolling_trunk(t, columns["trunk_turn_deg"])
    rotation = cleaned.rotation_deg - yaw if subtract_yaw else cleaned.rotation_deg.copy()
    series = AngleSeries(t, rotation, cleaned.laterocollis_deg - lean, cleaned.flexion_deg.copy())
    return series, yaw


def _rolling_trunk(t: FloatArray, values: FloatArray) -> FloatArray:
    """Rolling median of the pose samples within ``TRUNK_SMOOTHING_S`` around each frame.

    One value per pose run (a held pose repeats the same float from frame to frame); frames
    with no sample in the window take the nearest one; NaN everywhere without samples.
    """
    seen = ~np.isnan(values)
    if not seen.any():
        return np.full(len(t), np.nan)
    starts = seen & np.concatenate(([True], values[1:] != values[:-1]))
    sample_t, sample_v = t[starts], values[starts]
    half = TRUNK_SMOOTHING_S / 2
    lo = np.searchsorted(sample_t, t - half, side="left")
    hi = np.searchsorted(sample_t, t + half, side="right")
    out = np.empty(len(t))
    medians: dict[tuple[int, int], float] = {}  # the window changes only at pose samples
    for i, (a, b) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True)):
        if b > a:
            if (a, b) not in medians:
                medians[(a, b)] = float(np.median(sample_v[a:b]))
            out[i] = medians[(a, b)]
        else:
            out[i] = float(sample_v[np.argmin(np.abs(sample_t - t[i]))])
    return out


def _centre(cleaned: FloatArray, raw: FloatArray) -> float:
    # With very few frames the Hampel filter may blank everything; fall back to the raw median.
    value = robust_centre(cleaned)
    if value is None:
        value = robust_centre(raw)
    assert value is not None  # callers ensure at least one frame with a face
    return value


def _shifts(columns: _Columns, laterocollis: float) -> tuple[Shifts, bool]:
    elevation = robust_centre(columns["shoulder_elevation_deg"])
    offset = robust_centre(columns["lateral_offset"])
    roll_vs_trunk = robust_centre(columns["laterocollis_deg"] - columns["trunk_tilt_deg"])
    from_hips = robust_centre(columns["trunk_from_hips"])
    reference = None if from_hips is None else "hips" if from_hips >= 0.5 else "shoulders"
    shifts = Shifts(
        lateral_shift=lateral_shift_present(offset, laterocollis),
        sagittal_shift=None,
        shoulder_elevation_deg=elevation,
        lateral_offset=offset,
        head_roll_vs_trunk_deg=roll_vs_trunk,
        trunk_reference=reference,
        trunk_turn_deg=robust_centre(columns["trunk_turn_deg"]),
    )
    return shifts, elevation is not None
