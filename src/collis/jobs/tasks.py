"""Celery entry points. Workers import this through the Celery app's autodiscovery."""

from __future__ import annotations

from celery import shared_task
from django.db import close_old_connections

from collis.jobs.runner import RetryLater, run_job


@shared_task(bind=True, name="collis.jobs.execute", max_retries=None, acks_late=True)
def execute(self, job_id: int) -> str | None:
    close_old_connections()
    try:
        job = run_job(job_id)
    except RetryLater as retry:
        raise self.retry(countdown=retry.delay.total_seconds()) from retry
    finally:
        close_old_connections()
    return job.state if job else None


@shared_task(name="collis.jobs.enqueue_periodic")
def enqueue_periodic(job_name: str) -> int:
    from collis.jobs.actions import enqueue

    return enqueue(job_name).pk


@shared_task(name="collis.jobs.redispatch_queued")
def redispatch_queued() -> int:
    """Beat runs this every minute: jobs queued while the broker was down get sent."""
    from collis.jobs.backends import redispatch_queued as redispatch

    return redispatch()
