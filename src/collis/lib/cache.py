"""A Redis cache that degrades instead of failing the request when Redis is unreachable.

Collis uses its cache for two things: page fragments (education pages) and rate-limit counters.
Neither is worth a 500 when Redis restarts. ``ResilientRedisCache`` therefore:

- answers a *miss* for reads and drops writes while Redis is down (a page cache fails open:
  the page is rendered again, a little slower);
- raises :class:`CacheUnavailable` from the counter operations ``add``/``incr``/``decr``, whose
  callers must decide what an unknown count means (``collis.lib.throttle`` falls back to a
  per-process limit);
- after one failure stops trying Redis for ``OPTIONS["retry_after_seconds"]`` (default 5 s), so an
  outage costs one connection attempt per process per few seconds, not one per cache call;
- logs the outage once per episode (a warning when it starts, info when Redis answers again).

Timeouts default to half a second so a black-holed Redis host cannot hold a request for long.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("collis.cache")

_DEFAULT_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class CacheUnavailable(Exception):  # noqa: N818 - a state, named like the HTTP one
    """The shared cache cannot be reached now; the caller chooses a fallback."""


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self._retry_after = float(options.pop("retry_after_seconds", 5.0))
        for key, value in _DEFAULT_TIMEOUTS.items():
            options.setdefault(key, value)
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_until = 0.0
        self._state_lock = threading.Lock()
        self._errors = _redis_errors()

    # -- circuit breaker -------------------------------------------------------------------------
    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, operation: str, exc: BaseException) -> None:
        with self._state_lock:
            first = self._down_until == 0.0
            self._down_until = time.monotonic() + self._retry_after
        if first:
            logger.warning(
                "cache unreachable (%s: %s): serving without it, retrying every %.0f s",
                operation,
                type(exc).__name__,
                self._retry_after,
            )

    def _recovered(self) -> None:
        if self._down_until:
            with self._state_lock:
                self._down_until = 0.0
            logger.info("cache reachable again")

    def _call(self, operation: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        """Run ``super().operation``; in an outage give ``fallback`` (or raise it if an error)."""
        if self.is_down:
            if fallback is CacheUnavailable:
                raise CacheUnavailable(operation)
            return fallback
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except self._errors as exc:
            self._failed(operation, exc)
            if fallback is CacheUnavailable:
                raise CacheUnavailable(operation) from exc
            return fallback
        if self._down_until:
            self._recovered()
        return result

    # -- reads miss, writes are dropped ----------------------------------------------------------
    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)

    # -- counters: the caller decides ------------------------------------------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", CacheUnavailable, key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", CacheUnavailable, key, delta, version)

    def get_or_set(self, key, default, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().get_or_set(key, default, timeout, version)
        except CacheUnavailable:
            return default() if callable(default) else default
