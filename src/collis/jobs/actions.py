from __future__ import annotations

from typing import Any

from django.db import transaction

from collis.jobs.backends import dispatch
from collis.jobs.models import Job
from collis.jobs.queue import create_job


def enqueue(name: str, *, start: bool = True, **kwargs: Any) -> Job:
    """Record a job and start it once the surrounding transaction commits.

    ``kwargs`` must be JSON-serialisable (ids, not model instances). With ``start=False`` the job
    waits for the next worker pass.
    """
    job = create_job(name, kwargs)
    if start:
        # robust: the caller's transaction is committed; a failure to start the job (broker or
        # database hiccup) is logged and leaves the job queued for a worker, never failing the
        # request whose work is already saved.
        transaction.on_commit(lambda: dispatch(job.pk), robust=True)
    return job


def retry_job(job: Job) -> Job:
    """Put a failed job back in the queue (a clinician pressed "try again")."""
    Job.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
        state=Job.State.QUEUED, attempts=0, error="", run_after=None, progress=0.0
    )
    transaction.on_commit(lambda: dispatch(job.pk), robust=True)
    job.refresh_from_db()
    return job
