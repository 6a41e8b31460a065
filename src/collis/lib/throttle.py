"""Fixed-window rate limits for views: ``@rate_limit("10/m")`` answers 429 past the limit.

Counts live in Django's default cache (Redis in production, see ``CACHE_URL``), keyed on the
client address and the view. A fixed window costs one cache round trip per request; it lets a
client send up to twice the limit across a window boundary, which is enough to stop scripted
abuse of public forms (booking, password reset) without bothering people.

When the shared cache is down (``collis.lib.cache.CacheUnavailable``, or any error of a plain
cache backend), counting falls back to this process's memory: each web process then enforces the
limit on its own, so a client may get up to (processes x limit) through during the outage. That is
looser, logged, and never a 500; a request is never refused because Redis restarted.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    period_seconds: int


def parse_rate(text: str) -> Rate:
    """Parse ``"10/m"``, ``"100/h"`` or ``"5/15m"`` (five per fifteen minutes).

    Raises ``ValueError`` for anything else, including a zero limit or period.
    """
    match = _RATE.match(text)
    if match is None:
        raise ValueError(f"rate must look like '10/m' or '5/15m', not {text!r}")
    limit = int(match[1])
    period = int(match[2] or 1) * _UNIT_SECONDS[match[3]]
    if limit < 1 or period < 1:
        raise ValueError(f"rate {text!r} must allow at least one request per period")
    return Rate(limit=limit, period_seconds=period)


def seconds_until_next_window(now: float, period_seconds: int) -> int:
    """Whole seconds (at least 1) until the fixed window containing ``now`` ends."""
    return max(1, math.ceil((math.floor(now / period_seconds) + 1) * period_seconds - now))


def hit(scope: str, client: str, rate: Rate, *, now: float | None = None) -> tuple[bool, int]:
    """Count one request; return (allowed, seconds until the window resets)."""
    now = time.time() if now is None else now
    window = math.floor(now / rate.period_seconds)
    key = f"collis:rl:{scope}:{client}:{rate.period_seconds}:{window}"
    try:
        count = _shared_count(key, rate)
    except Exception as exc:  # the shared cache is down: count here, in this process
        _warn_local(scope, exc)
        count = _local_count(key, window)
    return count <= rate.limit, seconds_until_next_window(now, rate.period_seconds)


def _shared_count(key: str, rate: Rate) -> int:
    # The key outlives its window by a second so a late increment never resurrects it.
    if cache.add(key, 1, timeout=rate.period_seconds + 1):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=rate.period_seconds + 1)
        return 1


_last_warning = 0.0


def _warn_local(scope: str, exc: Exception) -> None:
    global _last_warning  # noqa: PLW0603 - one process-wide "last said" time
    if time.monotonic() - _last_warning > 30:
        _last_warning = time.monotonic()
        logger.warning(
            "rate limit %s counted in this process only: shared cache unavailable (%s)",
            scope,
            type(exc).__name__,
        )


_local_counts: dict[str, tuple[int, int]] = {}  # key -> (window, count)
_local_lock = threading.Lock()


def _local_count(key: str, window: int) -> int:
    with _local_lock:
        if len(_local_counts) > 10_000:  # drop finished windows; bounded memory
            for stale in [k for k, (w, _) in _local_counts.items() if w < window]:
                del _local_counts[stale]
        previous_window, count = _local_counts.get(key, (window, 0))
        count = count + 1 if previous_window == window else 1
        _local_counts[key] = (window, count)
        return count


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or "unknown"


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429 answer: problem JSON under /api/, the styled page elsewhere."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "type": "about:blank",
                "title": "Too many requests",
                "status": 429,
                "detail": f"Try again in {retry_after} seconds.",
            },
            status=429,
            content_type="application/problem+json",
        )
    else:
        html = render_to_string(
            "429.html",
            {"retry_after": retry_after, "retry_minutes": math.ceil(retry_after / 60)},
            request=request,
        )
        response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(
    rate: str | Callable[[], str],
    *,
    scope: str | None = None,
    methods: Iterable[str] | None = None,
) -> Callable:
    """Decorate a view so each client address gets at most ``rate`` requests.

    ``rate`` is a string such as ``"10/m"``, or a callable returning one, read at each request
    (so a setting can be changed without re-importing the view).

    ``scope`` names the counter (default: the view's dotted name), so several views can share
    one budget. ``methods`` limits counting to those HTTP methods (e.g. ``("POST",)`` to count
    submissions but not page views); by default every request counts.
    """
    fixed = None if callable(rate) else parse_rate(rate)
    counted = None if methods is None else frozenset(m.upper() for m in methods)

    def decorate(view: Callable) -> Callable:
        name = scope or f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if counted is None or request.method in counted:
                parsed = fixed if fixed is not None else parse_rate(rate())
                allowed, retry_after = hit(name, client_address(request), parsed)
                if not allowed:
                    return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
