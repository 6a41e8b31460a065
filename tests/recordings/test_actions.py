"""Uploading, analysing, deleting and retrying posture recordings, on the real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from collis.audit.models import AuditEvent
from collis.jobs.models import Job
from collis.lib.uploads import (
    TooManyPixelsError,
    UnsupportedMediaTypeError,
    UploadTooLargeError,
)
from collis.recordings import actions
from collis.recordings.errors import (
    ConsentRequiredError,
    NotRetryableError,
    OriginalDeletedError,
    PictureTooSmallError,
)
from collis.recordings.jobs import NO_FACE_MESSAGE
from collis.recordings.models import PostureRecording

pytestmark = pytest.mark.django_db


def _upload(visit, user, file, *, consent=True, mirrored=False):
    return actions.upload_recording(
        None, actor=user, visit=visit, file=file, mirrored=mirrored, consent_confirmed=consent
    )


def _stored_files(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_upload_stores_the_original_privately_and_queues_the_analysis(
    visit, clinician_user, astronaut_jpeg, upload, private_media
):
    recording = _upload(visit, clinician_user, upload(astronaut_jpeg, "IMG 0001.JPG"))
    assert recording.kind == "image" and recording.mime_type == "image/jpeg"
    assert (recording.width, recording.height) == (512, 512)
    assert recording.original_filename == "IMG 0001.JPG"
    # A random name, the extension from the content, never the uploaded name.
    name = Path(recording.original.name).name
    assert "IMG" not in name and name.endswith(".jpg") and len(name) > 30
    assert Path(default_storage.path(recording.original.name)).read_bytes() == astronaut_jpeg
    assert recording.job.name == "recordings.analyze" and recording.job.state == "queued"
    assert recording.job.kwargs == {"recording_id": recording.pk}
    assert recording.consent_confirmed_by == clinician_user
    assert recording.consent_confirmed_at is not None
    assert AuditEvent.objects.filter(
        action="create", object_type="recordings.PostureRecording", patient_id=visit.patient_id
    ).exists()


def test_upload_without_consent_stores_nothing(visit, clinician_user, astronaut_jpeg, upload):
    with pytest.raises(ConsentRequiredError):
        _upload(visit, clinician_user, upload(astronaut_jpeg), consent=False)
    assert not PostureRecording.objects.exists() and not Job.objects.exists()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"just some text, not a photo", UnsupportedMediaTypeError),
        (b"%PDF-1.7 a document named .jpg", UnsupportedMediaTypeError),
    ],
)
def test_files_that_are_not_photos_are_refused_whatever_their_name(
    visit, clinician_user, upload, private_media, content, error
):
    with pytest.raises(error):
        _upload(visit, clinician_user, upload(content, "holiday.jpg"))
    assert not PostureRecording.objects.exists()
    assert _stored_files(private_media) == []


def test_a_one_pixel_photo_is_refused(visit, clinician_user, upload, private_media):
    import numpy as np

    from .conftest import jpeg_bytes

    tiny = jpeg_bytes(np.zeros((1, 1, 3), dtype=np.uint8))
    with pytest.raises(PictureTooSmallError, match="1 x 1"):
        _upload(visit, clinician_user, upload(tiny))
    assert _stored_files(private_media) == []


def test_a_decompression_bomb_is_refused_before_decoding(
    visit, clinician_user, upload, private_media, tmp_path
):
    import struct
    import zlib

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    # A PNG header claiming 30,000 x 30,000 pixels (900 MP) over a few bytes of data.
    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    bomb += chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    with pytest.raises(TooManyPixelsError):
        _upload(visit, clinician_user, upload(bomb, "bomb.png", "image/png"))
    assert _stored_files(private_media) == []


def test_an_oversized_photo_is_refused(visit, clinician_user, upload, astronaut_jpeg):
    from collis.lib.uploads import IMAGE_LIMITS

    padded = astronaut_jpeg + b"\x00" * (IMAGE_LIMITS.max_bytes - len(astronaut_jpeg) + 1)
    with pytest.raises(UploadTooLargeError):
        _upload(visit, clinician_user, upload(padded))
    assert not PostureRecording.objects.exists()


def test_the_analysis_job_stores_angles_suggestions_and_an_annotated_frame(analysed):
    assert analysed.status == "done" and analysed.job.state == "done"
    result = analysed.result
    assert set(result["angles"]) == {"rotation_deg", "laterocollis_deg", "flexion_deg"}
    assert result["source"] == f"recording {analysed.pk}"  # no server path in the result
    # The chart fields hold the head-on-trunk angles when the trunk is seen (DESIGN.md).
    charted = result["head_on_trunk"] or result["angles"]
    assert result["head_on_trunk"] is not None
    assert analysed.rotation_deg == charted["rotation_deg"]
    assert analysed.laterocollis_deg == charted["laterocollis_deg"]
    assert analysed.flexion_deg == charted["flexion_deg"]
    # The astronaut faces the camera, head nearly upright (tests/posture pin the exact values).
    assert abs(analysed.laterocollis_deg) < 10
    items = [s["item"] for s in analysed.suggestions]
    assert items[:3] == ["rotation", "laterocollis", "anterocollis_retrocollis"]
    assert all(s["suggestion"] for s in analysed.suggestions)
    assert result["twstrs_severity"]["rotation"] == analysed.suggestions[0]["grade"]
    annotated = Path(default_storage.path(analysed.annotated.name))
    assert annotated.suffix == ".png" and annotated.stat().st_size > 10_000


def test_no_face_fails_at_once_with_a_message_for_the_clinician(
    visit, clinician_user, faceless_jpeg, upload, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recording = _upload(visit, clinician_user, upload(faceless_jpeg))
    recording.refresh_from_db()
    assert recording.status == "failed"
    assert recording.job.attempts == 1  # no retries for input that can never succeed
    assert recording.error_message == NO_FACE_MESSAGE
    assert recording.job.error == NO_FACE_MESSAGE
    assert recording.result is None and not recording.annotated


def test_deleting_the_original_removes_the_files_and_keeps_the_measurements(
    analysed, clinician_user, django_capture_on_commit_callbacks
):
    original = Path(default_storage.path(analysed.original.name))
    annotated = Path(default_storage.path(analysed.annotated.name))
    angles = analysed.result["angles"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_original(None, actor=clinician_user, recording=analysed)
    analysed.refresh_from_db()
    assert not original.exists() and not annotated.exists()
    assert not analysed.original and not analysed.annotated
    assert analysed.original_deleted_at is not None
    assert analysed.result["angles"] == angles and analysed.rotation_deg == angles["rotation_deg"]
    assert AuditEvent.objects.filter(action="delete", object_id=str(analysed.pk)).exists()
    with pytest.raises(OriginalDeletedError):
        actions.delete_original(None, actor=clinician_user, recording=analysed)


def test_a_failed_analysis_can_be_retried_and_a_finished_one_cannot(
    visit, clinician_user, faceless_jpeg, upload, django_capture_on_commit_callbacks, analysed
):
    with pytest.raises(NotRetryableError):
        actions.retry_analysis(None, actor=clinician_user, recording=analysed)
    with django_capture_on_commit_callbacks(execute=True):
        failed = _upload(visit, clinician_user, upload(faceless_jpeg))
    with django_capture_on_commit_callbacks(execute=True):
        actions.retry_analysis(None, actor=clinician_user, recording=failed)
    failed.refresh_from_db()
    # It ran again (and, with no face, failed again with the same clear message).
    assert failed.job.state == "failed" and failed.error_message == NO_FACE_MESSAGE
    assert AuditEvent.objects.filter(
        action="update", object_id=str(failed.pk), detail__retry=True
    ).exists()


def test_an_analysis_queued_after_deletion_fails_with_a_reason(
    visit, clinician_user, astronaut_jpeg, upload, django_capture_on_commit_callbacks
):
    from collis.jobs.runner import run_job
    from collis.recordings.jobs import DELETED_MESSAGE

    recording = _upload(visit, clinician_user, upload(astronaut_jpeg))  # job not started
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_original(None, actor=clinician_user, recording=recording)
    run_job(recording.job_id)
    recording.refresh_from_db()
    assert recording.status == "failed" and recording.error_message == DELETED_MESSAGE


def test_anonymisation_erases_media_but_keeps_measurements(
    analysed, django_capture_on_commit_callbacks
):
    original = Path(default_storage.path(analysed.original.name))
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.erase_patient_media(analysed.patient) == 1
    analysed.refresh_from_db()
    assert not original.exists() and analysed.original_filename == ""
    assert analysed.result is not None


def test_a_video_gets_a_series_and_an_annotated_still(
    visit, clinician_user, upload, tmp_path, django_capture_on_commit_callbacks
):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "posture"))
    from synthetic_media import still_video

    video = still_video(tmp_path / "still.mp4", [i / 30 for i in range(45)])
    with django_capture_on_commit_callbacks(execute=True):
        recording = _upload(
            visit, clinician_user, upload(video.read_bytes(), "clip.mp4", "video/mp4")
        )
    recording.refresh_from_db()
    assert recording.kind == "video" and recording.status == "done"
    assert recording.duration_seconds == pytest.approx(1.5, abs=0.1)
    assert len(recording.result["series"]["t"]) == 45
    from PIL import Image

    with Image.open(default_storage.path(recording.annotated.name)) as still:
        assert still.size == (320, 240)


def test_a_sideways_video_fails_with_an_orientation_message(
    visit, clinician_user, upload, django_capture_on_commit_callbacks
):
    """Issue #14: a portrait clip without rotation metadata must not report −89° laterocollis."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "posture"))
    import head_render

    from collis.recordings.jobs import ORIENTATION_MESSAGE

    clip = head_render.Clip(
        "turned1", seconds=2.0, turned_quarter=1, rotation=head_render.Keyframes(((0.0, 10.0),)),
        noise_seed=12,
    )  # fmt: skip
    video = head_render.render_clip(clip)
    with django_capture_on_commit_callbacks(execute=True):
        recording = _upload(
            visit, clinician_user, upload(video.read_bytes(), "portrait.mp4", "video/mp4")
        )
    recording.refresh_from_db()
    assert recording.status == "failed" and recording.job.attempts == 1
    assert recording.error_message == ORIENTATION_MESSAGE
    assert recording.result is None
