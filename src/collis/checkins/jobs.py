"""The background analysis of one home check-in: ``enqueue("checkins.analyze", checkin_id=...)``."""

from __future__ import annotations

import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from collis.checkins import actions
from collis.checkins.models import ANNOTATED_DIR, HomeCheckin
from collis.checkins.protocol import analyse_segments, still_times
from collis.jobs import register
from collis.jobs.models import Job
from collis.jobs.registry import register_periodic
from collis.jobs.runner import PermanentJobError
from collis.lib.i18n import patient_language, with_language
from collis.lib.storage import local_copy, save_path
from collis.posture import NoFaceError, OrientationError, Progress, UnreadableInputError, analyze
from collis.posture.stills import annotate_stills

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
# The share of the job's progress bar taken by the measuring pass (the stills follow).
ANALYSIS_SHARE = 0.9


@register(actions.ANALYZE_JOB, max_attempts=3)
def analyze_checkin(job: Job, checkin_id: int) -> dict[str, Any]:
    checkin = HomeCheckin.objects.get(pk=checkin_id)
    if checkin.is_analysed:
        # A worker stored the result and died before marking the job done: nothing to redo
        # (and its video is already deleted, which is not a failure).
        return {"checkin_id": checkin_id, "stored": False}
    if not checkin.original:
        actions.record_failure(checkin_id, message=DELETED)
        raise PermanentJobError(DELETED)
    annotated = f"{ANNOTATED_DIR}/{secrets.token_urlsafe(24)}.png"

    def progress(report: Progress) -> None:
        # The measuring pass is most of the work; the per-segment stills the last tenth.
        job.report_progress(ANALYSIS_SHARE * (report.fraction or 0.0), "Measuring")

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
        data = result.to_dict()
        data["source"] = f"home check-in {checkin_id}"
        segments = analyse_segments(data)
        job.report_progress(ANALYSIS_SHARE, "Drawing a picture of each step")
        drawn = annotate_stills(source, still_times(segments), tmp, mirrored=checkin.mirrored)
        stored = save_path(annotated, annotated_path) if annotated_path.exists() else ""
        stills = {
            key: (save_path(f"{ANNOTATED_DIR}/{secrets.token_urlsafe(24)}.png", path),
                  segments[key]["still_t"])
            for key, path in drawn.items()
        }  # fmt: skip
    warnings = " ".join((data.get("quality") or {}).get("warnings") or []).lower()
    if "dark" in warnings:
        segments.setdefault("neutral", {}).setdefault("flags", []).append(TOO_DARK)
    stored_checkin = actions.store_analysis(
        checkin_id, result=data, segments=segments, annotated=stored, stills=stills, job=job
    )
    return {"checkin_id": checkin_id, "stored": stored_checkin is not None}


@register(actions.NOTIFY_MESSAGE_JOB, max_attempts=5)
def notify_message(job: Job, message_id: int) -> dict[str, Any]:
    """Tell the patient by e-mail that a message waits in the portal (never its text)."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.urls import reverse

    from collis.checkins.models import CheckinMessage
    from collis.jobs.outbox import send_once

    message = CheckinMessage.objects.select_related("patient").get(pk=message_id)
    patient = message.patient
    if not patient.email or message.read_at is not None:
        return {"sent": False}
    # In the patient's language (issue #17); the link opens the portal in it too.
    language = patient_language(patient)
    link = with_language(settings.SITE_URL + reverse("checkins:portal-list"), language)
    with translation.override(language):
        subject = gettext("A message from your clinic")
        body = gettext(
            "Hello %(name)s,\n\nYour clinic sent you a message about your home check-in. "
            "Sign in to read it:\n%(link)s\n\nFor your privacy the message itself is not sent "
            "by e-mail."
        ) % {"name": patient.given_name, "link": link}
    email = EmailMessage(subject, body, to=[patient.email])
    return {"sent": send_once(f"checkin-message-{message.pk}", email)}


@register("checkins.send_reminders")
def send_reminders(job: Job) -> dict[str, int]:
    from collis.checkins.reminders import send_checkin_reminders

    return send_checkin_reminders()


register_periodic("checkins.send_reminders", every=timedelta(hours=6))
