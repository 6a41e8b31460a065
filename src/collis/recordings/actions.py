"""Every write to posture recordings: atomic, audited, called by views, jobs, admin and privacy."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import PurePath
from typing import IO, Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from collis.audit.actions import Action, record_access
from collis.jobs.actions import enqueue, retry_job
from collis.jobs.models import Job
from collis.lib.uploads import check_upload, storage_name
from collis.posture.media import MIN_SIDE_PX
from collis.recordings.errors import (
    ConsentRequiredError,
    NotAnalysedError,
    NotRetryableError,
    OriginalDeletedError,
    PictureTooSmallError,
)
from collis.recordings.models import SUMMARY_FIELDS, PostureRecording

logger = logging.getLogger(__name__)

ANALYZE_JOB = "recordings.analyze"
CONSENT_STATEMENT = "The patient agreed to this photo/video being taken and stored in their record."


def upload_recording(
    request: HttpRequest | None,
    *,
    actor,  # noqa: ANN001 (a User)
    visit,  # noqa: ANN001 (patients.Visit)
    file: IO[bytes],
    mirrored: bool,
    consent_confirmed: bool,
) -> PostureRecording:
    """Check and store a photo or video of ``visit``'s patient and queue its analysis.

    The bytes are checked by their content (``collis.lib.uploads``) before anything is stored.
    Raises ConsentRequiredError, PictureTooSmallError or an ``UploadError`` subclass; nothing
    is stored then.
    """
    if not consent_confirmed:
        raise ConsentRequiredError(
            "Confirm that the patient agreed to this photo or video being taken and stored."
        )
    checked = check_upload(file)
    if min(checked.width, checked.height) < MIN_SIDE_PX:
        raise PictureTooSmallError(
            f"The picture is {checked.width} x {checked.height} pixels; a face cannot be "
            f"measured below {MIN_SIDE_PX} pixels a side."
        )
    now = timezone.now()
    recording = PostureRecording(
        patient=visit.patient,
        visit=visit,
        uploaded_by=actor,
        original_filename=PurePath(getattr(file, "name", "") or "").name[:255],
        kind=checked.kind.value,
        mime_type=checked.mime_type,
        size_bytes=checked.size_bytes,
        width=checked.width,
        height=checked.height,
        duration_seconds=checked.duration_seconds,
        mirrored=mirrored,
        consent_confirmed=True,
        consent_confirmed_by=actor,
        consent_confirmed_at=now,
    )
    # Stored under a random name with the extension the content deserves, never the upload's.
    recording.original.save(storage_name(checked), file, save=False)
    try:
        with transaction.atomic():
            recording.save()
            recording.job = enqueue(ANALYZE_JOB, recording_id=recording.pk)
            recording.save(update_fields=["job"])
            record_access(
                request,
                Action.CREATE,
                recording,
                user=actor,
                detail={"kind": recording.kind, "bytes": recording.size_bytes, "consent": True},
            )
    except BaseException:
        default_storage.delete(recording.original.name)  # no orphan file without its row
        raise
    return recording


def store_analysis(
    recording_id: int, *, result: dict[str, Any], suggestions: list[dict[str, Any]], annotated: str
) -> PostureRecording:
    """Save an analysis result (called by the job). ``annotated`` is a storage name or ""."""
    with transaction.atomic():
        recording = PostureRecording.objects.select_for_update().get(pk=recording_id)
        if recording.original_deleted_at is not None and annotated:
            # Deleted while the job ran: the annotated frame is a picture of the face too.
            _delete_files_on_commit([annotated])
            annotated = ""
        recording.result = result
        recording.suggestions = suggestions
        recording.annotated.name = annotated
        recording.error_message = ""
        summary = summary_values(result)
        for name in SUMMARY_FIELDS:
            setattr(recording, name, summary[name])
        recording.save(
            update_fields=["result", "suggestions", "annotated", "error_message", *SUMMARY_FIELDS]
        )
        record_access(None, Action.UPDATE, recording, detail={"by": "analysis job"})
    return recording


def summary_values(result: dict[str, Any]) -> dict[str, float | None]:
    """Return the denormalised chart fields of a DESIGN.md result.

    The clinic's charts use the head-on-trunk angles when the trunk was seen (a patient leaning
    in the chair is not laterocollis; DESIGN.md), else the camera-referenced ones.
    """
    angles = result.get("head_on_trunk") or result.get("angles") or {}
    tremor = result.get("tremor") or {}
    shifts = result.get("shifts") or {}
    return {
        "rotation_deg": angles.get("rotation_deg"),
        "laterocollis_deg": angles.get("laterocollis_deg"),
        "flexion_deg": angles.get("flexion_deg"),
        "tremor_hz": tremor.get("frequency_hz"),
        "tremor_amplitude_deg": tremor.get("amplitude_deg"),
        "shoulder_elevation_deg": shifts.get("shoulder_elevation_deg"),
    }


def record_analysis_failure(recording_id: int, *, message: str) -> None:
    """Keep a clinician-safe reason why the analysis cannot succeed (called by the job)."""
    with transaction.atomic():
        recording = PostureRecording.objects.select_for_update().get(pk=recording_id)
        recording.error_message = message
        recording.save(update_fields=["error_message"])
        record_access(None, Action.UPDATE, recording, detail={"by": "analysis job", "failed": True})


def delete_original(
    request: HttpRequest | None,
    *,
    actor,  # noqa: ANN001
    recording: PostureRecording,
) -> PostureRecording:
    """Delete the photo/video and its annotated frame for good; the measurements stay.

    Raises OriginalDeletedError if they are already gone. Files go once the transaction commits.
    """
    with transaction.atomic():
        recording = PostureRecording.objects.select_for_update().get(pk=recording.pk)
        if recording.original_deleted_at is not None:
            raise OriginalDeletedError("The photo or video was already deleted.")
        names = [f.name for f in (recording.original, recording.annotated) if f]
        recording.original.name = ""
        recording.annotated.name = ""
        recording.original_deleted_at = timezone.now()
        recording.save(update_fields=["original", "annotated", "original_deleted_at"])
        record_access(request, Action.DELETE, recording, user=actor, detail={"deleted": "media"})
        _delete_files_on_commit(names)
    return recording


def mark_neutral(
    request: HttpRequest | None,
    *,
    actor,  # noqa: ANN001
    recording: PostureRecording,
    neutral: bool,
) -> PostureRecording:
    """Mark (or unmark) an analysed recording as the patient's neutral posture.

    Analyses run afterwards report flexion against the newest neutral recording of the patient
    (``neutral_for``); earlier analyses keep what they were measured against. Raises
    NotAnalysedError for a recording without a result.
    """
    with transaction.atomic():
        recording = PostureRecording.objects.select_for_update().get(pk=recording.pk)
        if neutral and recording.camera_flexion_deg is None:
            raise NotAnalysedError("Only an analysed recording can be the patient's neutral.")
        recording.is_neutral = neutral
        recording.save(update_fields=["is_neutral"])
        record_access(request, Action.UPDATE, recording, user=actor, detail={"neutral": neutral})
    return recording


def neutral_for(recording: PostureRecording) -> PostureRecording | None:
    """Return the patient's newest neutral recording other than ``recording``, or None."""
    return (
        PostureRecording.objects.filter(
            patient_id=recording.patient_id, is_neutral=True, result__isnull=False
        )
        .exclude(pk=recording.pk)
        .select_related("visit")
        .order_by("-visit__occurred_at", "-created_at", "-pk")
        .first()
    )


def retry_analysis(
    request: HttpRequest | None,
    *,
    actor,  # noqa: ANN001
    recording: PostureRecording,
) -> PostureRecording:
    """Queue a failed analysis again. Raises NotRetryableError unless it failed with media kept."""
    with transaction.atomic():
        recording = (
            PostureRecording.objects.select_for_update(of=("self",))
            .select_related("job")
            .get(pk=recording.pk)
        )
        if recording.job is None or recording.job.state != Job.State.FAILED:
            raise NotRetryableError("Only a failed analysis can be tried again.")
        if not recording.original:
            raise NotRetryableError("The photo or video was deleted; upload it again.")
        retry_job(recording.job)
        recording.error_message = ""
        recording.save(update_fields=["error_message"])
        record_access(request, Action.UPDATE, recording, user=actor, detail={"retry": True})
    return recording


def erase_patient_media(patient) -> int:  # noqa: ANN001 (patients.Patient)
    """Delete every stored photo, video and annotated frame of ``patient`` (anonymisation).

    Measurements stay, like other clinical rows. Returns how many recordings held media.
    """
    count = 0
    with transaction.atomic():
        # Soft-deleted analyses too: their photos identify the patient as much as any other.
        rows = PostureRecording.all_objects.select_for_update().filter(patient=patient)
        for recording in rows:
            names = [f.name for f in (recording.original, recording.annotated) if f]
            recording.original_filename = ""
            if names:
                count += 1
                recording.original.name = ""
                recording.annotated.name = ""
                recording.original_deleted_at = recording.original_deleted_at or timezone.now()
                _delete_files_on_commit(names)
            recording.save(
                update_fields=["original", "annotated", "original_deleted_at", "original_filename"]
            )
            record_access(None, Action.DELETE, recording, detail={"by": "anonymisation"})
    return count


def _delete_files_on_commit(names: Iterable[str]) -> None:
    names = [n for n in names if n]

    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:  # the row no longer points at it; log for the operator
                logger.exception("could not delete recording media %s", name)

    transaction.on_commit(delete)
