"""The lease a worker holds on a running job: a renewed heartbeat, and on PostgreSQL a lock.

Each running job gets a small companion thread with its own database connection. It

- on PostgreSQL takes a session advisory lock on the job id *before* the job is claimed and holds
  it until the job ends. The lock belongs to the worker's connection, so it disappears the moment
  the worker dies (killed process, lost host): a redelivered task that gets the lock knows nobody
  runs the job and takes it over at once; one that does not get it knows a live worker runs it
  and leaves it alone. Two runs of one job at the same time are impossible;
- renews ``heartbeat_at`` every ``JOBS_LEASE_SECONDS / 4``, fenced by the attempt number it
  claimed, so a long job is never mistaken for a dead one (SQLite has no advisory locks: there the
  heartbeat alone says "alive", and a dead worker's job is claimable after the lease);
- sets ``lost`` if its renewal finds the job no longer its own (claimed again by another worker
  after a long partition): the runner then discards its result instead of marking it done twice.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from collis.jobs.models import Job

logger = logging.getLogger(__name__)

# pg_advisory_lock(bigint): "CoLJ" in the high 32 bits keeps our keys apart from other users'.
_NAMESPACE = 0x436F4C4A << 32


def advisory_key(job_id: int) -> int:
    return _NAMESPACE | (job_id & 0xFFFFFFFF)


def lease_seconds() -> float:
    return float(getattr(settings, "JOBS_LEASE_SECONDS", 60))


def uses_advisory_locks() -> bool:
    return connection.vendor == "postgresql"


def holder_is_alive(job_id: int) -> bool | None:
    """PostgreSQL: is some session holding this job's lock? None where locks do not exist."""
    if not uses_advisory_locks():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [advisory_key(job_id)])
        free = cursor.fetchone()[0]
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [advisory_key(job_id)])
    return not free


class Lease:
    """Hold one job while it runs. ``acquire()`` first, ``bind(attempt)`` once claimed."""

    def __init__(self, job_id: int, *, interval: float | None = None) -> None:
        self.job_id = job_id
        self.interval = interval if interval is not None else max(0.5, lease_seconds() / 4)
        self.lost = threading.Event()
        self.renewals = 0
        self._attempt: int | None = None
        self._acquired = False
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._locking = uses_advisory_locks()
        self._thread = threading.Thread(
            target=self._run, name=f"collis-lease-{job_id}", daemon=True
        )

    # -- the job's side --------------------------------------------------------------------------
    def acquire(self) -> bool:
        """Start the heartbeat thread; False if a live worker holds this job (PostgreSQL)."""
        self._thread.start()
        self._ready.wait(30)
        if not self._acquired:
            self._thread.join(5)
        return self._acquired

    def bind(self, attempt: int) -> None:
        self._attempt = attempt

    def release(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(30)

    # -- the heartbeat thread --------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._acquired = self._lock() if self._locking else True
        except DatabaseError:
            logger.exception("job %s: could not take its lock", self.job_id)
            self._acquired = False
        finally:
            self._ready.set()
        try:
            if self._acquired:
                while not self._stop.wait(self.interval):
                    self._renew()
        finally:
            if self._acquired and self._locking:
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", [advisory_key(self.job_id)])
                except DatabaseError:
                    pass  # the connection is gone, and the lock with it
            connection.close()

    def _lock(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [advisory_key(self.job_id)])
            return bool(cursor.fetchone()[0])

    def _renew(self) -> None:
        if self._attempt is None:
            return
        try:
            renewed = Job.objects.filter(
                pk=self.job_id, state=Job.State.RUNNING, attempts=self._attempt
            ).update(heartbeat_at=timezone.now())
        except DatabaseError as exc:
            # The database restarted: our session (and its lock) may be gone. Reconnect and
            # take the lock again; if someone else has it now, this run has lost the job.
            logger.warning("job %s: heartbeat failed (%s)", self.job_id, type(exc).__name__)
            connection.close()
            try:
                if self._locking and not self._lock():
                    self.lost.set()
            except DatabaseError:
                pass  # still down; try again at the next beat
            return
        if renewed:
            self.renewals += 1
        else:
            logger.warning("job %s: no longer ours (claimed again elsewhere)", self.job_id)
            self.lost.set()
