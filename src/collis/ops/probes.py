"""Readiness checks: can this process reach its database, and how are its broker and cache?

Only the database decides readiness: without it no page works, so a load balancer should send
the traffic elsewhere. The broker and the shared cache are *reported* but never make a web server
unready: with the broker down jobs stay queued (and are re-dispatched later), with the cache down
pages render uncached and rate limits count per process. Pulling every web server out of the
load balancer because Redis restarted would turn a degraded clinic into a closed one.
"""

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
    required: bool = True


def _timed(name: str, check, *, required: bool = True) -> ProbeResult:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # a probe reports failures, it never raises
        # The class name only: messages can carry hosts or credentials; the log has the rest.
        logger.warning("readiness probe %s failed: %s", name, exc)
        detail, ok = type(exc).__name__, False
    millis = round((time.perf_counter() - started) * 1000, 1)
    return ProbeResult(name, ok, detail, millis, required)


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


def _cache() -> str:
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # Ask Redis itself: the resilient wrapper would hide an outage behind a cache miss.
        backend._cache.get_client(write=True).ping()  # noqa: SLF001
        return "reachable"
    return type(backend).__name__


def readiness() -> list[ProbeResult]:
    results = [_timed("database", _database)]
    if settings.CELERY_BROKER_URL:
        results.append(_timed("broker", _broker, required=False))
    results.append(_timed("cache", _cache, required=False))
    return results
