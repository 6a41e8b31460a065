"""One media sniffer: the upload check and the posture analysis read the same bytes the same way."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collis.lib.uploads import sniff_media_type
from collis.posture import formats
from collis.posture.media import sniff_kind


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", formats.JPEG),
        (b"\x00\x00\x00\x1cftypheic\x00\x00", formats.HEIC),
        (b"\x00\x00\x00\x1cftypavif\x00\x00", formats.AVIF),
        (b"\x00\x00\x00\x20ftypisom\x00\x00", formats.MP4),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00", formats.QUICKTIME),
        (b"\x00\x00\x00\x14ftypXXXX\x00\x00", formats.ISO_MEDIA),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01B\x82\x84webm", formats.WEBM),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01B\x82\x88matroska", formats.MATROSKA),
        (b"GIF89a\x01\x00", formats.GIF),
        (b"hello, world", None),
    ],
)
def test_sniff_names_the_format(head: bytes, media_type: formats.MediaType | None) -> None:
    assert formats.sniff(head) == media_type


def test_uploads_accept_only_their_formats() -> None:
    avif = b"\x00\x00\x00\x1cftypavif\x00\x00"
    assert formats.sniff(avif) is formats.AVIF and sniff_media_type(avif) is None
    assert sniff_media_type(b"\x00\x00\x00\x1cftypheic\x00\x00") is formats.HEIC
    assert formats.ISO_MEDIA not in formats.UPLOAD_TYPES


@given(st.binary(max_size=80))
def test_an_accepted_upload_is_the_kind_the_analysis_expects(head: bytes) -> None:
    media_type = sniff_media_type(head)
    if media_type is not None:
        assert sniff_kind(head) == media_type.kind.value
