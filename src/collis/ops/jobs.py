"""The canary job: proves that a worker picks up work, reports progress and finishes it."""

from __future__ import annotations

import time
from datetime import timedelta

from collis.jobs import register
from collis.jobs.models import Job

CANARY_JOB = "ops.canary"


@register(CANARY_JOB, max_attempts=3, retry_backoff=timedelta(seconds=1))
def canary(job: Job, seconds: float = 1.0) -> dict[str, float | int]:
    """Work for ``seconds`` in small steps, with a heartbeat at each (so a dead worker shows)."""
    steps = max(1, round(seconds * 4))
    for step in range(steps):
        time.sleep(seconds / steps)
        job.report_progress((step + 1) / steps, "working")
    return {"worked_seconds": seconds, "attempt": job.attempts}
