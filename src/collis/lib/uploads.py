"""Check an uploaded photo or video by its content, never by its name or declared type.

Pure: no Django imports. Callers pass any seekable binary file (a Django ``UploadedFile``, an
open file, ``io.BytesIO``) and get either a ``CheckedUpload`` describing what the bytes really
are, or a typed ``UploadError`` whose message can be shown to the person who uploaded it.

What is checked, cheapest first, so hostile files are refused before anything is decoded:
1. size in bytes against the limit;
2. the magic bytes at the start of the file (JPEG, PNG, WebP, HEIC; MP4/QuickTime, WebM), read
   by ``collis.posture.formats``, the same sniffer the posture analysis uses;
3. the dimensions in the image header or video stream against a pixel limit. Pillow's
   decompression-bomb guard is kept on as a second line, and its error or warning is reported
   as ``TooManyPixelsError``;
4. that the container parses (Pillow ``verify()``, PyAV probe) and, for video, its duration.

Error tree::

    UploadError (ValueError)          code "upload.*"
      EmptyUploadError                upload.empty
      UploadTooLargeError             upload.too_large
      UnsupportedMediaTypeError       upload.unsupported_type
      CorruptUploadError              upload.corrupt
      TooManyPixelsError              upload.too_many_pixels
      VideoTooLongError               upload.too_long
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from struct import error as struct_error
from typing import IO, Any, ClassVar

from collis.posture.formats import (
    HEAD_BYTES,
    HEIC,
    JPEG,
    MP4,
    PNG,
    QUICKTIME,
    UPLOAD_TYPES,
    WEBM,
    WEBP,
    MediaKind,
    MediaType,
    duration_seconds,
    sniff,
)

# The one sniffer (collis.posture.formats): uploads accept only its UPLOAD_TYPES.
__all__ = [
    "HEIC",
    "IMAGE_LIMITS",
    "JPEG",
    "MP4",
    "PNG",
    "QUICKTIME",
    "VIDEO_LIMITS",
    "WEBM",
    "WEBP",
    "CheckedUpload",
    "CorruptUploadError",
    "EmptyUploadError",
    "MediaKind",
    "MediaType",
    "TooManyPixelsError",
    "UnsupportedMediaTypeError",
    "UploadError",
    "UploadLimits",
    "UploadTooLargeError",
    "VideoTooLongError",
    "check_image",
    "check_upload",
    "check_video",
    "sniff_media_type",
    "storage_name",
]


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_pixels: int  # width x height of an image, or of one video frame
    max_video_seconds: float = 0.0


# A modern phone photo is 12-48 megapixels and under 15 MB; a short posture video in 4K is
# under 200 MB for two minutes. Anything beyond is refused rather than decoded.
IMAGE_LIMITS = UploadLimits(max_bytes=25 * 1024 * 1024, max_pixels=50_000_000)
VIDEO_LIMITS = UploadLimits(
    max_bytes=250 * 1024 * 1024, max_pixels=3840 * 2160, max_video_seconds=120.0
)


@dataclass(frozen=True)
class CheckedUpload:
    media_type: MediaType
    size_bytes: int
    width: int
    height: int
    duration_seconds: float | None = None

    @property
    def kind(self) -> MediaKind:
        return self.media_type.kind

    @property
    def mime_type(self) -> str:
        return self.media_type.mime_type


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; ``UploadError.translated`` translates it."""
    return message


class UploadError(ValueError):
    """An upload that is refused; ``str(error)`` is safe to show to the person who sent it.

    The message is a %-template (marked for translation) with its values kept apart, so a page
    can show it in the reader's language: ``error.translated(gettext)``.
    """

    code: ClassVar[str] = "upload.invalid"

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message % params if params else message)
        self.template = message
        self.params = params

    def translated(self, translate: Callable[[str], str]) -> str:
        """The message through ``translate``; word values (e.g. the accepted kinds) too."""
        if not self.params:
            return translate(self.template)
        return translate(self.template) % {k: translate(v) for k, v in self.params.items()}


class EmptyUploadError(UploadError):
    code = "upload.empty"


class UploadTooLargeError(UploadError):
    code = "upload.too_large"


class UnsupportedMediaTypeError(UploadError):
    code = "upload.unsupported_type"


class CorruptUploadError(UploadError):
    code = "upload.corrupt"


class TooManyPixelsError(UploadError):
    code = "upload.too_many_pixels"


class VideoTooLongError(UploadError):
    code = "upload.too_long"


def sniff_media_type(head: bytes) -> MediaType | None:
    """Return the media type the first bytes of a file announce, or None if not one we accept."""
    media_type = sniff(head)
    return media_type if media_type in UPLOAD_TYPES else None


def check_upload(
    stream: IO[bytes],
    *,
    allowed: frozenset[MediaKind] = frozenset(MediaKind),
    image_limits: UploadLimits = IMAGE_LIMITS,
    video_limits: UploadLimits = VIDEO_LIMITS,
) -> CheckedUpload:
    """Check a photo or a video (whichever the content says it is) and rewind the stream."""
    size = _size_of(stream)
    head = _head_of(stream)
    media_type = sniff_media_type(head)
    if size == 0:
        raise EmptyUploadError(gettext_noop("The file is empty."))
    if media_type is None or media_type.kind not in allowed:
        raise UnsupportedMediaTypeError(
            gettext_noop("This file is not a %(wanted)s we can read."), wanted=_wanted(allowed)
        )
    if media_type.kind is MediaKind.IMAGE:
        return _check_image(stream, media_type, size, image_limits)
    return _check_video(stream, media_type, size, video_limits)


def check_image(stream: IO[bytes], *, limits: UploadLimits = IMAGE_LIMITS) -> CheckedUpload:
    """Check a photo (JPEG, PNG, WebP or HEIC) and rewind the stream."""
    return check_upload(stream, allowed=frozenset({MediaKind.IMAGE}), image_limits=limits)


def check_video(stream: IO[bytes], *, limits: UploadLimits = VIDEO_LIMITS) -> CheckedUpload:
    """Check a video (MP4, QuickTime or WebM) and rewind the stream."""
    return check_upload(stream, allowed=frozenset({MediaKind.VIDEO}), video_limits=limits)


def storage_name(checked: CheckedUpload) -> str:
    """A random, unguessable file name with the extension the content deserves."""
    return f"{secrets.token_urlsafe(24)}{checked.media_type.extension}"


_WANTED = {
    frozenset({MediaKind.IMAGE}): gettext_noop("photo (JPEG, PNG, WebP or HEIC)"),
    frozenset({MediaKind.VIDEO}): gettext_noop("video (MP4, MOV or WebM)"),
    frozenset(MediaKind): gettext_noop(
        "photo (JPEG, PNG, WebP or HEIC) or video (MP4, MOV or WebM)"
    ),
}


def _wanted(allowed: frozenset[MediaKind]) -> str:
    return _WANTED[frozenset(allowed)]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _size_of(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _head_of(stream: IO[bytes]) -> bytes:
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    return head


def _check_size(size: int, limits: UploadLimits) -> None:
    if size > limits.max_bytes:
        raise UploadTooLargeError(
            gettext_noop("The file is %(size)s; the limit is %(limit)s."),
            size=_megabytes(size),
            limit=_megabytes(limits.max_bytes),
        )


def _check_pixels(width: int, height: int, limits: UploadLimits) -> None:
    if width * height > limits.max_pixels:
        raise TooManyPixelsError(
            gettext_noop(
                "The picture is %(width)s x %(height)s pixels; the limit is %(limit)s megapixels."
            ),
            width=str(width),
            height=str(height),
            limit=f"{limits.max_pixels / 1_000_000:g}",
        )


# What Pillow raises on a damaged file (its plugins are not consistent).
_IMAGE_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct_error)


def _check_image(
    stream: IO[bytes], media_type: MediaType, size: int, limits: UploadLimits
) -> CheckedUpload:
    from PIL import Image

    _check_size(size, limits)
    if media_type is HEIC:
        from pillow_heif import register_heif_opener

        register_heif_opener()
    damaged = gettext_noop("The photo is damaged or incomplete; please send it again.")
    try:
        # Opening reads the header only; formats= stops Pillow from trying other decoders.
        image = Image.open(stream, formats=[media_type.pillow_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        stream.seek(0)
        raise TooManyPixelsError(
            gettext_noop("The picture has too many pixels; the limit is %(limit)s megapixels."),
            limit=f"{limits.max_pixels / 1e6:g}",
        ) from exc
    except _IMAGE_DECODE_ERRORS as exc:
        stream.seek(0)
        raise CorruptUploadError(damaged) from exc
    try:
        with image:
            width, height = image.size
            _check_pixels(width, height, limits)
            try:
                image.verify()
            except _IMAGE_DECODE_ERRORS as exc:
                raise CorruptUploadError(damaged) from exc
    finally:
        stream.seek(0)
    return CheckedUpload(media_type=media_type, size_bytes=size, width=width, height=height)


def _check_video(
    stream: IO[bytes], media_type: MediaType, size: int, limits: UploadLimits
) -> CheckedUpload:
    import av

    _check_size(size, limits)
    try:
        with av.open(stream, mode="r") as container:
            if not container.streams.video:
                raise CorruptUploadError(gettext_noop("The file holds no video picture."))
            video = container.streams.video[0]
            width, height = video.codec_context.width, video.codec_context.height
            duration = duration_seconds(container, video)
            if duration is None:
                # Recorded in a browser (MediaRecorder WebM): no length in the header, so read
                # the packet timestamps (demuxing only, no decoding; stops past the limit).
                duration = _duration_by_demuxing(container, video, limits.max_video_seconds)
    except av.FFmpegError as exc:
        raise CorruptUploadError(
            gettext_noop("The video is damaged or incomplete; please send it again.")
        ) from exc
    finally:
        stream.seek(0)
    if not width or not height:
        raise CorruptUploadError(gettext_noop("The video's picture size could not be read."))
    _check_pixels(width, height, limits)
    if duration is None:
        raise CorruptUploadError(gettext_noop("The video's length could not be read."))
    if duration > limits.max_video_seconds:
        raise VideoTooLongError(
            gettext_noop("The video lasts %(length)s seconds; the limit is %(limit)s seconds."),
            length=f"{duration:.0f}",
            limit=f"{limits.max_video_seconds:.0f}",
        )
    return CheckedUpload(
        media_type=media_type,
        size_bytes=size,
        width=width,
        height=height,
        duration_seconds=duration,
    )


def _duration_by_demuxing(container: Any, video: Any, stop_after: float) -> float | None:
    """Return the span of the video packets' timestamps (PyAV objects), None if none has one."""
    if video.time_base is None:
        return None
    span: tuple[float, float] | None = None
    for packet in container.demux(video):
        if packet.pts is None:
            continue
        seconds = float(packet.pts * video.time_base)
        span = (
            (seconds, seconds) if span is None else (min(span[0], seconds), max(span[1], seconds))
        )
        if span[1] - span[0] > stop_after:
            break
    return None if span is None else span[1] - span[0]
