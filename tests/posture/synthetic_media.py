"""Synthetic photos and videos built from ``skimage.data.astronaut()`` (public-domain NASA photo
shipped with scikit-image), transformed in known ways. Shared by the tests and the benchmark."""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
from numpy.typing import NDArray
from skimage import data

RgbImage = NDArray[np.uint8]

# Approximate centre of the astronaut's face in the 512×512 photo (pixels).
FACE_CENTRE = (225.0, 120.0)


def astronaut() -> RgbImage:
    """Return the 512×512 RGB astronaut photo."""
    return data.astronaut()


def rotated_astronaut(angle_deg: float) -> RgbImage:
    """Return the photo rotated counter-clockwise by ``angle_deg`` on a padded canvas.

    The canvas is padded to the diagonal so no part of the face or shoulders is cropped.
    """
    photo = astronaut()
    side = int(math.ceil(math.hypot(*photo.shape[:2])))
    pad = (side - photo.shape[0]) // 2
    canvas = cv2.copyMakeBorder(photo, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    centre = (canvas.shape[1] / 2, canvas.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(centre, angle_deg, 1.0)
    size = (canvas.shape[1], canvas.shape[0])
    return cv2.warpAffine(canvas, matrix, size, flags=cv2.INTER_LINEAR)


def upper_body_frame(width: int, height: int) -> tuple[RgbImage, tuple[float, float]]:
    """Return a head-and-shoulders crop of the photo at ``width``×``height`` and the face centre."""
    photo = astronaut()
    crop_height = int(round(512 * height / width))
    crop = photo[:crop_height] if crop_height <= 512 else photo
    frame = cv2.resize(crop, (width, height), interpolation=cv2.INTER_AREA)
    scale = width / 512
    return frame, (FACE_CENTRE[0] * scale, FACE_CENTRE[1] * scale)


def roll_oscillation_frames(
    frequency_hz: float,
    amplitude_deg: float,
    times: Iterable[float],
    width: int = 480,
    height: int = 360,
) -> Iterable[RgbImage]:
    """Yield frames whose whole picture turns in-plane by A·sin(2πft) about the face centre."""
    frame, centre = upper_body_frame(width, height)
    for t in times:
        angle = amplitude_deg * math.sin(2 * math.pi * frequency_hz * t)
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        yield cv2.warpAffine(frame, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)


def write_video(
    path: Path,
    frames: Iterable[RgbImage],
    times: Iterable[float],
    *,
    display_rotation: int = 0,
    rate: int = 30,
) -> Path:
    """Write H.264 MP4 frames at the given presentation times (ms resolution)."""
    time_base = Fraction(1, 1000)
    with av.open(str(path), "w") as container:
        stream = None
        for image, t in zip(frames, times, strict=False):
            if stream is None:
                stream = container.add_stream("libx264", rate=rate)
                stream.height, stream.width = image.shape[:2]
                stream.pix_fmt = "yuv420p"
                stream.codec_context.time_base = time_base
                stream.time_base = time_base
                stream.options = {"preset": "ultrafast", "crf": "18"}
                if display_rotation:
                    stream.set_display_rotation(display_rotation)
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image), format="rgb24")
            frame.pts, frame.time_base = round(t * 1000), time_base
            for packet in stream.encode(frame):
                container.mux(packet)
        if stream is not None:
            for packet in stream.encode():
                container.mux(packet)
    return path


def tremor_video(
    path: Path,
    frequency_hz: float,
    amplitude_deg: float,
    seconds: float,
    fps: int = 30,
    **size: int,
) -> Path:
    """Write a video of the head rolling sinusoidally at a known frequency and amplitude."""
    times = [i / fps for i in range(int(round(seconds * fps)))]
    frames = roll_oscillation_frames(frequency_hz, amplitude_deg, times, **size)
    return write_video(path, frames, times, rate=fps)


def still_video(
    path: Path, times: list[float], *, display_rotation: int = 0, transform: Callable[
        [RgbImage], RgbImage] | None = None, width: int = 320, height: int = 240
) -> Path:  # fmt: skip
    """Write the upright head-and-shoulders frame at ``times``, optionally stored transformed."""
    frame, _ = upper_body_frame(width, height)
    stored = transform(frame) if transform else frame
    return write_video(path, (stored for _ in times), times, display_rotation=display_rotation)


def png_header_only(path: Path, width: int, height: int) -> Path:
    """Write a PNG whose header claims ``width``×``height`` but holds almost no data."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = (
        chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    )
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path
