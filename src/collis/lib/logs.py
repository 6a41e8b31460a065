"""Log lines in ISO 8601 UTC, each carrying the id of the request (or job) it belongs to.

A request gets an id from its ``X-Request-ID`` header (when a proxy set a sane one) or a fresh
one; the id is returned in the response's ``X-Request-ID``, stored on every job the request
enqueues, and set again while a worker runs that job, so one grep follows a booking from the
web server into its confirmation email on another machine.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
job_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("job_id", default="")

_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def current_request_id() -> str:
    return request_id_var.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def log_context(*, request_id: str = "", job_id: str = "") -> Iterator[None]:
    """Tag every log line inside the block with these ids (jobs use it while they run)."""
    tokens = (request_id_var.set(request_id), job_id_var.set(job_id))
    try:
        yield
    finally:
        request_id_var.reset(tokens[0])
        job_id_var.reset(tokens[1])


def utc_iso(created: float) -> str:
    """``2026-11-30T06:01:02.345Z``: ISO 8601, UTC, millisecond precision."""
    return (
        datetime.fromtimestamp(created, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


class ContextFilter(logging.Filter):
    """Adds ``request_id`` and ``job_id`` (empty outside a request or job) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.job_id = job_id_var.get()
        return True


class UTCTextFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return utc_iso(record.created)


class UTCJsonFormatter(JsonFormatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return utc_iso(record.created)


access_logger = logging.getLogger("collis.request")


class RequestIdMiddleware:
    """First middleware: sets the request id and logs one line per request when it ends.

    The line names the matched route pattern, never the raw path: booking-management URLs carry
    secret tokens, and patient pages carry ids that do not belong in a log shipper.
    """

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        rid = offered if _SANE_ID.match(offered) else new_request_id()
        token = request_id_var.set(rid)
        request.request_id = rid
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            match = getattr(request, "resolver_match", None)
            access_logger.info(
                "%s %s %s",
                request.method,
                f"/{match.route}" if match is not None else "(unmatched)",
                response.status_code,
                extra={
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
