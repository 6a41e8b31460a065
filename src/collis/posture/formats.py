"""What a photo or video file is, from its first bytes: the one media sniffer of Collis.

Pure (standard library only). ``posture.media`` opens files for analysis with it, and
``collis.lib.uploads`` checks uploads with it (``lib`` sits just above ``posture`` in the
layers), so the two never disagree about which bytes are a HEIF photo and which an MP4 video.
The content decides, never the file name or the declared type.

Uploads accept ``UPLOAD_TYPES`` (JPEG, PNG, WebP, HEIC; MP4, QuickTime, WebM); the analysis
also reads what the other named types hold (GIF, BMP, TIFF, AVIF, AVI, Matroska, other ISO
base media brands), since its decoders (Pillow, PyAV) can.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "AVI",
    "AVIF",
    "BMP",
    "GIF",
    "HEAD_BYTES",
    "HEIC",
    "ISO_MEDIA",
    "JPEG",
    "MATROSKA",
    "MP4",
    "PNG",
    "QUICKTIME",
    "TIFF",
    "UPLOAD_TYPES",
    "WEBM",
    "WEBP",
    "MediaKind",
    "MediaType",
    "duration_seconds",
    "sniff",
]

# Enough for every signature below (the WebM doctype sits within the first ~40 bytes).
HEAD_BYTES = 64


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


@dataclass(frozen=True)
class MediaType:
    kind: MediaKind
    mime_type: str
    extension: str  # what a stored copy is named with, whatever the uploaded name said
    pillow_format: str = ""
    name: str = ""


JPEG = MediaType(MediaKind.IMAGE, "image/jpeg", ".jpg", "JPEG", "JPEG")
PNG = MediaType(MediaKind.IMAGE, "image/png", ".png", "PNG", "PNG")
WEBP = MediaType(MediaKind.IMAGE, "image/webp", ".webp", "WEBP", "WebP")
HEIC = MediaType(MediaKind.IMAGE, "image/heic", ".heic", "HEIF", "HEIC")
MP4 = MediaType(MediaKind.VIDEO, "video/mp4", ".mp4", name="MP4")
QUICKTIME = MediaType(MediaKind.VIDEO, "video/quicktime", ".mov", name="QuickTime")
WEBM = MediaType(MediaKind.VIDEO, "video/webm", ".webm", name="WebM")

GIF = MediaType(MediaKind.IMAGE, "image/gif", ".gif", "GIF", "GIF")
BMP = MediaType(MediaKind.IMAGE, "image/bmp", ".bmp", "BMP", "BMP")
TIFF = MediaType(MediaKind.IMAGE, "image/tiff", ".tif", "TIFF", "TIFF")
AVIF = MediaType(MediaKind.IMAGE, "image/avif", ".avif", "AVIF", "AVIF")
AVI = MediaType(MediaKind.VIDEO, "video/x-msvideo", ".avi", name="AVI")
MATROSKA = MediaType(MediaKind.VIDEO, "video/x-matroska", ".mkv", name="Matroska")
ISO_MEDIA = MediaType(MediaKind.VIDEO, "video/mp4", ".mp4", name="ISO base media, other brand")

UPLOAD_TYPES = frozenset({JPEG, PNG, WEBP, HEIC, MP4, QUICKTIME, WEBM})

# ISO base media "ftyp" major brands. HEIF stills and MP4/QuickTime videos share the container.
HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
AVIF_BRANDS = frozenset({b"avif"})
QUICKTIME_BRANDS = frozenset({b"qt  "})
MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"MSNV",
     b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"dash", b"mmp4", b"f4v "}
)  # fmt: skip


def sniff(head: bytes) -> MediaType | None:
    """Return the media type the first bytes of a file announce, or None if none is known."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in HEIF_BRANDS:
            return HEIC
        if brand in AVIF_BRANDS:
            return AVIF
        if brand in QUICKTIME_BRANDS:
            return QUICKTIME
        if brand in MP4_BRANDS:
            return MP4
        return ISO_MEDIA
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: WebM says so in its doctype
        return WEBM if b"webm" in head else MATROSKA
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"BM"):
        return BMP
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return AVI
    return None


def duration_seconds(container: Any, stream: Any) -> float | None:
    """Return a video's length from its header (a PyAV container and video stream), or None.

    The stream's own duration first, else the container's (in AV_TIME_BASE, microseconds).
    A browser-recorded WebM has neither; the caller may then read packet timestamps.
    """
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    return None
