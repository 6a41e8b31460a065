"""Where queued jobs run: a thread of this process, Celery workers, or inline (tests).

The backend is chosen once from settings: ``JOBS_BACKEND`` = ``thread`` (default without a
broker), ``celery`` (default when ``CELERY_BROKER_URL`` is set) or ``sync`` (run at commit in the
caller's thread; for tests and commands).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connections
from django.db.models import Q
from django.utils import timezone

from collis.jobs.lease import holder_is_alive, lease_seconds, uses_advisory_locks
from collis.jobs.models import Job
from collis.jobs.queue import create_job
from collis.jobs.registry import periodic_jobs
from collis.jobs.runner import RetryLater, claimable, run_job

logger = logging.getLogger(__name__)


# The Celery task that runs a job (collis.jobs.tasks.execute), published by name.
EXECUTE_TASK = "collis.jobs.execute"


def backend_name() -> str:
    configured = getattr(settings, "JOBS_BACKEND", "")
    if configured:
        return configured
    return "celery" if settings.CELERY_BROKER_URL else "thread"


def dispatch(job_id: int) -> None:
    """Start the job on the configured backend (called after the enqueuing transaction commits)."""
    name = backend_name()
    if name == "sync":
        # Inline there is nobody to come back later: a job to retry stays queued, with its
        # error recorded, for a worker or a `manage.py run_jobs` pass.
        with contextlib.suppress(RetryLater):
            run_job(job_id)
    elif name == "celery":
        send_to_celery(job_id)
    elif name == "thread":
        InProcessWorker.instance().wake()
    else:
        raise ValueError(f"Unknown JOBS_BACKEND {name!r}")


def send_to_celery(job_id: int) -> bool:
    """Publish the job to the broker; with the broker down, leave it queued and say so.

    The job row is already committed, so nothing is lost: ``redispatch_queued`` (run by Celery
    beat) sends it again once the broker answers, and ``claim`` makes a double send harmless.
    """
    from celery import current_app
    from kombu.exceptions import OperationalError as BrokerError

    try:
        # By name: the task (collis.jobs.tasks) is an entry point above this module.
        current_app.send_task(EXECUTE_TASK, args=[job_id])
    except (BrokerError, ConnectionError, OSError):
        logger.warning("broker unreachable: job %s stays queued until it is re-dispatched", job_id)
        return False
    return True


def redispatch_queued(older_than_seconds: int = 30) -> int:
    """Send again every queued job that no worker took for a while; return how many were sent."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    stale = Job.objects.filter(claimable(), created_at__lt=cutoff).filter(
        Q(run_after__isnull=True) | Q(run_after__lte=timezone.now())
    )
    ids = list(stale.values_list("pk", flat=True)[:500])
    ids += orphaned_running_jobs(exclude=ids, limit=500)
    return sum(send_to_celery(pk) for pk in ids)


def orphaned_running_jobs(*, exclude: list[int], limit: int) -> list[int]:
    """PostgreSQL: running jobs whose lock nobody holds lost their worker; take them now, not
    after the lease. Their heartbeat must have missed two beats, so a live worker whose lock went
    away with a database restart has time to take it again first. (SQLite: none; the lease
    decides.)"""
    if not uses_advisory_locks():
        return []
    quiet = timezone.now() - timedelta(seconds=lease_seconds() / 2)
    running = Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=quiet)
    running = running.exclude(pk__in=exclude).order_by("created_at")
    return [pk for pk in running.values_list("pk", flat=True)[:limit] if not holder_is_alive(pk)]


def due_jobs() -> list[int]:
    now = timezone.now()
    ids = list(
        Job.objects.filter(claimable())
        .filter(Q(run_after__isnull=True) | Q(run_after__lte=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:20]
    )
    return ids + orphaned_running_jobs(exclude=ids, limit=20)


def run_due_jobs() -> int:
    """Run every job that is due now, in this thread; return how many ran."""
    count = 0
    for job_id in due_jobs():
        with contextlib.suppress(RetryLater):
            run_job(job_id)
        count += 1
    return count


class InProcessWorker:
    """One daemon thread per process: runs queued jobs and the periodic schedule.

    It polls the database, so jobs left queued by a crash or a restart are picked up again.
    """

    _instance: InProcessWorker | None = None
    _lock = threading.Lock()
    POLL_SECONDS = 2.0

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._last_periodic: dict[str, float] = {}
        self._thread = threading.Thread(target=self._loop, name="collis-jobs", daemon=True)
        self._thread.start()

    @classmethod
    def instance(cls) -> InProcessWorker:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def wake(self) -> None:
        self._wake.set()

    @classmethod
    def stop(cls, timeout: float = 10.0) -> None:
        """Stop this process's worker after its current iteration (tests, graceful shutdown)."""
        with cls._lock:
            worker, cls._instance = cls._instance, None
        if worker is not None:
            worker._stopping.set()
            worker._wake.set()
            worker._thread.join(timeout)

    def _enqueue_periodic(self) -> None:
        now = time.monotonic()
        for spec in periodic_jobs():
            last = self._last_periodic.get(spec.job_name)
            if last is None or now - last >= spec.every.total_seconds():
                self._last_periodic[spec.job_name] = now
                create_job(spec.job_name, {})  # this loop runs it below

    def _loop(self) -> None:
        try:
            self._iterate_until_stopped()
        finally:
            # Persistent connections (CONN_MAX_AGE) outlive close_old_connections: close ours.
            connections.close_all()

    def _iterate_until_stopped(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self.POLL_SECONDS)
            self._wake.clear()
            if self._stopping.is_set():
                break
            close_old_connections()
            try:
                self._enqueue_periodic()
                run_due_jobs()
            except Exception:  # keep the worker alive; the error is logged and visible on jobs
                logger.exception("in-process job worker iteration failed")
            finally:
                close_old_connections()
