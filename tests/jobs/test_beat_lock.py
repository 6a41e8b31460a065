"""Issue #20: two beats started by mistake still schedule once: only the lock holder ticks."""

from __future__ import annotations

import os
import uuid

import pytest

from collis.jobs.beat import BeatLock

REDIS_URL = os.environ.get("COLLIS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def lock_key():
    """A key of this test's own: a beat running against the same Redis keeps its lock."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    key = f"collis:test:beat:{uuid.uuid4().hex}"
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at COLLIS_TEST_REDIS_URL")
    yield key
    client.delete(key)


def test_only_one_beat_holds_the_lock_until_it_lets_go(lock_key):
    first, second = (
        BeatLock(REDIS_URL, ttl=5, key=lock_key),
        BeatLock(REDIS_URL, ttl=5, key=lock_key),
    )
    assert first.hold() is True
    assert second.hold() is False
    assert first.hold() is True  # renewing
    first.release()
    assert second.hold() is True
    assert first.hold() is False


def test_a_dead_beats_lock_expires(lock_key):
    import time

    first = BeatLock(REDIS_URL, ttl=0.3, key=lock_key)
    second = BeatLock(REDIS_URL, ttl=0.3, key=lock_key)
    assert first.hold()
    time.sleep(0.5)  # the first beat died without releasing
    assert second.hold()


def test_redis_down_means_not_scheduling():
    lock = BeatLock("redis://127.0.0.1:6393/0")
    assert lock.hold() is False
