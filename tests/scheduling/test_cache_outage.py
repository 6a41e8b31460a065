"""Issue #20: a Redis outage must degrade caches and counters, never fail a booking.

``CACHE_URL`` points at a port in this helper's range where nothing listens: the real failure
mode of a stopped Redis (connection refused), with the production cache backend.
"""

from __future__ import annotations

import logging
import os

import pytest
from django.core.cache import caches
from django.urls import reverse

from collis.lib import throttle

from .test_api import booking, post

DEAD_REDIS = "redis://127.0.0.1:6391/10"  # nothing listens here
LIVE_REDIS = os.environ.get("COLLIS_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


BACKEND = "collis.lib.cache.ResilientRedisCache"  # what settings.py uses for CACHE_URL


def _use_cache(settings, url: str) -> None:
    settings.CACHES = {"default": {"BACKEND": BACKEND, "LOCATION": url}}


def test_booking_is_201_while_the_cache_is_down(client, clinic, settings, caplog):
    _use_cache(settings, DEAD_REDIS)
    caplog.set_level(logging.WARNING)
    response = post(client, "/appointments", booking(clinic, clinic.at(clinic.monday, 10)))
    assert response.status_code == 201, response.content
    assert "shared cache unavailable" in caplog.text


def test_rate_limit_falls_back_to_a_per_process_limit(client, db, settings, monkeypatch):
    _use_cache(settings, DEAD_REDIS)
    monkeypatch.setattr(throttle.time, "time", lambda: 1_800_000_090.0)
    settings.BOOKING_RATE_LIMIT = "3/m"
    statuses = [
        client.post("/api/scheduling/appointments", {}, content_type="application/json").status_code
        for _ in range(4)
    ]
    assert statuses == [422, 422, 422, 429]  # still limited, by this process alone


def test_condition_page_renders_while_the_cache_is_down(client, demo_data, settings):
    _use_cache(settings, DEAD_REDIS)
    response = client.get(reverse("education:page-detail", args=["cervical-dystonia"]))
    assert response.status_code == 200


def test_outage_costs_one_connection_attempt_per_retry_window(settings):
    _use_cache(settings, DEAD_REDIS)
    cache = caches["default"]
    assert cache.get("k", "miss") == "miss"
    assert cache.is_down  # the breaker is open: the next calls do not touch the network
    assert cache.get("k") is None
    assert cache.set("k", 1) is None


def test_live_redis_is_used_and_counts_are_shared(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(LIVE_REDIS, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    _use_cache(settings, LIVE_REDIS)
    cache = caches["default"]
    cache.delete("collis:test:n")
    assert cache.add("collis:test:n", 1)
    assert cache.incr("collis:test:n") == 2
    assert not cache.is_down
    cache.delete("collis:test:n")
