"""Issue #20: log lines in ISO 8601 UTC carrying a request id that follows the request's jobs."""

from __future__ import annotations

import json
import logging
import re

import pytest

from collis.jobs import register
from collis.jobs.actions import enqueue
from collis.jobs.models import Job
from collis.lib.logs import ContextFilter, UTCJsonFormatter, UTCTextFormatter, log_context

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
seen: list[str] = []


@register("tests.logs.remember_request_id")
def remember_request_id(job: Job) -> dict:
    from collis.lib.logs import current_request_id

    seen.append(current_request_id())
    return {}


def _record(message: str = "hello") -> logging.LogRecord:
    record = logging.LogRecord("collis.test", logging.INFO, __file__, 1, message, (), None)
    ContextFilter().filter(record)
    return record


def test_json_lines_have_iso_utc_time_and_the_request_id():
    formatter = UTCJsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(job_id)s",
        rename_fields={"asctime": "time"},
    )
    with log_context(request_id="abcdef123456", job_id="7"):
        line = json.loads(formatter.format(_record()))
    assert ISO_UTC.match(line["time"]), line["time"]
    assert line["request_id"] == "abcdef123456"
    assert line["job_id"] == "7"


def test_text_lines_have_iso_utc_time():
    formatter = UTCTextFormatter("%(asctime)s %(message)s")
    stamp = formatter.format(_record()).split(" ")[0]
    assert ISO_UTC.match(stamp), stamp


@pytest.mark.django_db(transaction=True)
def test_request_id_is_answered_and_follows_the_request_into_its_jobs(client, settings):
    settings.JOBS_BACKEND = "sync"
    response = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-given-id-1")
    assert response["X-Request-ID"] == "proxy-given-id-1"
    assert len(client.get("/healthz")["X-Request-ID"]) == 32  # fresh when none is offered
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"

    seen.clear()
    with log_context(request_id="booking-request-42"):
        job = enqueue("tests.logs.remember_request_id")  # autocommit: runs at once (sync)
    job.refresh_from_db()
    assert job.request_id == "booking-request-42"
    assert job.state == Job.State.DONE
    assert seen == ["booking-request-42"]
