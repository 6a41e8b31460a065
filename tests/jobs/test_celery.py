"""The Celery path: a real worker on a real Redis runs the same jobs with the same outcome."""

from __future__ import annotations

import os
import time
import uuid
from datetime import timedelta

import pytest

from collis.jobs.actions import enqueue
from collis.jobs.models import Job
from collis.jobs.registry import register

REDIS_URL = os.environ.get("COLLIS_TEST_REDIS_URL", "")
pytestmark = [
    pytest.mark.skipif(
        not REDIS_URL, reason="COLLIS_TEST_REDIS_URL is not set (.ci/run starts Redis and sets it)"
    ),
    # A worker thread writing to the shared-cache in-memory SQLite test database meets
    # "table is locked"; Celery is the PostgreSQL deployment's path, tested there.
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="the Celery path is tested on PostgreSQL",
    ),
]
_FLAKY_CALLS: list[int] = []


@register("tests.celery_square")
def _square(job: Job, n: int) -> dict:
    return {"square": n * n}


@register("tests.celery_flaky", max_attempts=3, retry_backoff=timedelta(milliseconds=100))
def _flaky(job: Job) -> str:
    _FLAKY_CALLS.append(1)
    if len(_FLAKY_CALLS) < 2:
        raise ConnectionError("transient")
    return "ok"


@pytest.fixture(scope="module")
def running_worker():
    """One worker thread for the module, on a queue of this test process alone.

    A worker per test left a consumer behind whenever its shutdown outlasted the timeout on a
    loaded machine; that consumer took the next test's message and never ran it. A queue named
    for this process keeps out messages left by earlier runs or by other test processes.
    """
    from celery.contrib.testing.worker import start_worker

    from collis.celery import app

    saved = (app.conf.broker_url, app.conf.result_backend, app.conf.task_default_queue)
    app.conf.broker_url = REDIS_URL
    app.conf.result_backend = None
    app.conf.task_default_queue = f"collis-tests-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield app
    app.conf.broker_url, app.conf.result_backend, app.conf.task_default_queue = saved


@pytest.fixture
def celery_worker(running_worker, settings):
    settings.JOBS_BACKEND = "celery"
    settings.CELERY_BROKER_URL = REDIS_URL
    return running_worker


def _wait_finished(job: Job, seconds: float = 120) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.1)
    return job


@pytest.mark.django_db(transaction=True)
def test_celery_worker_runs_a_job(celery_worker):
    job = _wait_finished(enqueue("tests.celery_square", n=12))
    assert job.state == Job.State.DONE, (job.attempts, job.error)
    assert job.result == {"square": 144}


@pytest.mark.django_db(transaction=True)
def test_celery_retries_a_failing_job_with_backoff(celery_worker):
    _FLAKY_CALLS.clear()
    job = _wait_finished(enqueue("tests.celery_flaky"))
    assert job.state == Job.State.DONE, (job.attempts, job.error)
    assert job.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_broker_down_leaves_the_job_queued_and_redispatch_sends_it(celery_worker, monkeypatch):
    """Redis down: the request still succeeds, the job waits visibly, and runs once it is back."""
    from kombu.exceptions import OperationalError as BrokerError

    from collis.jobs.backends import redispatch_queued

    attempts: list[tuple] = []

    def broker_down(*args, **kwargs):
        attempts.append((args, kwargs))
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patched:
        patched.setattr(celery_worker, "send_task", broker_down)
        job = enqueue("tests.celery_square", n=7)  # on_commit runs at once outside a transaction
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    # The publish was tried, failed, and the request went on.
    assert attempts == [(("collis.jobs.execute",), {"args": [job.pk]})]

    # The broker is back.
    assert redispatch_queued(older_than_seconds=0) == 1
    job = _wait_finished(job)
    assert job.state == Job.State.DONE, (job.attempts, job.error)
    assert job.result == {"square": 49}
