"""Celery entry points. Workers import this through the Celery app's autodiscovery."""

from __future__ import annotations

from celery import shared_task
from django.db import close_old_connections

from collis.jobs.backends import EXECUTE_TASK
from collis.jobs.lease import lease_seconds, uses_advisory_locks
from collis.jobs.models import Job
from collis.jobs.runner import RetryLater, run_job


@shared_task(bind=True, name=EXECUTE_TASK, max_retries=None, acks_late=True)
def execute(self, job_id: int) -> str | None:
    close_old_connections()
    try:
        job = run_job(job_id)
        if job is None and _held_by_unknown_worker(job_id):
            # SQLite has no lock to tell a live holder from a dead one: come back when the
            # holder's lease would have run out (a live holder keeps renewing it).
            raise self.retry(countdown=lease_seconds())
    except RetryLater as retry:
        raise self.retry(countdown=retry.delay.total_seconds()) from retry
    finally:
        close_old_connections()
    return job.state if job else None


def _held_by_unknown_worker(job_id: int) -> bool:
    if uses_advisory_locks():
        return False  # the lock answered: a live worker has it, and will finish it
    return Job.objects.filter(pk=job_id, state=Job.State.RUNNING).exists()


@shared_task(name="collis.jobs.enqueue_periodic")
def enqueue_periodic(job_name: str) -> int:
    from collis.jobs.actions import enqueue

    return enqueue(job_name).pk


@shared_task(name="collis.jobs.redispatch_queued")
def redispatch_queued() -> int:
    """Beat runs this every minute: jobs queued while the broker was down get sent."""
    from collis.jobs.backends import redispatch_queued as redispatch

    return redispatch()
