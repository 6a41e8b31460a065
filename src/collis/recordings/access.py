"""Guarded reads of posture recordings: clinicians only (403 for other roles, 404 if missing)."""

from __future__ import annotations

from django.http import Http404

from collis.patients.access import User, require_clinician
from collis.recordings.models import PostureRecording


def access_recording(user: User, recording_id: int) -> PostureRecording:
    """Return the recording for a clinician; ``ClinicalAccessDenied`` (403) for other roles."""
    require_clinician(user)
    try:
        return PostureRecording.objects.select_related("patient", "visit", "job").get(
            pk=recording_id
        )
    except PostureRecording.DoesNotExist:
        raise Http404("No such recording.") from None
