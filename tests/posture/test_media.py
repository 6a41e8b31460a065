"""Decoding photos and videos: sniffing, orientation, timestamps and refusals."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from synthetic_media import png_header_only, still_video, write_video

from collis.posture.errors import UnreadableInputError
from collis.posture.media import MAX_ANALYSIS_SIDE_PX, FrameStream, probe, sniff_kind


def _quadrant_image(width: int = 120, height: int = 80) -> np.ndarray:
    """Black image with a white top-left quadrant, to see which way a picture was turned."""
    image = np.zeros((height, width, 3), np.uint8)
    image[: height // 2, : width // 2] = 255
    return image


def _bright_corner(rgb: np.ndarray) -> str:
    h, w = rgb.shape[0] // 2, rgb.shape[1] // 2
    corners = {
        "top-left": rgb[:h, :w],
        "top-right": rgb[:h, w:],
        "bottom-left": rgb[h:, :w],
        "bottom-right": rgb[h:, w:],
    }
    return max(corners, key=lambda k: corners[k].mean())


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image"),
        (b"\x00\x00\x00\x1cftypheic\x00\x00", "image"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00", "video"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00", "video"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86", "video"),
        (b"hello, world", None),
    ],
)
def test_sniffs_kind_from_content(head: bytes, kind: str | None) -> None:
    assert sniff_kind(head) == kind


def test_kind_comes_from_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "photo.mp4"
    Image.fromarray(_quadrant_image()).save(path, format="PNG")
    info = probe(path)
    assert (info.kind, info.width, info.height) == ("image", 120, 80)


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored image must be turned 90° clockwise for display
    Image.fromarray(_quadrant_image()).save(path, exif=exif, quality=95)
    info = probe(path)
    assert (info.width, info.height) == (80, 120)
    (frame,) = list(FrameStream(info))
    assert frame.rgb.shape == (120, 80, 3)
    assert _bright_corner(frame.rgb) == "top-right"  # top-left turned clockwise


def test_heic_photo_is_read(tmp_path: Path) -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    path = tmp_path / "photo.heic"
    Image.fromarray(_quadrant_image(128, 96)).save(path, format="HEIF", quality=90)
    info = probe(path)
    assert info.kind == "image"
    (frame,) = list(FrameStream(info))
    assert frame.rgb.shape == (96, 128, 3)
    assert _bright_corner(frame.rgb) == "top-left"


def test_large_photo_is_scaled_down_for_analysis(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    Image.fromarray(np.zeros((1500, 3000, 3), np.uint8)).save(path)
    (frame,) = list(FrameStream(probe(path)))
    assert max(frame.rgb.shape[:2]) == MAX_ANALYSIS_SIDE_PX


def test_video_timestamps_and_display_rotation(tmp_path: Path) -> None:
    times = [0.0, 0.05, 0.083, 0.133, 0.166, 0.3]  # uneven, with a gap
    path = still_video(
        tmp_path / "turned.mp4",
        times,
        display_rotation=90,
        transform=lambda frame: np.ascontiguousarray(np.rot90(frame, -1)),
    )
    quadrant_path = write_video(
        tmp_path / "quadrant.mp4",
        (_quadrant_image(160, 96) for _ in times),
        times,
        display_rotation=90,
    )
    frames = list(FrameStream(probe(path)))
    assert [round(f.t, 3) for f in frames] == times
    assert frames[0].rgb.shape == (240, 320, 3)  # stored 320 high, shown upright
    quadrant_frames = list(FrameStream(probe(quadrant_path)))
    assert quadrant_frames[0].rgb.shape == (160, 96, 3)
    # A counter-clockwise quarter turn brings the top-left corner to the bottom-left.
    assert _bright_corner(quadrant_frames[0].rgb) == "bottom-left"


def test_truncated_video_is_unreadable(tmp_path: Path) -> None:
    good = still_video(tmp_path / "good.mp4", [i / 30 for i in range(30)])
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 5])
    with pytest.raises(UnreadableInputError, match="truncated.mp4"):
        list(FrameStream(probe(truncated)))


def test_text_named_jpg_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_text("this is not a photo\n")
    with pytest.raises(UnreadableInputError, match="not an image or video"):
        probe(path)


def test_tiny_image_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "dot.png"
    Image.new("RGB", (1, 1)).save(path)
    with pytest.raises(UnreadableInputError, match="1×1"):
        probe(path)


def test_decompression_bomb_is_refused_without_decoding(tmp_path: Path) -> None:
    path = png_header_only(tmp_path / "bomb.png", 100_000, 100_000)
    with pytest.raises(UnreadableInputError, match="too large"):
        probe(path)


def test_image_just_above_our_pixel_limit_is_refused(tmp_path: Path) -> None:
    path = png_header_only(tmp_path / "big.png", 12_000, 8_000)  # 96 MP > 89.5 MP
    with pytest.raises(UnreadableInputError, match="too large|safety limit"):
        probe(path)


def test_empty_and_missing_files_are_unreadable(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mov"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableInputError, match="empty"):
        probe(empty)
    with pytest.raises(UnreadableInputError, match="cannot read"):
        probe(tmp_path / "missing.jpg")


def test_truncated_jpeg_is_unreadable(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200, 3), np.uint8)).save(
        buffer, format="JPEG"
    )
    path = tmp_path / "cut.jpg"
    path.write_bytes(buffer.getvalue()[:600])
    with pytest.raises(UnreadableInputError):
        list(FrameStream(probe(path)))


def test_prefetched_frames_arrive_in_order_and_errors_reach_the_consumer() -> None:
    import threading

    from collis.posture.media import Frame, prefetched

    frames = [Frame(i / 30, np.zeros((2, 2, 3), np.uint8)) for i in range(20)]
    with prefetched(iter(frames), 3) as stream:
        assert [f.t for f in stream] == [f.t for f in frames]

    def broken():  # type: ignore[no-untyped-def]
        yield frames[0]
        raise UnreadableInputError("damaged")

    with pytest.raises(UnreadableInputError), prefetched(broken(), 3) as stream:
        list(stream)
    # Leaving early stops the decoding thread.
    with prefetched(iter(frames * 50), 2) as stream:
        next(stream)
    assert not any(t.name == "collis-posture-decode" for t in threading.enumerate())


def test_a_front_camera_photo_is_flagged_as_possibly_mirrored(tmp_path: Path) -> None:
    from synthetic_media import astronaut

    from collis.posture import analyze

    exif = Image.Exif()
    exif.get_ifd(0x8769)[0xA434] = "iPhone 12 front camera 2.71mm f/2.2"
    path = tmp_path / "selfie.jpg"
    Image.fromarray(astronaut()).save(path, exif=exif)
    assert probe(path).front_camera_hint
    codes = [w.code for w in analyze(path).warnings]
    assert "maybe_mirrored" in codes
    assert "maybe_mirrored" not in [w.code for w in analyze(path, mirrored=True).warnings]
    plain = tmp_path / "plain.jpg"
    Image.fromarray(astronaut()).save(plain)
    assert not probe(plain).front_camera_hint
