"""Background jobs with a visible state: in-process by default, Celery workers when configured.

Write a job as a plain function and register it::

    @register("posture.analyze")
    def analyze_recording(job: Job, recording_id: int) -> dict: ...

Enqueue it with ``enqueue("posture.analyze", recording_id=7)`` inside a transaction: the job row
is written at once and the work starts after commit, either on a thread of this process (no
``CELERY_BROKER_URL``) or on a Celery worker. Both paths end in ``run_job(job_id)``, so the
state machine (queued → running → done | failed, with retries) is the same everywhere.
Imports point inward: jobs knows nothing of the apps that register with it.
"""

from collis.jobs.registry import register

__all__ = ["register"]
