"""Writing a job row: the one place a job is created, whether or not it starts at once."""

from __future__ import annotations

from typing import Any

from collis.jobs.models import Job
from collis.jobs.registry import get_job
from collis.lib.logs import current_request_id


def create_job(name: str, kwargs: dict[str, Any]) -> Job:
    """Record a queued job; a worker pass or ``dispatch`` starts it.

    ``kwargs`` must be JSON-serialisable (ids, not model instances).
    """
    get_job(name)  # fail now, in the caller, on a misspelt name
    return Job.objects.create(name=name, kwargs=kwargs, request_id=current_request_id())
