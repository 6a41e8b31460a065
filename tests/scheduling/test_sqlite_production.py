"""Issue #20: SQLite as the one-machine production database (WAL, busy timeout, IMMEDIATE).

Many threads, each its own connection to one database file, write at once: bookings (atomic
blocks), job progress (single autocommit UPDATEs, as a running job does) and job rows. None may
fail with "database is locked"; every booking answers 201 or 409.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from collis.jobs.models import Job

from .test_concurrency import _in_thread, _independent_connections, _payload, make_clinic

THREADS = 10
ROUNDS = 4


@pytest.fixture
def sqlite_clinic(transactional_db, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite production path")
    with _independent_connections(tmp_path):
        yield _in_thread(make_clinic)


def test_database_file_runs_in_wal_mode_with_a_busy_timeout(sqlite_clinic):
    def pragmas() -> tuple[str, int]:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout")
            return mode, cursor.fetchone()[0]

    mode, busy_ms = _in_thread(pragmas)
    assert mode == "wal"
    assert busy_ms >= 5000


# Eight 30-minute injection slots a day (with their buffers) around the 12-13 h break.
SLOTS = [(9, 0), (9, 45), (10, 30), (11, 15), (13, 15), (14, 0), (14, 45), (15, 30)]


def test_concurrent_mixed_writes_never_hit_database_is_locked(sqlite_clinic, settings):
    settings.BOOKING_RATE_LIMIT = "10000/m"
    clinic = sqlite_clinic
    job_ids = _in_thread(lambda: [Job.objects.create(name="ops.canary").pk for _ in range(THREADS)])
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            client = Client()
            barrier.wait(timeout=30)
            for r in range(ROUNDS):
                start = clinic.at(clinic.monday + timedelta(days=7 * r), *SLOTS[n % 8])
                response = client.post(
                    "/api/scheduling/appointments",
                    _payload(clinic, start, n * ROUNDS + r),
                    content_type="application/json",
                )
                statuses.append(response.status_code)
                job = Job.objects.get(pk=job_ids[n])
                job.report_progress((r + 1) / ROUNDS, f"round {r}")
                Job.objects.create(name="ops.canary", kwargs={"n": n, "r": r})
        except BaseException as exc:  # collected and asserted in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not errors, errors
    counts = Counter(statuses)
    assert set(counts) <= {201, 409}, counts
    assert counts[201] == len(SLOTS) * ROUNDS  # each slot once a week, four weeks
