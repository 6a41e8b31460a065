"""Upload checks by content: real type, size, pixels (decompression bombs), damage, duration."""

from __future__ import annotations

import io
import struct
import zlib
from fractions import Fraction

import av
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from collis.lib import uploads
from collis.lib.uploads import (
    CorruptUploadError,
    EmptyUploadError,
    MediaKind,
    TooManyPixelsError,
    UnsupportedMediaTypeError,
    UploadLimits,
    UploadTooLargeError,
    VideoTooLongError,
    check_image,
    check_upload,
    check_video,
    sniff_media_type,
    storage_name,
)


def image_bytes(fmt: str, size=(64, 48), **save_args) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, fmt, **save_args)
    buffer.seek(0)
    return buffer


def video_bytes(container: str, codec: str, *, seconds: float = 1.0, size=(64, 48)) -> io.BytesIO:
    buffer = io.BytesIO()
    fps = 10
    with av.open(buffer, mode="w", format=container) as output:
        stream = output.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        for index in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(
                np.full((size[1], size[0], 3), index * 7 % 255, dtype=np.uint8), format="rgb24"
            )
            frame.pts = index
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    buffer.seek(0)
    return buffer


def png_header_only(width: int, height: int) -> io.BytesIO:
    """A tiny PNG whose header claims a huge picture: a decompression bomb's calling card."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    return io.BytesIO(b"\x89PNG\r\n\x1a\n" + raw)


@pytest.mark.parametrize(
    ("fmt", "mime", "extension"),
    [("JPEG", "image/jpeg", ".jpg"), ("PNG", "image/png", ".png"), ("WEBP", "image/webp", ".webp")],
)
def test_accepts_real_photos(fmt, mime, extension):
    stream = image_bytes(fmt)
    checked = check_image(stream)
    assert (checked.mime_type, checked.media_type.extension) == (mime, extension)
    assert (checked.width, checked.height) == (64, 48)
    assert stream.tell() == 0  # rewound for the caller


def test_accepts_heic_photos():
    from pillow_heif import register_heif_opener

    register_heif_opener()
    checked = check_image(image_bytes("HEIF"))
    assert checked.mime_type == "image/heic"


@pytest.mark.parametrize(
    ("container", "codec", "mime"),
    [("mp4", "libx264", "video/mp4"), ("mov", "libx264", "video/quicktime"),
     ("webm", "libvpx", "video/webm")],
)  # fmt: skip
def test_accepts_real_videos(container, codec, mime):
    checked = check_video(video_bytes(container, codec, seconds=2))
    assert checked.mime_type == mime and checked.kind is MediaKind.VIDEO
    assert (checked.width, checked.height) == (64, 48)
    assert checked.duration_seconds == pytest.approx(2.0, abs=0.2)


def test_a_script_named_like_a_photo_is_refused():
    with pytest.raises(UnsupportedMediaTypeError, match="photo"):
        check_image(io.BytesIO(b"<?php system($_GET['c']); ?>"))


def test_html_and_svg_are_refused():
    for content in [b"<html><script>alert(1)</script></html>", b"<svg onload=alert(1)>"]:
        with pytest.raises(UnsupportedMediaTypeError):
            check_upload(io.BytesIO(content))


def test_a_video_where_a_photo_is_wanted_is_refused():
    with pytest.raises(UnsupportedMediaTypeError, match="photo"):
        check_image(video_bytes("mp4", "libx264"))


def test_empty_file_is_refused():
    with pytest.raises(EmptyUploadError):
        check_upload(io.BytesIO(b""))


def test_size_limit_is_checked_before_decoding():
    limits = UploadLimits(max_bytes=100, max_pixels=10_000_000)
    with pytest.raises(UploadTooLargeError, match="limit is 0.0 MB"):
        check_image(image_bytes("PNG", size=(300, 300)), limits=limits)


def test_pixel_limit_boundary():
    limits = UploadLimits(max_bytes=10_000_000, max_pixels=64 * 48)
    assert check_image(image_bytes("PNG"), limits=limits).width == 64
    with pytest.raises(TooManyPixelsError, match="65 x 48"):
        check_image(image_bytes("PNG", size=(65, 48)), limits=limits)


@pytest.mark.parametrize(
    "side", [20_000, 60_000]
)  # 400 MP (below) and 3.6 GP (above) Pillow's own guard
def test_decompression_bombs_are_refused_from_the_header(side):
    with pytest.raises(TooManyPixelsError):
        check_image(png_header_only(side, side))


def test_truncated_and_damaged_photos_are_refused():
    data = image_bytes("PNG", size=(200, 200)).getvalue()
    for broken in [data[:40], data[:-20] + b"\0" * 20]:
        with pytest.raises(CorruptUploadError):
            check_image(io.BytesIO(broken))


def test_damaged_video_is_refused():
    data = video_bytes("mp4", "libx264").getvalue()
    with pytest.raises(CorruptUploadError):
        check_video(io.BytesIO(data[:64]))


def test_long_video_is_refused():
    limits = UploadLimits(max_bytes=10_000_000, max_pixels=10_000, max_video_seconds=1.0)
    with pytest.raises(VideoTooLongError, match="limit is 1 seconds"):
        check_video(video_bytes("mp4", "libx264", seconds=3), limits=limits)


def test_video_frame_pixel_limit():
    limits = UploadLimits(max_bytes=10_000_000, max_pixels=1000, max_video_seconds=60)
    with pytest.raises(TooManyPixelsError):
        check_video(video_bytes("webm", "libvpx"), limits=limits)


def test_errors_carry_stable_codes():
    assert TooManyPixelsError.code == "upload.too_many_pixels"
    assert issubclass(TooManyPixelsError, uploads.UploadError)
    assert issubclass(uploads.UploadError, ValueError)


def test_storage_names_are_random_and_typed_by_content():
    checked = check_image(image_bytes("JPEG"))
    names = {storage_name(checked) for _ in range(50)}
    assert len(names) == 50
    assert all(name.endswith(".jpg") and len(name) > 30 for name in names)


@given(st.binary(max_size=80))
def test_sniffing_never_crashes_and_only_names_accepted_types(head):
    media_type = sniff_media_type(head)
    assert media_type is None or media_type in {
        uploads.JPEG, uploads.PNG, uploads.WEBP, uploads.HEIC, uploads.MP4, uploads.QUICKTIME,
        uploads.WEBM,
    }  # fmt: skip


@given(
    st.one_of(
        st.binary(min_size=1, max_size=2000),
        # Valid magic bytes followed by garbage: past the sniffer, into the decoders.
        st.sampled_from(
            [
                b"\xff\xd8\xff",
                b"\x89PNG\r\n\x1a\n",
                b"RIFF\0\0\0\0WEBP",
                b"\0\0\0\x18ftypisom",
                b"\0\0\0\x18ftypheic",
                b"\x1a\x45\xdf\xa3webm",
            ]
        ).flatmap(lambda magic: st.binary(max_size=500).map(lambda tail: magic + tail)),
    )
)
def test_random_bytes_are_refused_with_a_typed_error(data):
    """Never an unexpected exception (that would be a 500): always a message for the user."""
    with pytest.raises(uploads.UploadError):
        check_upload(io.BytesIO(data))


def _streamed_webm(frames: int, fps: int = 10) -> io.BytesIO:
    """A WebM written to a one-way stream, as a browser's MediaRecorder makes it: no length."""

    class OneWay(io.RawIOBase):
        def __init__(self) -> None:
            self.buf = bytearray()

        def writable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def write(self, b) -> int:
            self.buf += b
            return len(b)

    out = OneWay()
    with av.open(out, "w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(frames):
            picture = np.full((48, 64, 3), (i * 8) % 256, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return io.BytesIO(bytes(out.buf))


def test_browser_recorded_webm_without_a_length_is_measured_by_its_timestamps():
    clip = _streamed_webm(frames=30)
    with av.open(clip) as container:
        assert container.duration is None  # the header really has no length
    clip.seek(0)
    checked = check_video(clip)
    assert checked.duration_seconds == pytest.approx(2.9, abs=0.2)


def test_browser_recorded_webm_over_the_limit_is_refused():
    limits = uploads.UploadLimits(max_bytes=10**6, max_pixels=10**6, max_video_seconds=1.0)
    with pytest.raises(VideoTooLongError, match="limit is 1 seconds"):
        check_video(_streamed_webm(frames=30), limits=limits)
