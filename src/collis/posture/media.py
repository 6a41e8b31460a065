"""Open a photo or a video as a stream of timed RGB frames.

The kind is sniffed from the content, never from the file name. Photos are decoded with Pillow
(EXIF orientation applied, HEIC through pillow-heif); videos with PyAV, using the real
presentation timestamps (phones record variable frame rate) and the display-matrix rotation
(posture-research.md §2.2 and §4.1). Frames are yielded one at a time so memory stays flat.
"""

from __future__ import annotations

import contextlib
import math
import queue
import threading
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import av
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps, UnidentifiedImageError

from . import formats
from .errors import UnreadableInputError

RgbImage = NDArray[np.uint8]
MediaKind = Literal["image", "video"]

# Refuse decoding above this many pixels: Pillow's own decompression-bomb default (≈89.5 MP),
# which still admits 50–64 MP phone photos.
MAX_IMAGE_PIXELS = 89_478_485
# Below this a face cannot be analysed at all; MediaPipe's landmark crop is 192 px
# (posture-research.md §5.3) and even 40-px faces are the floor of §2.4.
MIN_SIDE_PX = 32
# MediaPipe resizes internally (face crop 192², pose 256²), so analysing at ≤1280 px costs no
# accuracy while the face stays ≥ ~150 px (posture-research.md §5.3).
MAX_ANALYSIS_SIDE_PX = 1280


@dataclass(frozen=True)
class Frame:
    """One decoded frame: presentation time in seconds and an RGB array (H, W, 3)."""

    t: float
    rgb: RgbImage


@dataclass(frozen=True)
class MediaInfo:
    """What is known about a source before decoding its frames."""

    path: Path
    kind: MediaKind
    width: int
    height: int
    nominal_fps: float | None
    duration_s: float | None
    frame_count_estimate: int | None
    # The file says it came from a front (selfie) camera, whose pictures are often mirrored
    # (EXIF LensModel "… front camera …", QuickTime camera metadata "Front").
    front_camera_hint: bool = False


def sniff_kind(head: bytes) -> MediaKind | None:
    """Return "image" or "video" from the first bytes of a file, or None if unknown."""
    media_type = formats.sniff(head)
    if media_type is None:
        return None
    return "image" if media_type.kind is formats.MediaKind.IMAGE else "video"


def probe(path: Path) -> MediaInfo:
    """Identify ``path`` and read its header.

    Raises UnreadableInputError for missing, empty, unknown, corrupt, tiny or oversized inputs.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(formats.HEAD_BYTES)
    except OSError as exc:
        raise UnreadableInputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not head:
        raise UnreadableInputError(f"{path} is empty")
    kind = sniff_kind(head)
    if kind == "image":
        return _probe_image(path)
    if kind == "video":
        return _probe_video(path)
    # Unknown magic: let the decoders decide, but never guess from the extension.
    try:
        return _probe_image(path)
    except UnreadableInputError:
        pass
    try:
        return _probe_video(path)
    except UnreadableInputError:
        raise UnreadableInputError(f"{path} is not an image or video this tool can read") from None


class FrameStream:
    """Iterate the frames of a probed source in presentation order.

    Raises UnreadableInputError if decoding fails before any frame was produced (truncated or
    corrupt file). A video that breaks later just ends; ``stopped_early`` then becomes True.
    """

    def __init__(self, info: MediaInfo) -> None:
        self.info = info
        self.stopped_early = False

    def __iter__(self) -> Iterator[Frame]:
        if self.info.kind == "image":
            yield Frame(0.0, _load_image(self.info.path))
        else:
            yield from self._iter_video()

    def _iter_video(self) -> Iterator[Frame]:
        path = self.info.path
        produced = 0
        try:
            with av.open(str(path), metadata_errors="ignore") as container:
                stream = container.streams.video[0]
                # Frame threading was slower on 2 cores (posture-research.md §5.2).
                stream.thread_type = "SLICE"
                start = stream.start_time or 0
                fallback_rate = float(stream.average_rate or 30)
                for frame in container.decode(stream):
                    if frame.pts is None or frame.time_base is None:
                        t = produced / fallback_rate
                    else:
                        t = float((frame.pts - start) * frame.time_base)
                    yield Frame(t, _display_rgb(frame))
                    produced += 1
        except (av.FFmpegError, OSError, ValueError) as exc:
            if produced == 0:
                raise UnreadableInputError(f"{path} is truncated or corrupt") from exc
            self.stopped_early = True
            return
        if produced == 0:
            raise UnreadableInputError(f"{path} contains no decodable video frames")


def _open_image(path: Path) -> Image.Image:
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UnreadableInputError(f"{path} is too large to decode safely: {exc}") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UnreadableInputError(f"{path} is not a readable image") from exc
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        image.close()
        raise UnreadableInputError(
            f"{path} is {width}×{height} px, above the {MAX_IMAGE_PIXELS:,}-pixel safety limit"
        )
    if min(width, height) < MIN_SIDE_PX:
        image.close()
        raise UnreadableInputError(
            f"{path} is {width}×{height} px; at least {MIN_SIDE_PX} px per side is needed"
        )
    return image


def _probe_image(path: Path) -> MediaInfo:
    with _open_image(path) as image:
        width, height = _oriented_size(image)
        exif = image.getexif()
        lens = str(exif.get_ifd(0x8769).get(0xA434, "") or exif.get(0xA434, ""))
    front = "front" in lens.lower()
    return MediaInfo(path, "image", width, height, None, None, 1, front_camera_hint=front)


def _oriented_size(image: Image.Image) -> tuple[int, int]:
    # EXIF orientations 5–8 swap width and height.
    orientation = image.getexif().get(0x0112, 1)
    width, height = image.size
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _load_image(path: Path) -> RgbImage:
    with _open_image(path) as image:
        try:
            image.draft("RGB", (MAX_ANALYSIS_SIDE_PX, MAX_ANALYSIS_SIDE_PX))
            oriented = ImageOps.exif_transpose(image)
            rgb = oriented.convert("RGB")
        except (OSError, ValueError, SyntaxError) as exc:
            raise UnreadableInputError(f"{path} is truncated or corrupt") from exc
    if max(rgb.size) > MAX_ANALYSIS_SIDE_PX:
        rgb.thumbnail((MAX_ANALYSIS_SIDE_PX, MAX_ANALYSIS_SIDE_PX), Image.Resampling.LANCZOS)
    return np.asarray(rgb, dtype=np.uint8)


def _register_heif() -> None:
    # Imported lazily: the opener is only needed for photos.
    from pillow_heif import register_heif_opener

    register_heif_opener()


def _probe_video(path: Path) -> MediaInfo:
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.video:
                raise UnreadableInputError(f"{path} has no video stream")
            stream = container.streams.video[0]
            width = stream.codec_context.width
            height = stream.codec_context.height
            rate = stream.average_rate or stream.guessed_rate
            fps = float(rate) if rate else None
            duration = formats.duration_seconds(container, stream)
            count = stream.frames or None
            if count is None and duration and fps:
                count = round(duration * fps)
            tags = {**dict(container.metadata), **dict(stream.metadata)}
            front = any(
                "camera" in str(key).lower() and "front" in str(value).lower()
                for key, value in tags.items()
            )
    except UnreadableInputError:
        raise
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise UnreadableInputError(f"{path} is not a readable video") from exc
    if not width or not height or min(width, height) < MIN_SIDE_PX:
        raise UnreadableInputError(f"{path} has an unusable video size {width}×{height}")
    return MediaInfo(path, "video", width, height, fps, duration, count, front_camera_hint=front)


def _display_rgb(frame: av.VideoFrame) -> RgbImage:
    width, height = frame.width, frame.height
    longest = max(width, height)
    if longest > MAX_ANALYSIS_SIDE_PX:
        factor = MAX_ANALYSIS_SIDE_PX / longest
        width = max(2, int(round(width * factor / 2)) * 2)
        height = max(2, int(round(height * factor / 2)) * 2)
        rgb = frame.to_ndarray(format="rgb24", width=width, height=height)
    else:
        rgb = frame.to_ndarray(format="rgb24")
    # VideoFrame.rotation is the counter-clockwise angle the display matrix applies; np.rot90
    # also turns counter-clockwise. A missed 90° turns yaw into pitch (posture-research.md §2.2).
    quarter_turns = int(round(frame.rotation / 90.0)) % 4 if not math.isnan(frame.rotation) else 0
    if quarter_turns:
        rgb = np.ascontiguousarray(np.rot90(rgb, quarter_turns))
    return rgb


_END = object()


@contextlib.contextmanager
def prefetched(frames: Iterable[Frame], size: int) -> Iterator[Iterator[Frame]]:
    """Decode ``frames`` in a background thread, ``size`` frames ahead of the consumer.

    PyAV and MediaPipe both release the GIL in their native code, so on 2 cores decoding runs
    beside inference (issue #14). An exception in the decoder is raised in the consumer;
    leaving the block early stops the thread.
    """
    buffer: queue.Queue[object] = queue.Queue(maxsize=size)
    stop = threading.Event()

    def produce() -> None:
        try:
            for frame in frames:
                while not stop.is_set():
                    try:
                        buffer.put(frame, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            item: object = _END
        except BaseException as exc:  # handed to the consumer, re-raised there
            item = exc
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    thread = threading.Thread(target=produce, name="collis-posture-decode", daemon=True)
    thread.start()

    def consume() -> Iterator[Frame]:
        while True:
            item = buffer.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]

    try:
        yield consume()
    finally:
        stop.set()
        thread.join()
