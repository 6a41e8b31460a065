"""The background analysis of one home check-in: ``enqueue("checkins.analyze", checkin_id=...)``."""

from __future__ import annotations

import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

from collis.checkins import actions
from collis.checkins.models import ANNOTATED_DIR, HomeCheckin
from collis.checkins.protocol import analyse_segments
from collis.jobs import register
from collis.jobs.models import Job
from collis.jobs.registry import register_periodic
from collis.jobs.runner import PermanentJobError
from collis.lib.storage import local_copy, save_path
from collis.posture import NoFaceError, OrientationError, Progress, UnreadableInputError, analyze

# Plain words for the patient (issue #16: too dark, face not found, phone sideways).
# Stored as written here (English) and shown through gettext, so each patient reads them in
# their own language (the portal translates them at display time).
NO_FACE = gettext_noop(
    "We could not see your face. Sit facing the phone in good light (a lamp or window in front "
    "of you, not behind), with your head and shoulders inside the frame, and record again."
)
SIDEWAYS = gettext_noop(
    "The video came out sideways or upside down. Hold the phone upright, or lock the screen "
    "rotation, and record again."
)
UNREADABLE = gettext_noop("The video could not be opened. Please record it again.")
DELETED = gettext_noop("The video was deleted before it could be measured. Please record it again.")
TOO_DARK = gettext_noop(
    "The video is too dark to measure well: turn on a light in front of you and record again."
)


@register(actions.ANALYZE_JOB, max_attempts=3)
def analyze_checkin(job: Job, checkin_id: int) -> dict[str, Any]:
    checkin = HomeCheckin.objects.get(pk=checkin_id)
    if not checkin.original:
        actions.record_failure(checkin_id, message=DELETED)
        raise PermanentJobError(DELETED)
    annotated = f"{ANNOTATED_DIR}/{secrets.token_urlsafe(24)}.png"

    def progress(report: Progress) -> None:
        job.report_progress(report.fraction or 0.0, "Done" if report.finished else "Measuring")

    with local_copy(checkin.original.name) as source, tempfile.TemporaryDirectory() as tmp:
        annotated_path = Path(tmp) / "annotated.png"
        try:
            result = analyze(
                source, mirrored=checkin.mirrored, progress=progress, annotate_to=annotated_path
            )
        except (NoFaceError, UnreadableInputError) as exc:
            message = (
                NO_FACE if isinstance(exc, NoFaceError)
                else SIDEWAYS if isinstance(exc, OrientationError)
                else UNREADABLE
            )  # fmt: skip
            actions.record_failure(checkin_id, message=message)
            raise PermanentJobError(message) from exc
        stored = save_path(annotated, annotated_path) if annotated_path.exists() else ""
    data = result.to_dict()
    data["source"] = f"home check-in {checkin_id}"
    segments = analyse_segments(data)
    warnings = " ".join((data.get("quality") or {}).get("warnings") or []).lower()
    if "dark" in warnings:
        segments.setdefault("neutral", {}).setdefault("flags", []).append(TOO_DARK)
    actions.store_analysis(checkin_id, result=data, segments=segments, annotated=stored)
    return {"checkin_id": checkin_id}


@register("checkins.send_reminders")
def send_reminders(job: Job) -> dict[str, int]:
    from collis.checkins.reminders import send_checkin_reminders

    return send_checkin_reminders()


register_periodic("checkins.send_reminders", every=timedelta(hours=6))
