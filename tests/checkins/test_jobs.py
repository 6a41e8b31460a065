"""The analysis job when a worker died after storing the result but before marking the job done:
the retry finds the check-in analysed and leaves it as it is."""

from __future__ import annotations

from django.utils import timezone

from collis.checkins.actions import ANALYZE_JOB
from collis.checkins.models import HomeCheckin
from collis.jobs.actions import enqueue
from collis.jobs.models import Job


def test_a_retry_of_an_analysed_check_in_changes_nothing(
    patient, django_capture_on_commit_callbacks
):
    checkin = HomeCheckin.objects.create(
        patient=patient, recorded_at=timezone.now(), protocol_version="home-v1",
        result={"angles": {}}, segments={"neutral": {"flags": []}}, resting_rotation_deg=-9.0,
        original_deleted_at=timezone.now(),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(ANALYZE_JOB, checkin_id=checkin.pk)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert job.result == {"checkin_id": checkin.pk, "stored": False}
    checkin.refresh_from_db()
    assert checkin.error_message == "" and checkin.resting_rotation_deg == -9.0
