"""Background jobs: same state machine inline, on a thread, and (see test_celery) on Celery."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from collis.jobs.actions import enqueue, retry_job
from collis.jobs.backends import InProcessWorker, run_due_jobs
from collis.jobs.models import Job
from collis.jobs.registry import register

CALLS: list[int] = []


@register("tests.add", max_attempts=2, retry_backoff=timedelta(seconds=0))
def _add(job: Job, a: int, b: int) -> dict:
    job.report_progress(0.5, "halfway")
    CALLS.append(a + b)
    return {"sum": a + b}


@register("tests.explode", max_attempts=2, retry_backoff=timedelta(seconds=0))
def _explode(job: Job) -> None:
    raise RuntimeError("camera file unreadable")


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


@pytest.mark.django_db
def test_job_runs_after_commit_and_records_result(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("tests.add", a=2, b=3)
        assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.result == {"sum": 5}
    assert job.percent == 100
    assert job.attempts == 1


@pytest.mark.django_db
def test_failing_job_is_retried_then_left_visibly_failed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("tests.explode")
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED  # one attempt left
    assert "camera file unreadable" in job.error
    run_due_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.attempts == 2
    assert job.finished_at is not None


@pytest.mark.django_db
def test_failed_job_can_be_retried(django_capture_on_commit_callbacks):
    job = Job.objects.create(name="tests.add", kwargs={"a": 1, "b": 1}, state=Job.State.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        retry_job(job)
    job.refresh_from_db()
    assert job.state == Job.State.DONE


@pytest.mark.django_db
def test_unknown_job_name_fails_at_enqueue():
    with pytest.raises(LookupError, match="No job is registered"):
        enqueue("tests.nope")


@pytest.mark.django_db
def test_a_job_runs_once_even_if_dispatched_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("tests.add", a=1, b=2)
    run_due_jobs()
    assert CALLS == [3]
    assert Job.objects.get(pk=job.pk).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_thread_backend_runs_jobs_in_the_background(settings):
    settings.JOBS_BACKEND = "thread"
    job = enqueue("tests.add", a=20, b=22)
    deadline = time.monotonic() + 15
    try:
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.1)
    finally:
        # A polling thread left running would touch the database during later tests.
        InProcessWorker.shutdown()
    assert job.state == Job.State.DONE
    assert job.result == {"sum": 42}
