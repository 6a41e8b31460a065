"""Draw landmarks, head axes and angles onto the analysed frames (``--annotate OUT``)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from .errors import UnreadableInputError
from .landmarks import LEFT_SHOULDER, RIGHT_SHOULDER
from .measurement import FrameMeasurement, Overlay
from .media import MediaKind

RgbImage = NDArray[np.uint8]

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"})
_VIDEO_SUFFIXES = {".mp4", ".mov", ".mkv"}
# Axis colours (RGB): the head's own left (x), down (y) and backward (z) directions.
_AXIS_COLOURS = ((230, 40, 40), (40, 200, 40), (40, 90, 240))
_MESH_COLOUR = (255, 255, 255)
_SHOULDER_COLOUR = (250, 200, 0)
_MILLISECONDS = Fraction(1, 1000)


def draw_overlay(rgb: RgbImage, overlay: Overlay, measurement: FrameMeasurement) -> RgbImage:
    """Return a copy of ``rgb`` with the mesh, head axes, shoulder line and angle text."""
    canvas = np.ascontiguousarray(rgb.copy())
    scale = max(1, round(max(canvas.shape[:2]) / 640))
    face = overlay.landmarks.face
    if face is not None:
        for x, y in face[:, :2].astype(int):
            cv2.circle(canvas, (int(x), int(y)), scale, _MESH_COLOUR, -1, cv2.LINE_AA)
    if overlay.axis_origin is not None and overlay.axis_tips is not None:
        origin = tuple(int(v) for v in overlay.axis_origin[:2])
        for tip, colour in zip(overlay.axis_tips, _AXIS_COLOURS, strict=True):
            end = tuple(int(v) for v in tip[:2])
            cv2.arrowedLine(canvas, origin, end, colour, 2 * scale, cv2.LINE_AA, tipLength=0.15)
    pose = overlay.landmarks.pose
    if pose is not None:
        left = tuple(int(v) for v in pose[LEFT_SHOULDER, :2])
        right = tuple(int(v) for v in pose[RIGHT_SHOULDER, :2])
        cv2.line(canvas, left, right, _SHOULDER_COLOUR, 2 * scale, cv2.LINE_AA)
    if measurement.angles is not None:
        a = measurement.angles
        lines = (
            f"rotation {a.rotation_deg:+.1f}",
            f"laterocollis {a.laterocollis_deg:+.1f}",
            f"flexion {a.flexion_deg:+.1f}",
        )
    else:
        lines = ("no face",)
    _label(canvas, lines, scale)
    return canvas


def _label(canvas: RgbImage, lines: tuple[str, ...], scale: int) -> None:
    """Draw the lines once, white on one dark box with a light outline (issue #14: the text
    was drawn twice, offset, and read as a double image)."""
    font, size, weight = cv2.FONT_HERSHEY_SIMPLEX, 0.6 * scale, max(1, scale)
    pad, gap = 6 * scale, 8 * scale
    sizes = [cv2.getTextSize(text, font, size, weight) for text in lines]
    line_height = max(h + base for (_, h), base in sizes)
    width = max(w for (w, _), _ in sizes) + 2 * pad
    height = len(lines) * line_height + (len(lines) - 1) * gap + 2 * pad
    x0, y0 = 8 * scale, 8 * scale
    box = canvas[y0 : y0 + height, x0 : x0 + width]
    box[:] = (box * 0.35).astype(np.uint8)  # darken what is behind, keep it faintly visible
    cv2.rectangle(canvas, (x0, y0), (x0 + width, y0 + height), (255, 255, 255), 1, cv2.LINE_AA)
    for row, ((_, h), _base) in enumerate(sizes):
        y = y0 + pad + row * (line_height + gap) + h
        cv2.putText(canvas, lines[row], (x0 + pad, y), font, size, (255, 255, 255), weight,
                    cv2.LINE_AA)  # fmt: skip


class Annotator:
    """Write annotated frames: one image for a photo, an H.264 MP4 for a video (streamed)."""

    def __init__(self, out: Path, kind: MediaKind, fps: float | None) -> None:
        suffix = out.suffix.lower()
        allowed = IMAGE_SUFFIXES if kind == "image" else _VIDEO_SUFFIXES
        if suffix not in allowed:
            raise UnreadableInputError(
                f"--annotate for a {kind} needs one of {', '.join(sorted(allowed))}, not {out.name}"
            )
        self._out = out
        self._kind = kind
        self._fps = fps or 30.0
        self._container: av.container.OutputContainer | None = None
        self._stream: av.video.stream.VideoStream | None = None
        self._last_pts = -1

    def add(self, rgb: RgbImage, overlay: Overlay, measurement: FrameMeasurement) -> None:
        """Annotate one frame and write it."""
        canvas = draw_overlay(rgb, overlay, measurement)
        if self._kind == "image":
            Image.fromarray(canvas).save(self._out)
            return
        # H.264 with 4:2:0 chroma needs even dimensions.
        height, width = (canvas.shape[0] // 2) * 2, (canvas.shape[1] // 2) * 2
        canvas = np.ascontiguousarray(canvas[:height, :width])
        if self._container is None:
            self._container = av.open(str(self._out), "w")
            stream = self._container.add_stream("libx264", rate=round(self._fps))
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            stream.codec_context.time_base = _MILLISECONDS
            stream.time_base = _MILLISECONDS
            self._stream = stream
        assert self._stream is not None
        frame = av.VideoFrame.from_ndarray(canvas, format="rgb24")
        pts = max(self._last_pts + 1, round(measurement.t * 1000))
        frame.pts, frame.time_base = pts, _MILLISECONDS
        self._last_pts = pts
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def close(self) -> None:
        """Flush and close the output video, if any."""
        if self._container is not None and self._stream is not None:
            for packet in self._stream.encode():
                self._container.mux(packet)
            self._container.close()
            self._container = None
