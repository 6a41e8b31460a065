"""A Celery beat scheduler that only schedules while it holds a Redis lock.

Run one beat. If a second one is started anyway (two replicas, a deploy overlap), it waits
idle until the first one's lock expires, so every periodic job is still sent once per period.
The lock lives in the broker's Redis, renewed at every tick (ticks are at most
``LOCK_TTL / 3`` apart).

    celery -A collis beat --scheduler collis.jobs.beat:SingleBeatScheduler
"""

from __future__ import annotations

import logging
import socket
import uuid

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

LOCK_KEY = "collis:beat:leader"
LOCK_TTL_SECONDS = 30

# Take the lock when free, or extend it when it is ours; one round trip, atomic.
_HOLD = """
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
elseif holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""


class BeatLock:
    def __init__(
        self, redis_url: str, *, ttl: float = LOCK_TTL_SECONDS, key: str = LOCK_KEY
    ) -> None:
        import redis

        self.client = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        self.ttl = ttl
        self.key = key
        self.token = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        self.held = False
        self._script = self.client.register_script(_HOLD)

    def hold(self) -> bool:
        """Take or renew the lock; False while another beat holds it (or Redis is down)."""
        import redis

        try:
            now_held = bool(self._script(keys=[self.key], args=[self.token, int(self.ttl * 1000)]))
        except redis.exceptions.RedisError as exc:
            logger.warning("beat lock: Redis unreachable (%s); not scheduling", type(exc).__name__)
            now_held = False
        if now_held != self.held:
            logger.info("beat %s %s the scheduler lock", self.token, "took" if now_held else "lost")
        self.held = now_held
        return now_held

    def release(self) -> None:
        if self.held:
            self.client.eval(
                "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) "
                "end return 0",
                1,
                self.key,
                self.token,
            )
            self.held = False


class SingleBeatScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lock = BeatLock(self.app.conf.broker_url)

    def tick(self, *args, **kwargs) -> float:
        if not self.lock.hold():
            return LOCK_TTL_SECONDS / 3
        return min(super().tick(*args, **kwargs), LOCK_TTL_SECONDS / 3)

    def close(self) -> None:
        try:
            self.lock.release()
        finally:
            super().close()
