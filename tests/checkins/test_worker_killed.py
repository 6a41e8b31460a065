"""Issue #16: a worker killed (or stalled) mid-analysis never loses the check-in, and the
check-in is analysed once.

Real worker processes (``manage.py run_jobs``) share a migrated SQLite file with the test, as
workers share the database in production. One is SIGKILLed while it measures the video; after the
lease another worker claims the job again and finishes it from the stored upload. A stalled worker
(SIGSTOP past the lease) that wakes after the take-over stores nothing.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections
from django.utils import timezone

from collis.audit.models import AuditEvent
from collis.checkins.actions import ANALYZE_JOB, give_consent
from collis.checkins.jobs import ANALYSIS_SHARE
from collis.checkins.models import HomeCheckin
from collis.jobs.actions import enqueue
from collis.jobs.models import Job
from collis.jobs.runner import run_job

ROOT = Path(__file__).resolve().parents[2]
LEASE_S = 3

pytestmark = [pytest.mark.slow]


@contextmanager
def _file_database(path: Path) -> Iterator[None]:
    """Copy the migrated test database to ``path`` and point this process's connections at it."""
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    # Set the in-memory test database's connection aside (closing it would drop that database)
    # and let Django open the file on next use; put it back afterwards.
    in_memory, connection.connection = connection.connection, None
    dicts = {id(d): d for d in (connections.settings["default"], connection.settings_dict)}
    originals = {key: d["NAME"] for key, d in dicts.items()}
    for d in dicts.values():
        d["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        for key, d in dicts.items():
            d["NAME"] = originals[key]
        connection.connection = in_memory


@pytest.fixture
def shared_db(transactional_db, tmp_path, settings) -> Iterator[str]:
    """The DATABASE_URL worker processes use to reach the test's own database."""
    settings.JOBS_LEASE_SECONDS = LEASE_S
    if connection.vendor == "postgresql":
        d = connection.settings_dict
        yield (
            f"postgres://{quote(d['USER'])}:{quote(d['PASSWORD'])}@{d['HOST'] or '127.0.0.1'}"
            f":{d['PORT'] or 5432}/{d['NAME']}"
        )
        return
    with _file_database(tmp_path / "shared.sqlite3"):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def _worker(database_url: str, media: Path, tmp: Path) -> subprocess.Popen:
    """Start ``manage.py run_jobs`` on the shared database; its output goes to a log file."""
    log = tmp / f"worker-{time.monotonic_ns()}.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "COLLIS_VAR_DIR": str(tmp / "var"),
        "JOBS_LEASE_SECONDS": str(LEASE_S),
        "JOBS_BACKEND": "sync",
        "DJANGO_SETTINGS_MODULE": "collis.settings",
        "LOG_LEVEL": "WARNING",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "run_jobs"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    process.log = log  # type: ignore[attr-defined]
    return process


def _finish(process: subprocess.Popen) -> str:
    """Wait for a worker to exit by itself and return its output."""
    process.wait(600)
    return process.log.read_text(errors="replace")  # type: ignore[attr-defined]


def _wait_for(predicate, timeout: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _job(pk: int) -> Job:
    connection.close()  # read what the other processes committed, on a fresh connection
    return Job.objects.get(pk=pk)


def _queued_checkin(patient, clip: bytes) -> tuple[HomeCheckin, Job]:  # noqa: ANN001
    consent = give_consent(None, patient=patient)
    checkin = HomeCheckin(
        patient=patient,
        recorded_at=timezone.now(),
        protocol_version="home-v1",
        mime_type="video/mp4",
        size_bytes=len(clip),
        consent=consent,
    )
    checkin.original.save("checkin.mp4", ContentFile(clip), save=False)
    checkin.save()
    # start=False: no worker of this process; the worker processes below pick it up.
    checkin.job = enqueue(ANALYZE_JOB, start=False, checkin_id=checkin.pk)
    checkin.save(update_fields=["job"])
    return checkin, checkin.job


def _mid_analysis(pk: int) -> bool:
    """Measuring has begun and not ended (the stills follow at ANALYSIS_SHARE)."""
    job = _job(pk)
    assert job.state != Job.State.DONE, "the analysis ended before the test could stop it"
    return job.state == Job.State.RUNNING and 0.0 < job.progress < ANALYSIS_SHARE


def _analysis_writes(checkin: HomeCheckin) -> int:
    return AuditEvent.objects.filter(
        object_type="checkins.HomeCheckin", object_id=str(checkin.pk), action="update"
    ).count()


def test_killed_worker_is_replaced_and_the_check_in_analysed_once(
    shared_db, patient, protocol_video, private_media, tmp_path
):
    checkin, job = _queued_checkin(patient, protocol_video)
    first = _worker(shared_db, private_media, tmp_path)
    try:
        _wait_for(lambda: _mid_analysis(job.pk), 240, "the first worker to be mid-analysis")
    finally:
        first.kill()  # SIGKILL: no clean-up, no outcome written
        first.wait(30)
    killed = _job(job.pk)
    assert killed.state == Job.State.RUNNING and killed.attempts == 1
    checkin.refresh_from_db()
    assert not checkin.is_analysed and checkin.original  # the upload is still there

    if not _postgresql():
        # SQLite: within the lease nobody may take it over (the worker might be alive but
        # slow)... after it, the next worker claims it again.
        if timezone.now() - killed.heartbeat_at < timezone.timedelta(seconds=LEASE_S - 1):
            assert run_job(job.pk) is None
        quiet = LEASE_S
    else:
        # PostgreSQL: the dead worker's advisory lock went with its connection, so the next
        # worker takes over once two heartbeats are missed, not after the whole lease.
        quiet = LEASE_S / 2
    _wait_for(
        lambda: timezone.now() - _job(job.pk).heartbeat_at > timezone.timedelta(seconds=quiet),
        30,
        "the heartbeat to go quiet",
    )
    second = _worker(shared_db, private_media, tmp_path)
    output = _finish(second)
    assert second.returncode == 0, output
    done = _job(job.pk)
    assert done.state == Job.State.DONE, (done.error, output)
    assert done.attempts == 2
    checkin.refresh_from_db()
    assert checkin.is_analysed and checkin.resting_rotation_deg is not None
    assert not checkin.original  # deleted once measured
    assert _analysis_writes(checkin) == 1  # stored once, by the second worker


def test_stalled_worker_that_wakes_after_the_take_over_stores_nothing(
    shared_db, patient, protocol_video, private_media, tmp_path
):
    """SQLite: after the lease a second worker takes the job over; the stalled one, woken,
    finds itself fenced out. (PostgreSQL keeps a stalled worker's job: its test is below.)"""
    if _postgresql():
        pytest.skip("PostgreSQL: a stalled worker keeps its advisory lock (next test)")
    checkin, job = _queued_checkin(patient, protocol_video)
    stalled = _worker(shared_db, private_media, tmp_path)
    try:
        _wait_for(lambda: _mid_analysis(job.pk), 240, "the first worker to be mid-analysis")
        stalled.send_signal(signal.SIGSTOP)  # frozen: no progress, no heartbeat
        _wait_for(
            lambda: (
                timezone.now() - _job(job.pk).heartbeat_at > timezone.timedelta(seconds=LEASE_S)
            ),
            30,
            "the lease to run out",
        )
        second = _worker(shared_db, private_media, tmp_path)
        output = _finish(second)
        assert second.returncode == 0, output
        assert _job(job.pk).state == Job.State.DONE
        checkin.refresh_from_db()
        first_result = checkin.result
        assert first_result is not None
        stalled.send_signal(signal.SIGCONT)  # wakes, finishes its now stale run
        output = _finish(stalled)
    finally:
        if stalled.poll() is None:
            stalled.kill()
            stalled.wait(30)
    done = _job(job.pk)
    assert done.state == Job.State.DONE and done.attempts == 2, output
    checkin.refresh_from_db()
    assert checkin.result == first_result
    assert _analysis_writes(checkin) == 1, output  # the stale run wrote nothing
    # The stale run's pictures were deleted: only the stored run's remain on disk.
    on_disk = {p.relative_to(private_media).as_posix() for p in private_media.rglob("*.png")}
    kept = {checkin.annotated.name, *(s.image.name for s in checkin.stills.all())}
    assert len(kept) > 1 and on_disk == kept, (on_disk, kept)


def test_stalled_worker_keeps_its_job_on_postgresql(
    shared_db, patient, protocol_video, private_media, tmp_path
):
    """A stalled worker still holds its connection and the job's advisory lock: a second worker
    leaves the job alone however stale the heartbeat, and the first one finishes it, once."""
    if not _postgresql():
        pytest.skip("advisory locks are PostgreSQL's")
    checkin, job = _queued_checkin(patient, protocol_video)
    stalled = _worker(shared_db, private_media, tmp_path)
    try:
        _wait_for(lambda: _mid_analysis(job.pk), 240, "the first worker to be mid-analysis")
        stalled.send_signal(signal.SIGSTOP)
        _wait_for(
            lambda: (
                timezone.now() - _job(job.pk).heartbeat_at > timezone.timedelta(seconds=LEASE_S)
            ),
            30,
            "the heartbeat to go stale",
        )
        second = _worker(shared_db, private_media, tmp_path)
        output = _finish(second)
        assert second.returncode == 0, output
        held = _job(job.pk)
        assert held.state == Job.State.RUNNING and held.attempts == 1
        stalled.send_signal(signal.SIGCONT)
        output = _finish(stalled)
    finally:
        if stalled.poll() is None:
            stalled.kill()
            stalled.wait(30)
    done = _job(job.pk)
    assert done.state == Job.State.DONE and done.attempts == 1, output
    checkin.refresh_from_db()
    assert checkin.is_analysed and _analysis_writes(checkin) == 1
