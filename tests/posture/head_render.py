"""Synthetic head-and-shoulders videos with known head angles, rendered in 3-D with OpenCV.

The face is a textured 3-D mesh: the geometry is the package's symmetric reference face
(468 MediaPipe mesh points, built from the astronaut photo), the texture is the public-domain
``skimage.data.astronaut()`` photo, mapped through MediaPipe's own landmarks of that photo, and
the triangles are MediaPipe's face-mesh tessellation. A head is rotated by
R = Ry(yaw)·Rx(pitch)·Rz(roll) (the package's Euler order) and projected orthographically, so
the face mesh MediaPipe finds sits at s·R·reference + t and the true angles are exactly the ones
asked for. Behind the face: a hair-coloured skull, a neck and the astronaut's own suit as the
trunk (a cut-out of the photo), which can lean and sway; the head rides on the trunk.

Angles are given in the DESIGN.md patient frame: rotation > 0 chin to the patient's left,
laterocollis > 0 left ear down, flexion > 0 chin down. ``head`` angles are relative to the
trunk; the camera sees trunk lean + head-on-trunk roll and trunk turn + head-on-trunk rotation.

Rotation on these renders reads ≈ 0.6–0.65 of the truth. Measured 2026-11-30 (a still at
25 % face width, static FaceMesh; bench/RESULTS.md): the engine's rigid fit of the *rendered
vertices* returns the yaw exactly (15/30/45/60°), so the fit and the Euler decomposition are
not the cause; fitting only the inner half of the mesh changes nothing (9.8 vs 10.3° at 15°).
It is MediaPipe's landmarks on the render: (a) their depth (z) turns less than the rendered
head (z-span/x-span 0.86 vs 1.00 at 45°), and a 2-D-only (scaled-orthographic) fit of the same
landmarks reads 0.72–0.76 of the truth instead of 0.60–0.62; (b) their 2-D positions are within
0.01–0.08 outer-eye distances of the rendered features for the eyes, nose and mouth but
0.15–0.23 off at the far cheek outline at 30–45°, where the textured mesh ends on a flat
hair-coloured disc (no ear, no real silhouette, orthographic projection). So the renderer's
face does not look to MediaPipe like a real turned head; how much real faces are under-read is
not known from these clips.

The trunk can also turn about the spine (``trunk_turn``): the suit is wrapped on an elliptic
cylinder. BlazePose's metric shoulder line did not follow that turn (3–19° with no order for
−45…+45°) and echoed the head's rotation instead. The photo's own body is turned, though, so
``trunk_model="mannequin"`` draws a symmetric shaded 3-D torso with arms instead
(mannequin.py); there the shoulder line read about a third of the turn and still echoed the
head (bench/bench_trunk_yaw.py). That is why head-on-trunk rotation does not subtract it
(collis.posture.analysis.TRUNK_YAW_SUBTRACTED).

Clips are cached under ``var/synthetic-posture/`` (or ``$COLLIS_SYNTHETIC_CACHE``) by a hash of
their recipe, so tests and benchmarks render each one once per machine; nothing is committed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import mannequin
import numpy as np
from numpy.typing import NDArray

from collis.posture.geometry import CameraAngles, rotation_from_euler
from collis.posture.reference_face import MESH_POINTS, load_reference_face

RgbImage = NDArray[np.uint8]
FloatArray = NDArray[np.float64]

ROOT = Path(__file__).resolve().parents[2]
# Reference units: outer-eye-corner distance = 1. The skull behind the face (own estimate).
SKULL_CENTRE = np.array([0.0, -0.35, 0.95])
SKULL_RADIUS = 1.3
# Photo geometry (512×512 astronaut): the neck point at the top of the suit's collar and the
# suit outline used as the trunk cut-out.
PHOTO_NECK = (222.0, 200.0)
PHOTO_SUIT = np.array(
    [[118, 168], [305, 168], [350, 290], [372, 512], [15, 512], [25, 290]], dtype=np.int32
)
PHOTO_FACE_WIDTH_PX = 92.0
# The suit's shoulder line in the photo falls 4.9° toward the image right (BlazePose shoulders
# at (113, 240) and (306, 257)); the cut-out is turned back so an unleaned trunk is level.
PHOTO_SHOULDER_ROLL_DEG = 4.9
# Distance from the neck point up to the skull centre, in reference units.
NECK_TO_HEAD = 1.9
# A turned trunk is an elliptic cylinder around the spine: half-width in photo pixels (the suit
# spans x 15–372 about the neck at 222) and depth ÷ width (chest depth ~0.55 of the breadth
# across the arms; own anthropometric estimate).
TRUNK_HALF_WIDTH_PHOTO_PX = 210.0
TRUNK_DEPTH_RATIO = 0.55


# ---------------------------------------------------------------- movement profiles


def min_jerk(tau: float) -> float:
    """Minimum-jerk position profile 0→1 over tau ∈ [0, 1] (natural point-to-point movement)."""
    tau = min(1.0, max(0.0, tau))
    return tau**3 * (10 - 15 * tau + 6 * tau**2)


@dataclass(frozen=True)
class Keyframes:
    """A piecewise minimum-jerk path through (time s, value) keys; holds before/after."""

    keys: tuple[tuple[float, float], ...] = ((0.0, 0.0),)

    def __call__(self, t: float) -> float:
        keys = self.keys
        if t <= keys[0][0]:
            return keys[0][1]
        for (t0, v0), (t1, v1) in zip(keys, keys[1:], strict=False):
            if t <= t1:
                return v0 + (v1 - v0) * min_jerk((t - t0) / (t1 - t0)) if t1 > t0 else v1
        return keys[-1][1]


@dataclass(frozen=True)
class Sine:
    """amplitude·sin(2π·f·t + phase); amplitude 0 for none."""

    frequency_hz: float = 0.0
    amplitude_deg: float = 0.0
    phase: float = 0.0

    def __call__(self, t: float) -> float:
        return self.amplitude_deg * math.sin(2 * math.pi * self.frequency_hz * t + self.phase)


@dataclass(frozen=True)
class Clip:
    """Recipe of one synthetic clip (all angles in the DESIGN.md patient frame, degrees)."""

    name: str
    seconds: float = 10.0
    fps: int = 30
    width: int = 640
    height: int = 480
    face_share: float = 0.16  # face width ÷ frame width
    rotation: Keyframes = Keyframes()
    laterocollis: Keyframes = Keyframes()
    flexion: Keyframes = Keyframes()
    tremor_axis: str = "rotation"
    tremor: Sine = Sine()
    trunk_lean: Keyframes = Keyframes()  # trunk roll, laterocollis sign
    trunk_sway: Sine = Sine()  # added to the lean
    trunk_turn: Keyframes = Keyframes()  # trunk yaw about the spine, rotation sign
    noise_seed: int = 0
    centre_x: float = 0.5  # face centre, share of the width
    luma: float = 1.0  # brightness factor
    blur_sigma: float = 0.0
    turned_quarter: int = 0  # store the frames turned by 90°·k (no rotation metadata)
    trunk_model: str = "suit"  # "suit": the photo cut-out; "mannequin": mannequin.py
    extra: dict[str, float] = field(default_factory=dict)

    def head_angles(self, t: float) -> tuple[float, float, float]:
        """Head-on-trunk (rotation, laterocollis, flexion) at ``t`` including tremor."""
        angles = {
            "rotation": self.rotation(t),
            "laterocollis": self.laterocollis(t),
            "flexion": self.flexion(t),
        }
        angles[self.tremor_axis] += self.tremor(t)
        return angles["rotation"], angles["laterocollis"], angles["flexion"]

    def trunk_roll(self, t: float) -> float:
        """Trunk lean at ``t`` (laterocollis sign)."""
        return self.trunk_lean(t) + self.trunk_sway(t)

    def camera_angles(self, t: float) -> tuple[float, float, float]:
        """Head angles relative to the camera: head-on-trunk plus the trunk's roll and turn."""
        rotation, laterocollis, flexion = self.head_angles(t)
        return rotation + self.trunk_turn(t), laterocollis + self.trunk_roll(t), flexion

    def times(self) -> FloatArray:
        """Presentation times of the frames."""
        return np.arange(int(round(self.seconds * self.fps))) / self.fps

    def key(self) -> str:
        """Stable hash of the recipe (cache key)."""
        recipe = asdict(self)
        if recipe["trunk_model"] == "suit":  # the clips from before the mannequin keep their key
            del recipe["trunk_model"]
        text = json.dumps(recipe, sort_keys=True, default=str) + RENDER_VERSION
        return hashlib.sha256(text.encode()).hexdigest()[:16]


RENDER_VERSION = "4"


# ---------------------------------------------------------------- the textured face model


@dataclass(frozen=True, eq=False)
class FaceModel:
    vertices: FloatArray  # (468, 3) reference units
    uv: FloatArray  # (468, 2) photo pixels
    triangles: NDArray[np.int64]  # (n, 3), wound so the frontal normal faces the camera
    photo: RgbImage
    skin: tuple[int, int, int]
    hair: tuple[int, int, int]


@functools.cache
def face_model() -> FaceModel:
    """Build the textured face (MediaPipe FaceMesh on the astronaut photo, run once)."""
    from mediapipe.python.solutions import face_mesh_connections as fmc
    from skimage import data

    from collis.posture.landmarks import FaceMeshDetector

    photo = data.astronaut()
    with FaceMeshDetector(static_image_mode=True) as detector:
        landmarks = detector.detect(photo)
    if landmarks is None:
        raise RuntimeError("no face in the astronaut photo")
    uv = landmarks[:MESH_POINTS, :2].copy()
    vertices = np.array(load_reference_face().vertices)
    neighbours: dict[int, set[int]] = {}
    for a, b in fmc.FACEMESH_TESSELATION:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    triangles = set()
    for a, near in neighbours.items():
        for b in near:
            for c in near & neighbours[b]:
                triangles.add(tuple(sorted((a, b, c))))
    tri = np.array(sorted(triangles), dtype=np.int64)
    # Wind each triangle so its 2-D area is positive in the frontal projection.
    p = vertices[:, :2]
    area = _signed_area(p[tri[:, 0]], p[tri[:, 1]], p[tri[:, 2]])
    tri[area < 0] = tri[area < 0][:, [0, 2, 1]]
    # Drop slivers that are not real faces of the mesh (cliques across thin regions).
    keep = np.abs(area) > 1e-5
    skin = tuple(int(v) for v in photo[95:105, 215:235].reshape(-1, 3).mean(axis=0))
    hair = tuple(int(v) for v in photo[30:40, 200:240].reshape(-1, 3).mean(axis=0))
    return FaceModel(vertices, uv, tri[keep], photo, skin, hair)  # type: ignore[arg-type]


def _signed_area(a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    ab, ac = b - a, c - a
    return 0.5 * (ab[..., 0] * ac[..., 1] - ab[..., 1] * ac[..., 0])


def camera_rotation(rotation: float, laterocollis: float, flexion: float) -> FloatArray:
    """Camera-frame rotation of the reference face for patient-frame angles (unmirrored)."""
    return rotation_from_euler(CameraAngles(-rotation, flexion, laterocollis))


# ---------------------------------------------------------------- rendering


@functools.cache
def _backdrop(width: int, height: int) -> RgbImage:
    y = np.linspace(0, 1, height)[:, None, None]
    x = np.linspace(0, 1, width)[None, :, None]
    top, bottom = np.array([196, 192, 186]), np.array([150, 148, 150])
    image = top + (bottom - top) * y + 12 * (x - 0.5)
    return np.ascontiguousarray(np.clip(image, 0, 255).astype(np.uint8))


@functools.cache
def _suit_cutout() -> tuple[RgbImage, NDArray[np.uint8]]:
    model = face_model()
    mask = np.zeros(model.photo.shape[:2], dtype=np.uint8)
    cv2.fillPoly(mask, [PHOTO_SUIT], 255)
    return model.photo, mask


def render_frame(clip: Clip, t: float, rng: np.random.Generator | None = None) -> RgbImage:
    """Render the frame of ``clip`` at time ``t`` (RGB, height × width)."""
    model = face_model()
    width, height = clip.width, clip.height
    canvas = _backdrop(width, height).copy()
    face_px = clip.face_share * width
    scale = face_px / _face_width_units(model)  # pixels per reference unit
    photo_scale = face_px / PHOTO_FACE_WIDTH_PX
    lean = math.radians(clip.trunk_roll(t))
    # Trunk: the suit cut-out, scaled, rotated by the lean about the hip point below the frame.
    neck_rest = np.array([clip.centre_x * width, 0.36 * height + 1.25 * face_px])
    hip = neck_rest + np.array([0.0, 3.2 * face_px])
    rot = np.array([[math.cos(lean), -math.sin(lean)], [math.sin(lean), math.cos(lean)]])
    neck = hip + rot @ (neck_rest - hip)
    if clip.trunk_model == "mannequin":
        mannequin.draw(canvas, face_px, neck, rot, clip.trunk_turn(t))
    else:
        _draw_suit(canvas, clip, t, photo_scale, rot, neck)
    # Head: its skull centre sits NECK_TO_HEAD above the neck along the trunk's up direction.
    up = rot @ np.array([0.0, -1.0])
    rotation, laterocollis, flexion = clip.camera_angles(t)
    r = camera_rotation(rotation, laterocollis, flexion)
    skull = r @ SKULL_CENTRE
    skull_px = neck + up * NECK_TO_HEAD * scale
    offset = skull_px - scale * skull[:2]  # image position of the reference origin
    neck_half = 0.55 * scale
    neck_poly = np.array(
        [
            skull_px + rot @ np.array([-neck_half, 0.0]),
            skull_px + rot @ np.array([neck_half, 0.0]),
            neck + rot @ np.array([neck_half, 0.0]),
            neck + rot @ np.array([-neck_half, 0.0]),
        ]
    )
    shade = tuple(int(0.8 * c) for c in model.skin)
    cv2.fillConvexPoly(canvas, np.round(neck_poly).astype(np.int32), shade, cv2.LINE_AA)
    cv2.circle(
        canvas,
        tuple(int(round(v)) for v in skull_px),
        int(round(SKULL_RADIUS * scale)),
        model.hair,
        -1,
        cv2.LINE_AA,
    )
    _draw_face(canvas, model, r, scale, offset)
    if clip.luma != 1.0:
        canvas = np.clip(canvas.astype(np.float32) * clip.luma, 0, 255).astype(np.uint8)
    if clip.blur_sigma > 0:
        canvas = cv2.GaussianBlur(canvas, (0, 0), clip.blur_sigma)
    if rng is not None:
        noise = rng.normal(0.0, 2.0, canvas.shape).astype(np.float32)
        canvas = np.clip(canvas + noise, 0, 255).astype(np.uint8)
    if clip.turned_quarter:
        canvas = np.ascontiguousarray(np.rot90(canvas, clip.turned_quarter))
    return canvas


def _draw_suit(
    canvas: RgbImage, clip: Clip, t: float, photo_scale: float, rot: FloatArray, neck: FloatArray
) -> None:
    """Paint the astronaut's suit cut-out as the trunk (wrapped on a cylinder when turned)."""
    width, height = clip.width, clip.height
    photo, mask = _suit_cutout()
    if clip.trunk_turn == Keyframes():
        affine = np.zeros((2, 3))
        affine[:, :2] = photo_scale * rot @ _levelled()
        affine[:, 2] = neck - affine[:, :2] @ np.array(PHOTO_NECK)
        suit = cv2.warpAffine(photo, affine, (width, height), flags=cv2.INTER_LINEAR)
        suit_mask = cv2.warpAffine(mask, affine, (width, height), flags=cv2.INTER_LINEAR)
    else:
        suit, suit_mask = _turned_suit(clip, t, photo_scale, rot, neck)
    alpha = suit_mask[..., None].astype(np.float32) / 255.0
    canvas[:] = (canvas * (1 - alpha) + suit * alpha).astype(np.uint8)


@functools.cache
def _levelled() -> FloatArray:
    level = math.radians(-PHOTO_SHOULDER_ROLL_DEG)
    return np.array([[math.cos(level), -math.sin(level)], [math.sin(level), math.cos(level)]])


def _turned_suit(
    clip: Clip, t: float, photo_scale: float, rot: FloatArray, neck: FloatArray
) -> tuple[RgbImage, NDArray[np.uint8]]:
    """The suit wrapped on the front of an elliptic cylinder turned about the spine.

    The photo is laid on the cylinder as seen from the front (so a zero turn looks like the flat
    cut-out), the cylinder is turned by the trunk's yaw about the vertical through the neck and
    projected orthographically like the head, with Lambert shading. A turn moves the
    suit's front (zip, collar) toward the far side of the outline and shows one flank, as a
    real trunk does; both shoulders keep their height, and the shoulder line's depth slope is
    exactly the turn.
    """
    width, height = clip.width, clip.height
    photo, mask = _suit_cutout()
    turn = math.radians(clip.trunk_turn(t))
    a = TRUNK_HALF_WIDTH_PHOTO_PX * photo_scale
    b = TRUNK_DEPTH_RATIO * a
    # Front arc of the turned ellipse: x'(φ) = a·cosθ·sinφ + b·sinθ·cosφ = R·sin(φ + δ).
    radius = math.hypot(a * math.cos(turn), b * math.sin(turn))
    delta = math.atan2(b * math.sin(turn), a * math.cos(turn))
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    # Image → trunk frame (undo the lean about the neck).
    dx, dy = xs - neck[0], ys - neck[1]
    u = rot[0, 0] * dx + rot[1, 0] * dy
    v = rot[0, 1] * dx + rot[1, 1] * dy
    inside = np.abs(u) < radius
    phi = np.arcsin(np.clip(u / radius, -1.0, 1.0)) - delta
    card_x = a * np.sin(phi)
    # Card (levelled, scaled, origin at the neck) → photo pixels.
    inverse = _levelled().T / photo_scale
    map_x = PHOTO_NECK[0] + inverse[0, 0] * card_x + inverse[0, 1] * v
    map_y = PHOTO_NECK[1] + inverse[1, 0] * card_x + inverse[1, 1] * v
    map_x[~inside] = -1.0
    # Lambert shading: the outward normal's component toward the camera.
    nx, nz = np.sin(phi) / a, -np.cos(phi) / b
    toward = -(nx * math.sin(turn) + nz * math.cos(turn)) / np.hypot(nx, nz)
    shade = (0.55 + 0.45 * np.clip(toward, 0.0, 1.0)).astype(np.float32)
    suit = cv2.remap(photo, map_x.astype(np.float32), map_y.astype(np.float32), cv2.INTER_LINEAR)
    suit_mask = cv2.remap(
        mask, map_x.astype(np.float32), map_y.astype(np.float32), cv2.INTER_LINEAR
    )
    suit = (suit * shade[..., None]).astype(np.uint8)
    return suit, suit_mask


@functools.cache
def _face_width_units(model: FaceModel) -> float:
    return float(np.ptp(model.vertices[:, 0]))


def _draw_face(
    canvas: RgbImage, model: FaceModel, r: FloatArray, scale: float, offset: FloatArray
) -> None:
    """Rasterise the textured mesh: triangle ids by painter's order, then one remap."""
    height, width = canvas.shape[:2]
    placed = model.vertices @ r.T
    pts = scale * placed[:, :2] + offset
    tri = model.triangles
    a, b, c = pts[tri[:, 0]], pts[tri[:, 1]], pts[tri[:, 2]]
    facing = _signed_area(a, b, c) > 0
    order = np.argsort(-placed[tri, 2].mean(axis=1))  # far first
    order = order[facing[order]]
    if len(order) == 0:
        return
    x0, y0 = np.floor(pts.min(axis=0)).astype(int) - 2
    x1, y1 = np.ceil(pts.max(axis=0)).astype(int) + 2
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(width, x1), min(height, y1)
    if x1 <= x0 or y1 <= y0:
        return
    ids = np.full((y1 - y0, x1 - x0), -1, dtype=np.int32)
    shift = 4
    fixed = np.round((pts - [x0, y0]) * (1 << shift)).astype(np.int32)
    for index in order:
        cv2.fillConvexPoly(ids, fixed[tri[index]], int(index), cv2.LINE_8, shift)
    ys, xs = np.nonzero(ids >= 0)
    if len(xs) == 0:
        return
    index = ids[ys, xs]
    # Per-triangle affine from image pixels to photo pixels.
    src = model.uv[tri]  # (n, 3, 2)
    dst = pts[tri]
    dst_h = np.concatenate([dst, np.ones((len(tri), 3, 1))], axis=2)  # (n, 3, 3)
    det = np.linalg.det(dst_h)
    ok = np.abs(det) > 1e-9
    inverse = np.zeros_like(dst_h)
    inverse[ok] = np.linalg.inv(dst_h[ok])
    coeffs = inverse @ src  # (n, 3, 2): [x, y, 1] @ coeffs = uv
    px = np.stack([xs + x0, ys + y0, np.ones(len(xs))], axis=1)
    uv = np.einsum("ij,ijk->ik", px, coeffs[index])
    map_x = np.full(ids.shape, -1.0, dtype=np.float32)
    map_y = np.full(ids.shape, -1.0, dtype=np.float32)
    map_x[ys, xs] = uv[:, 0]
    map_y[ys, xs] = uv[:, 1]
    patch = cv2.remap(model.photo, map_x, map_y, cv2.INTER_LINEAR)
    region = canvas[y0:y1, x0:x1]
    inside = ids >= 0
    # Soften the mesh border by one pixel so it does not read as a hard cut-out.
    soft = cv2.GaussianBlur(inside.astype(np.float32), (3, 3), 0)[..., None]
    soft[~inside] = 0.0
    region[:] = (region * (1 - soft) + patch * soft).astype(np.uint8)


def frames(clip: Clip) -> Iterator[tuple[float, RgbImage]]:
    """Yield (t, frame) for every frame of the clip."""
    rng = np.random.default_rng(clip.noise_seed) if clip.noise_seed else None
    for t in clip.times():
        yield float(t), render_frame(clip, float(t), rng)


def cache_dir() -> Path:
    """Where rendered clips are kept between runs (never committed)."""
    configured = os.environ.get("COLLIS_SYNTHETIC_CACHE")
    path = Path(configured) if configured else ROOT / "var" / "synthetic-posture"
    path.mkdir(parents=True, exist_ok=True)
    return path


def render_clip(clip: Clip, directory: Path | None = None) -> Path:
    """Write the clip as H.264 MP4 (cached by recipe hash) and return its path."""
    from synthetic_media import write_video

    directory = directory or cache_dir()
    path = directory / f"{clip.name}-{clip.key()}.mp4"
    if path.exists() and path.stat().st_size > 0:
        return path
    # Each writer its own partial file: two pytest-xdist workers may render the same recipe,
    # and the rename makes whichever finishes last the cached copy (both are identical).
    partial = path.with_name(f"{path.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part.mp4")
    pairs = list(frames(clip))
    write_video(partial, (f for _, f in pairs), [t for t, _ in pairs], rate=clip.fps)
    partial.replace(path)
    return path


def truth(clip: Clip) -> dict[str, FloatArray]:
    """The true per-frame angles: camera-referenced, head-on-trunk, the trunk's lean and turn."""
    times = clip.times()
    camera = np.array([clip.camera_angles(float(t)) for t in times])
    head = np.array([clip.head_angles(float(t)) for t in times])
    return {
        "t": times,
        "rotation_deg": camera[:, 0],
        "laterocollis_deg": camera[:, 1],
        "flexion_deg": camera[:, 2],
        "head_rotation_deg": head[:, 0],
        "head_laterocollis_deg": head[:, 1],
        "head_flexion_deg": head[:, 2],
        "trunk_roll_deg": np.array([clip.trunk_roll(float(t)) for t in times]),
        "trunk_turn_deg": np.array([clip.trunk_turn(float(t)) for t in times]),
    }


# ---------------------------------------------------------------- the standard clips


def _turns(amplitude: float, start: float = 0.5, move: float = 1.3, hold: float = 1.0):
    """0 → +A → 0 → −A → 0 with minimum-jerk moves and holds."""
    t = start
    keys = [(0.0, 0.0), (t, 0.0)]
    for target in (amplitude, 0.0, -amplitude, 0.0):
        t += move
        keys.append((t, target))
        t += hold
        keys.append((t, target))
    return Keyframes(tuple(keys))


def standard_clips() -> dict[str, Clip]:
    """The moving-head clips the tests and the benchmark share (10 s, 640×480, 30 fps)."""
    sway = Sine(0.25, 2.0)
    return {
        "turns": Clip(
            "turns",
            rotation=_turns(70.0),
            laterocollis=Keyframes(((0.0, 4.0),)),
            trunk_sway=sway,
            noise_seed=1,
        ),
        "tilts": Clip(
            "tilts",
            laterocollis=_turns(30.0, start=0.3, move=1.0, hold=0.8),
            flexion=Keyframes(
                (
                    (0.0, 0.0),
                    (5.3, 0.0),
                    (6.3, 30.0),
                    (7.3, 30.0),
                    (8.3, -30.0),
                    (9.3, -30.0),
                    (10.0, 0.0),
                )
            ),  # fmt: skip
            rotation=Keyframes(((0.0, 10.0),)),
            trunk_sway=sway,
            noise_seed=2,
        ),
        "small": Clip(
            "small",
            face_share=0.09,
            rotation=_turns(60.0, move=1.5, hold=0.8),
            laterocollis=Keyframes(((0.0, -8.0), (5.0, -8.0), (6.0, 15.0), (10.0, 15.0))),
            trunk_sway=sway,
            noise_seed=3,
        ),
        "tremor": Clip(
            "tremor",
            rotation=Keyframes(((0.0, 20.0), (4.0, 20.0), (5.5, 35.0), (10.0, 35.0))),
            tremor_axis="laterocollis",
            tremor=Sine(4.5, 3.0),
            trunk_sway=sway,
            noise_seed=4,
        ),
    }


def lean_clips() -> dict[str, Clip]:
    """The same 12° head tilt to the camera: from a leaning trunk, or from the neck.

    "lean": the trunk leans 12° toward the patient's left, the head sits straight on it.
    "upright": the trunk is upright, the head tilts 12° (laterocollis) on it.
    """
    common = {"seconds": 6.0, "rotation": Keyframes(((0.0, 5.0),)), "noise_seed": 11}
    return {
        "lean": Clip("lean", trunk_lean=Keyframes(((0.0, 12.0),)), **common),  # type: ignore[arg-type]
        "upright": Clip("upright", laterocollis=Keyframes(((0.0, 12.0),)), **common),  # type: ignore[arg-type]
    }


def turned_trunk_clip() -> Clip:
    """The trunk turned 25° toward the patient's left about the spine, the head straight on it:
    the camera sees a 25° head rotation, the head-on-trunk rotation is 0."""
    return Clip(
        "turned-trunk",
        seconds=4.0,
        trunk_turn=Keyframes(((0.0, 25.0),)),
        laterocollis=Keyframes(((0.0, 3.0),)),
        noise_seed=14,
    )
