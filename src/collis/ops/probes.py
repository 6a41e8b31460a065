"""Readiness checks: can this process reach its database and (if configured) its broker?"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProbeResult:
    name: str
    ok: bool
    detail: str
    millis: float


def _timed(name: str, check) -> ProbeResult:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # a probe reports failures, it never raises
        # The class name only: messages can carry hosts or credentials; the log has the rest.
        logger.warning("readiness probe %s failed: %s", name, exc)
        detail, ok = type(exc).__name__, False
    return ProbeResult(name, ok, detail, round((time.perf_counter() - started) * 1000, 1))


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _broker() -> str:
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "reachable"


def readiness() -> list[ProbeResult]:
    results = [_timed("database", _database)]
    if settings.CELERY_BROKER_URL:
        results.append(_timed("broker", _broker))
    return results
