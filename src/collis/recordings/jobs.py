"""The background analysis of one recording: ``enqueue("recordings.analyze", recording_id=...)``."""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.utils import timezone

from collis.jobs import register
from collis.jobs.models import Job
from collis.jobs.runner import PermanentJobError
from collis.lib.storage import local_copy, save_path
from collis.posture import (
    NeutralReference,
    NoFaceError,
    OrientationError,
    Progress,
    UnreadableInputError,
    analyze,
)
from collis.recordings import actions
from collis.recordings.models import ANNOTATED_DIR, PostureRecording

NO_FACE_MESSAGE = (
    "No face was found. Take the photo or video again with the patient's whole face in view, "
    "facing the camera, in good light."
)
UNREADABLE_MESSAGE = (
    "The file could not be read as a photo or video. Upload it again, or use another file."
)
ORIENTATION_MESSAGE = (
    "The picture is on its side or upside down (often a phone video without its rotation "
    "setting). Angles were not measured: turn the video upright and upload it again."
)
DELETED_MESSAGE = "The photo or video was deleted before it could be analysed."


@register(actions.ANALYZE_JOB, max_attempts=3)
def analyze_recording(job: Job, recording_id: int) -> dict[str, Any]:
    """Analyse the recording's original; store the result and an annotated still (PNG).

    Input that can never be analysed fails at once with a message for the clinician; any other
    error is retried by the jobs framework.
    """
    recording = PostureRecording.objects.get(pk=recording_id)
    if not recording.original:
        actions.record_analysis_failure(recording_id, message=DELETED_MESSAGE)
        raise PermanentJobError(DELETED_MESSAGE)
    annotated = f"{ANNOTATED_DIR}/{secrets.token_urlsafe(24)}.png"

    def progress(report: Progress) -> None:
        note = "Done" if report.finished else f"{report.frames_done} frames analysed"
        job.report_progress(report.fraction or 0.0, note)

    neutral = None
    neutral_recording = actions.neutral_for(recording)
    if neutral_recording is not None and neutral_recording.camera_flexion_deg is not None:
        on = timezone.localtime(neutral_recording.visit.occurred_at).date()
        neutral = NeutralReference(
            neutral_recording.camera_flexion_deg,
            f"neutral recording #{neutral_recording.pk} of {on:%Y-%m-%d}",
        )
    # The original is read from storage (local disk or S3) into a temporary file on this worker,
    # whatever host it runs on; the annotated still goes back through storage.
    with local_copy(recording.original.name) as source, tempfile.TemporaryDirectory() as tmp:
        annotated_path = Path(tmp) / "annotated.png"
        try:
            result = analyze(
                source,
                mirrored=recording.mirrored,
                progress=progress,
                annotate_to=annotated_path,
                neutral=neutral,
            )
        except (NoFaceError, UnreadableInputError) as exc:
            message = (
                NO_FACE_MESSAGE
                if isinstance(exc, NoFaceError)
                else ORIENTATION_MESSAGE
                if isinstance(exc, OrientationError)
                else UNREADABLE_MESSAGE
            )
            actions.record_analysis_failure(recording_id, message=message)
            raise PermanentJobError(message) from exc
        stored_annotated = save_path(annotated, annotated_path) if annotated_path.exists() else ""
    data = result.to_dict()
    data["source"] = f"recording {recording_id}"  # not the server's file path
    stored = actions.store_analysis(
        recording_id,
        result=data,
        suggestions=[asdict(s) for s in result.severity],
        annotated=stored_annotated,
    )
    return {"recording_id": stored.pk, "angles": data["angles"]}
