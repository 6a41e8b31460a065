"""Issue #20: two beats started by mistake still schedule once: only the lock holder ticks."""

from __future__ import annotations

import os

import pytest

from collis.jobs.beat import LOCK_KEY, BeatLock

REDIS_URL = os.environ.get("COLLIS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def redis_url():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.delete(LOCK_KEY)
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at COLLIS_TEST_REDIS_URL")
    yield REDIS_URL
    client.delete(LOCK_KEY)


def test_only_one_beat_holds_the_lock_until_it_lets_go(redis_url):
    first, second = BeatLock(redis_url, ttl=5), BeatLock(redis_url, ttl=5)
    assert first.hold() is True
    assert second.hold() is False
    assert first.hold() is True  # renewing
    first.release()
    assert second.hold() is True
    assert first.hold() is False


def test_a_dead_beats_lock_expires(redis_url):
    import time

    first, second = BeatLock(redis_url, ttl=0.3), BeatLock(redis_url, ttl=0.3)
    assert first.hold()
    time.sleep(0.5)  # the first beat died without releasing
    assert second.hold()


def test_redis_down_means_not_scheduling():
    lock = BeatLock("redis://127.0.0.1:6393/0")
    assert lock.hold() is False
