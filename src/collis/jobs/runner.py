"""Run a job by id, whatever process picked it up, and record the outcome."""

from __future__ import annotations

import json
import logging
import traceback
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from collis.jobs.lease import Lease, lease_seconds, uses_advisory_locks
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
    lease = timedelta(seconds=lease_seconds())
    return Q(state=Job.State.QUEUED) | Q(
        state=Job.State.RUNNING, heartbeat_at__lt=timezone.now() - lease
    )


def claim(job_id: int, *, holder_is_dead: bool = False) -> Job | None:
    """Mark a job running for a new attempt; None if another live worker has it or it is done.

    The conditional UPDATE is the lock among claimers: of two workers racing for one job, one
    updates the row. ``holder_is_dead`` (we hold the job's advisory lock on PostgreSQL, so no
    live worker runs it) lets a redelivered job be taken over at once instead of after the lease.
    The new ``attempts`` value is this run's fencing token.
    """
    with transaction.atomic():
        now = timezone.now()
        condition = claimable()
        if holder_is_dead:
            condition |= Q(state=Job.State.RUNNING)
        updated = Job.objects.filter(condition, pk=job_id).update(
            state=Job.State.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
        )
        if not updated:
            return None
        return Job.objects.get(pk=job_id)


def run_job(job_id: int) -> Job | None:
    """Run the job once. On failure, requeue while attempts remain, else mark it failed.

    Returns None when the job is finished, or running on a live worker, or (SQLite) held by a
    worker whose lease has not run out yet. Raises RetryLater when the caller should try again
    after a delay. Connection hygiene (``close_old_connections``) belongs to the long-lived
    caller: a worker loop or a Celery task.
    """
    lease = Lease(job_id)
    if not lease.acquire():
        logger.info("job #%s is running on a live worker: not starting it twice", job_id)
        return None
    try:
        job = claim(job_id, holder_is_dead=uses_advisory_locks())
        if job is None:
            return None
        lease.bind(job.attempts)
        with log_context(request_id=job.request_id, job_id=str(job.pk)):
            return _run_claimed(job, lease)
    finally:
        lease.release()


def _finish(job: Job, **fields: object) -> bool:
    """Record the outcome, fenced: only the run holding attempt ``job.attempts`` may write it."""
    written = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts).update(
        **fields
    )
    if not written:
        logger.warning(
            "job %s #%s attempt %s lost its lease: outcome discarded",
            job.name,
            job.pk,
            job.attempts,
        )
    return bool(written)


def _run_claimed(job: Job, lease: Lease) -> Job:
    spec = get_job(job.name)
    job.lease = lease
    if job.attempts > spec.max_attempts:
        # Every earlier attempt died with its worker (killed, out of memory): stop the loop.
        job.error = f"gave up after {spec.max_attempts} attempts whose worker stopped mid-way"
        _finish(job, state=Job.State.FAILED, error=job.error, finished_at=timezone.now())
        job.refresh_from_db()
        return job
    try:
        result = spec.func(job, **job.kwargs)
        # A result the database cannot store is a failure of the job, not of its caller.
        json.dumps(result, cls=DjangoJSONEncoder)
    except Exception as exc:  # the job boundary: any failure is recorded, never lost
        logger.exception("job %s #%s failed (attempt %s)", job.name, job.pk, job.attempts)
        job.error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
        if isinstance(exc, PermanentJobError):
            job.error = str(exc)[:2000]
        elif job.attempts < spec.max_attempts:
            delay = spec.retry_backoff * (2 ** (job.attempts - 1))
            if _finish(
                job, state=Job.State.QUEUED, error=job.error, run_after=timezone.now() + delay
            ):
                raise RetryLater(delay) from exc
            job.refresh_from_db()
            return job
        _finish(job, state=Job.State.FAILED, error=job.error, finished_at=timezone.now())
    else:
        _finish(
            job,
            state=Job.State.DONE,
            result=json.loads(json.dumps(result, cls=DjangoJSONEncoder)),
            progress=1.0,
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job
