"""Every write to home check-ins: atomic, audited; called by views, the job and privacy."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from collis.audit.actions import Action, record_access
from collis.checkins.errors import (
    ConsentMissingError,
    EmptyMessageError,
    NotAVideoError,
    VideoTooShortError,
)
from collis.checkins.models import (
    CheckinMessage,
    CheckinSchedule,
    CheckinStill,
    HomeCheckin,
    HomeRecordingConsent,
)
from collis.checkins.protocol import DURATION_S, PROTOCOL_VERSION
from collis.jobs.actions import enqueue
from collis.jobs.models import Job
from collis.lib.uploads import check_upload, storage_name
from collis.posture.media import MIN_SIDE_PX

logger = logging.getLogger(__name__)

ANALYZE_JOB = "checkins.analyze"
NOTIFY_MESSAGE_JOB = "checkins.notify_message"
# Shown and stored in the patient's language: the record keeps the words they agreed to.
CONSENT_STATEMENT = gettext_noop(
    "I agree to record short videos of my head and neck at home and send them to my clinic. "
    "The clinic measures them and, unless it tells me otherwise, deletes each video once it "
    "is measured, keeping the measurements and one annotated picture. I can withdraw this "
    "consent at any time."
)
MESSAGE_MAX_LENGTH = 2000
# The neutral part alone is 5 s; a clip shorter than that cannot show the resting posture.
MIN_DURATION_S = 5.0


def active_consent(patient) -> HomeRecordingConsent | None:  # noqa: ANN001 (patients.Patient)
    latest = HomeRecordingConsent.objects.filter(patient=patient).first()
    return latest if latest is not None and latest.revoked_at is None else None


def give_consent(request: HttpRequest | None, *, patient) -> HomeRecordingConsent:  # noqa: ANN001
    with transaction.atomic():
        consent = active_consent(patient) or HomeRecordingConsent.objects.create(
            patient=patient, statement=gettext(CONSENT_STATEMENT), given_at=timezone.now()
        )
        record_access(request, Action.CREATE, consent, patient_id=patient.pk)
    return consent


def revoke_consent(request: HttpRequest | None, *, patient) -> None:  # noqa: ANN001
    """Withdraw consent: no new check-ins; stored videos of check-ins still queued are deleted."""
    with transaction.atomic():
        consent = active_consent(patient)
        if consent is None:
            return
        consent.revoked_at = timezone.now()
        consent.save(update_fields=["revoked_at"])
        record_access(request, Action.UPDATE, consent, patient_id=patient.pk,
                      detail={"revoked": True})  # fmt: skip
        for checkin in (
            HomeCheckin.objects.select_for_update()
            .filter(patient=patient, original_deleted_at__isnull=True)
            .exclude(original="")
        ):
            _drop_original(checkin, reason="consent withdrawn")


def upload_checkin(
    request: HttpRequest | None,
    *,
    patient,  # noqa: ANN001
    file: IO[bytes],
    mirrored: bool,
    note: str = "",
) -> HomeCheckin:
    """Check and store a home check-in video and queue its analysis.

    Raises ConsentMissingError, NotAVideoError, VideoTooShortError or an ``UploadError``.
    """
    consent = active_consent(patient)
    if consent is None:
        raise ConsentMissingError(
            gettext("Please agree to home recordings before sending a video.")
        )
    checked = check_upload(file)
    if checked.kind.value != "video":
        raise NotAVideoError(
            gettext("Please send a video, not a photo: the check-in follows movements.")
        )
    if min(checked.width, checked.height) < MIN_SIDE_PX:
        raise NotAVideoError(
            gettext("The video is too small to see your face; please record again.")
        )
    if checked.duration_seconds is not None and checked.duration_seconds < MIN_DURATION_S:
        raise VideoTooShortError(
            gettext(
                "The video is %(length).0f seconds long; the check-in takes about %(needed).0f "
                "seconds. Please record it again."
            )
            % {"length": checked.duration_seconds, "needed": DURATION_S}
        )
    checkin = HomeCheckin(
        patient=patient,
        recorded_at=timezone.now(),
        protocol_version=PROTOCOL_VERSION,
        mime_type=checked.mime_type,
        size_bytes=checked.size_bytes,
        mirrored=mirrored,
        consent=consent,
        patient_note=note.strip()[:2000],
    )
    checkin.original.save(storage_name(checked), file, save=False)
    try:
        with transaction.atomic():
            checkin.save()
            checkin.job = enqueue(ANALYZE_JOB, checkin_id=checkin.pk)
            checkin.save(update_fields=["job"])
            record_access(request, Action.CREATE, checkin, patient_id=patient.pk,
                          detail={"bytes": checkin.size_bytes})  # fmt: skip
    except BaseException:
        default_storage.delete(checkin.original.name)
        raise
    return checkin


def store_analysis(
    checkin_id: int,
    *,
    result: dict[str, Any],
    segments: dict[str, Any],
    annotated: str,
    stills: dict[str, tuple[str, float]] | None = None,
    job: Job | None = None,
) -> HomeCheckin | None:
    """Save the analysis (called by the job); drop the video unless the clinic keeps them.

    Fenced by ``job``'s attempt number: a run whose job was claimed again meanwhile (its worker
    stalled past the lease and another worker took over), or a check-in already analysed,
    stores nothing and returns None, and its new files are deleted. A check-in is analysed once.
    ``stills``: {segment key: (stored image name, seconds)}, one annotated still per segment.
    """
    stills = stills or {}
    with transaction.atomic():
        checkin = HomeCheckin.objects.select_for_update().get(pk=checkin_id)
        fenced_out = (
            job is not None
            and not Job.objects.filter(
                pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts
            ).exists()
        )
        if fenced_out or checkin.result is not None:
            logger.warning(
                "check-in %s: analysis not stored (%s)",
                checkin_id,
                "job claimed again by another worker" if fenced_out else "already analysed",
            )
            _delete_files_on_commit([annotated, *(name for name, _ in stills.values())])
            return None
        neutral = segments.get("neutral") or {}
        tremor = neutral.get("tremor") or {}
        checkin.result = result
        checkin.segments = segments
        checkin.annotated.name = annotated
        checkin.error_message = ""
        checkin.resting_rotation_deg = neutral.get("rotation_deg")
        checkin.resting_laterocollis_deg = neutral.get("laterocollis_deg")
        checkin.resting_flexion_deg = neutral.get("flexion_deg")
        # "Looked, found none" is 0° of tremor on the curve; unmeasured stays empty.
        checkin.tremor_amplitude_deg = (
            tremor.get("amplitude_deg") if tremor.get("detected") else
            0.0 if tremor.get("detected") is False else None
        )  # fmt: skip
        checkin.tremor_hz = tremor.get("frequency_hz")
        checkin.save()
        CheckinStill.objects.bulk_create(
            CheckinStill(checkin=checkin, segment=key, image=name, t=t)
            for key, (name, t) in stills.items()
        )
        record_access(None, Action.UPDATE, checkin, patient_id=checkin.patient_id,
                      detail={"by": "analysis job"})  # fmt: skip
        if not getattr(settings, "CHECKINS_KEEP_VIDEO", False):
            _drop_original(checkin, reason="analysed")
    return checkin


def record_failure(checkin_id: int, *, message: str) -> None:
    with transaction.atomic():
        checkin = HomeCheckin.objects.select_for_update().get(pk=checkin_id)
        checkin.error_message = message
        checkin.save(update_fields=["error_message"])
        record_access(None, Action.UPDATE, checkin, patient_id=checkin.patient_id,
                      detail={"by": "analysis job", "failed": True})  # fmt: skip


def mark_reviewed(request: HttpRequest | None, *, actor, checkin: HomeCheckin) -> HomeCheckin:  # noqa: ANN001
    with transaction.atomic():
        checkin = HomeCheckin.objects.select_for_update().get(pk=checkin.pk)
        if checkin.reviewed_at is None:
            checkin.reviewed_by = actor
            checkin.reviewed_at = timezone.now()
            checkin.save(update_fields=["reviewed_by", "reviewed_at"])
            record_access(request, Action.UPDATE, checkin, user=actor,
                          detail={"reviewed": True})  # fmt: skip
    return checkin


def send_message(
    request: HttpRequest | None,
    *,
    actor,  # noqa: ANN001 (a clinician user)
    checkin: HomeCheckin,
    body: str,
) -> CheckinMessage:
    """Send the patient an in-app message about a check-in; they read it in the portal.

    Raises EmptyMessageError for a blank message. The body is health information: it is kept
    in the database only; the patient's e-mail only says that a message waits.
    """
    body = body.strip()[:MESSAGE_MAX_LENGTH]
    if not body:
        raise EmptyMessageError("Write a message before sending it.")
    clinician = getattr(actor, "clinician", None)
    sender_name = (
        clinician.display_name if clinician is not None
        else actor.get_full_name() or actor.get_username()
    )  # fmt: skip
    with transaction.atomic():
        message = CheckinMessage.objects.create(
            checkin=checkin,
            patient_id=checkin.patient_id,
            sender=actor,
            sender_name=sender_name[:150],
            body=body,
            sent_at=timezone.now(),
        )
        record_access(request, Action.CREATE, message, user=actor, patient_id=checkin.patient_id,
                      detail={"checkin": checkin.pk})  # fmt: skip
        # An e-mail saying a message waits (without its text), sent once the message is saved.
        enqueue(NOTIFY_MESSAGE_JOB, message_id=message.pk)
    return message


def mark_messages_read(request: HttpRequest | None, *, patient, messages) -> int:  # noqa: ANN001
    """Stamp the patient's unread messages among ``messages`` as read (audited); return how many."""
    ids = [m.pk for m in messages if m.read_at is None and m.patient_id == patient.pk]
    if not ids:
        return 0
    with transaction.atomic():
        count = CheckinMessage.objects.filter(pk__in=ids, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        record_access(request, Action.READ, object_type="checkins.CheckinMessage",
                      patient_id=patient.pk, detail={"read": ids})  # fmt: skip
    return count


def set_schedule(
    request: HttpRequest | None,
    *,
    actor,  # noqa: ANN001
    patient,  # noqa: ANN001
    start_week: int,
    interval_days: int,
    active: bool,
) -> CheckinSchedule:
    with transaction.atomic():
        schedule, _ = CheckinSchedule.objects.update_or_create(
            patient=patient,
            defaults={"start_week": start_week, "interval_days": interval_days,
                      "active": active, "set_by": actor},
        )  # fmt: skip
        record_access(request, Action.UPDATE, schedule, user=actor, patient_id=patient.pk)
    return schedule


def erase_patient_media(patient) -> int:  # noqa: ANN001
    count = 0
    with transaction.atomic():
        for checkin in HomeCheckin.objects.select_for_update().filter(patient=patient):
            stills = list(checkin.stills.all())
            if checkin.original or checkin.annotated or stills:
                count += 1
                names = [f.name for f in (checkin.original, checkin.annotated) if f]
                names += [still.image.name for still in stills]
                checkin.stills.all().delete()
                checkin.original.name = ""
                checkin.annotated.name = ""
                checkin.original_deleted_at = checkin.original_deleted_at or timezone.now()
                checkin.save(update_fields=["original", "annotated", "original_deleted_at"])
                _delete_files_on_commit(names)
                record_access(None, Action.DELETE, checkin, patient_id=patient.pk,
                              detail={"by": "anonymisation"})  # fmt: skip
    return count


def erase_patient_free_text(patient) -> int:  # noqa: ANN001
    """Clear the patient's check-in notes and the bodies of the clinic's messages (audited)."""
    with transaction.atomic():
        notes = HomeCheckin.objects.filter(patient=patient).exclude(patient_note="")
        count = notes.update(patient_note="")
        count += CheckinMessage.objects.filter(patient=patient).exclude(body="").update(body="")
        if count:
            record_access(
                None,
                Action.DELETE,
                object_type="checkins.CheckinMessage",
                patient_id=patient.pk,
                detail={"by": "anonymisation", "texts": count},
            )
    return count


def _drop_original(checkin: HomeCheckin, *, reason: str) -> None:
    name = checkin.original.name
    checkin.original.name = ""
    checkin.original_deleted_at = timezone.now()
    checkin.save(update_fields=["original", "original_deleted_at"])
    record_access(None, Action.DELETE, checkin, patient_id=checkin.patient_id,
                  detail={"deleted": "video", "reason": reason})  # fmt: skip
    _delete_files_on_commit([name])


def _delete_files_on_commit(names: Iterable[str]) -> None:
    names = [n for n in names if n]

    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.exception("could not delete check-in media %s", name)

    transaction.on_commit(delete)
