"""Run a job by id, whatever process picked it up, and record the outcome."""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from collis.jobs.models import Job
from collis.jobs.registry import get_job
from collis.lib.logs import log_context

logger = logging.getLogger(__name__)


class PermanentJobError(Exception):
    """Raised by a job whose input can never succeed (unreadable file): fail now, no retries."""


class RetryLater(Exception):  # noqa: N818 - a signal, not an error
    """Raised by ``run_job`` when the job failed but has attempts left."""

    def __init__(self, delay: timedelta) -> None:
        super().__init__(f"retry in {delay}")
        self.delay = delay


def claimable() -> Q:
    """Queued jobs, and running ones whose worker died (no heartbeat within the lease)."""
    lease = timedelta(seconds=getattr(settings, "JOBS_LEASE_SECONDS", 300))
    return Q(state=Job.State.QUEUED) | Q(
        state=Job.State.RUNNING, heartbeat_at__lt=timezone.now() - lease
    )


def claim(job_id: int) -> Job | None:
    """Mark a job running; return None if another live worker has it or it is finished.

    The conditional UPDATE is the lock: of two workers racing for one job, one updates a row.
    """
    with transaction.atomic():
        now = timezone.now()
        updated = Job.objects.filter(claimable(), pk=job_id).update(
            state=Job.State.RUNNING, started_at=now, heartbeat_at=now
        )
        if not updated:
            return None
        return Job.objects.get(pk=job_id)


def run_job(job_id: int) -> Job | None:
    """Run the job once. On failure, requeue while attempts remain, else mark it failed.

    Raises RetryLater when the caller should try again after a delay. Connection hygiene
    (``close_old_connections``) belongs to the long-lived caller: a worker loop or a Celery task.
    """
    job = claim(job_id)
    if job is None:
        return None
    with log_context(request_id=job.request_id, job_id=str(job.pk)):
        return _run_claimed(job)


def _run_claimed(job: Job) -> Job:
    spec = get_job(job.name)
    job.attempts += 1
    Job.objects.filter(pk=job.pk).update(attempts=job.attempts)
    try:
        result = spec.func(job, **job.kwargs)
    except Exception as exc:  # the job boundary: any failure is recorded, never lost
        logger.exception("job %s #%s failed (attempt %s)", job.name, job.pk, job.attempts)
        job.error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
        if isinstance(exc, PermanentJobError):
            job.error = str(exc)[:2000]
        elif job.attempts < spec.max_attempts:
            delay = spec.retry_backoff * (2 ** (job.attempts - 1))
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.QUEUED, error=job.error, run_after=timezone.now() + delay
            )
            raise RetryLater(delay) from exc
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, error=job.error, finished_at=timezone.now()
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.DONE, result=result, progress=1.0, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job
