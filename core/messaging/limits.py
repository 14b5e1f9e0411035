"""Rate limits and global concurrency caps, each a small port with two implementations.

* :class:`RateLimiter` — a sliding-window log: at most ``limit`` events per ``window_s``
  for one (scope, subject). A refused event is not recorded.
* :class:`ConcurrencyCap` — a named semaphore whose slots are leases: a holder that dies
  without releasing loses its slot when the lease runs out.

In-process implementations (embedded mode) use an injectable monotonic clock; the Redis
ones run one Lua script per call, atomic and timed by the server's ``TIME``, so clocks on
the callers never matter. The Redis client is passed in; the caller owns its lifetime.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from redis.exceptions import NoScriptError

from core.errors import RateLimited
from core.messaging.keys import RedisKeys
from core.messaging.redis_batch import RedisBatcher

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = [
    "ConcurrencyCap",
    "InProcessConcurrencyCap",
    "InProcessRateLimiter",
    "RateLimiter",
    "RedisConcurrencyCap",
    "RedisRateLimiter",
    "check_rate",
]

Clock = Callable[[], float]


class RateLimiter(Protocol):
    async def hit(self, scope: str, subject: str, *, limit: int, window_s: float) -> float | None:
        """Record one event for (``scope``, ``subject``) unless over the limit.

        Returns:
            None if the event was allowed (and counted); otherwise the seconds (> 0) until
            one more event would be allowed. A refused event is not counted.

        Raises:
            ValueError: ``limit`` < 1 or ``window_s`` <= 0.
        """

    async def unhit(self, scope: str, subject: str) -> None:
        """Take back the latest event counted for (``scope``, ``subject``): the request
        it let through was refused, and only accepted ones count. None counted: no-op."""


class ConcurrencyCap(Protocol):
    async def acquire(self, name: str, holder: str, *, limit: int, lease_s: float) -> bool:
        """Take one of ``limit`` slots of ``name`` for ``lease_s``. True if ``holder`` now
        has a slot; acquiring again while holding one only renews the lease.

        Raises:
            ValueError: ``limit`` < 1 or ``lease_s`` <= 0.
        """

    async def release(self, name: str, holder: str) -> None:
        """Give the slot back. Releasing a slot not held is a no-op."""

    async def refresh(self, name: str, holder: str, *, lease_s: float) -> bool:
        """Extend ``holder``'s lease to ``lease_s`` from now; False if it holds no slot
        (never had one, released it, or let the lease expire).

        Raises:
            ValueError: ``lease_s`` <= 0.
        """

    async def held(self, name: str) -> int:
        """Slots of ``name`` currently held by unexpired leases."""


async def check_rate(
    limiter: RateLimiter, scope: str, subject: str, *, limit: int, window_s: float
) -> None:
    """Record one event, or refuse it.

    Raises:
        RateLimited: over the limit; ``retry_after_s`` says when to try again.
        ValueError: ``limit`` < 1 or ``window_s`` <= 0.
    """
    retry_after_s = await limiter.hit(scope, subject, limit=limit, window_s=window_s)
    if retry_after_s is not None:
        raise RateLimited(retry_after_s=retry_after_s)


def _check(limit: int | None = None, *, span_s: float) -> None:
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    if not span_s > 0:
        raise ValueError(f"window/lease must be > 0 s, got {span_s}")


# -- in-process ----------------------------------------------------------------------

_SWEEP_EVERY = 1024


class InProcessRateLimiter:
    """:class:`RateLimiter` for one process. ``clock`` returns seconds (monotonic)."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._logs: dict[tuple[str, str], tuple[float, deque[float]]] = {}
        self._hits = 0

    async def hit(self, scope: str, subject: str, *, limit: int, window_s: float) -> float | None:
        _check(limit, span_s=window_s)
        now = self._clock()
        key = (scope, subject)
        log = self._logs[key][1] if key in self._logs else deque()
        while log and now - log[0] >= window_s:
            log.popleft()
        if len(log) >= limit:
            # the event that must leave the window before one more fits in it; the
            # subtraction of two floats with age < window_s is always > 0
            return window_s - (now - log[len(log) - limit])
        log.append(now)
        self._logs[key] = (window_s, log)
        self._hits += 1
        if self._hits % _SWEEP_EVERY == 0:
            self._sweep(now)
        return None

    async def unhit(self, scope: str, subject: str) -> None:
        entry = self._logs.get((scope, subject))
        if entry is not None and entry[1]:
            entry[1].pop()

    def forget(self, scope: str, subject: str) -> int:
        """Drop the window of (``scope``, ``subject``), e.g. an erased user's. Returns 1
        if there was one, else 0."""
        return 1 if self._logs.pop((scope, subject), None) is not None else 0

    def _sweep(self, now: float) -> None:
        """Forget subjects with no event inside their window (bounded memory)."""
        for key, (window_s, log) in list(self._logs.items()):
            if now - log[-1] >= window_s:
                del self._logs[key]


class InProcessConcurrencyCap:
    """:class:`ConcurrencyCap` for one process. ``clock`` returns seconds (monotonic)."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._leases: dict[str, dict[str, float]] = {}  # name -> holder -> expiry

    def _live(self, name: str) -> dict[str, float]:
        """The unexpired leases of ``name``; a cap left empty is forgotten."""
        now = self._clock()
        leases = {h: expiry for h, expiry in self._leases.get(name, {}).items() if expiry > now}
        if leases:
            self._leases[name] = leases
        else:
            self._leases.pop(name, None)
        return leases

    async def acquire(self, name: str, holder: str, *, limit: int, lease_s: float) -> bool:
        _check(limit, span_s=lease_s)
        leases = self._live(name)
        if holder not in leases and len(leases) >= limit:
            return False
        leases[holder] = self._clock() + lease_s
        self._leases[name] = leases
        return True

    async def release(self, name: str, holder: str) -> None:
        leases = self._live(name)
        if leases.pop(holder, None) is not None and not leases:
            del self._leases[name]

    async def refresh(self, name: str, holder: str, *, lease_s: float) -> bool:
        _check(span_s=lease_s)
        leases = self._live(name)
        if holder not in leases:
            return False
        leases[holder] = self._clock() + lease_s
        return True

    async def held(self, name: str) -> int:
        return len(self._live(name))


# -- Redis ---------------------------------------------------------------------------

# Times are integers (µs for rates, ms for caps) formatted with %.0f: Lua 5.1 numbers are
# doubles and tostring() would round them to 14 digits.
_RATE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
local count = redis.call('ZCARD', KEYS[1])
if count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', KEYS[1], string.format('%.0f', now), t[1] .. '.' .. t[2] .. ':' .. count)
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.ceil(window / 1000) + 1))
return -1
"""

# ARGV: op ('acquire' | 'refresh' | 'held'), holder, lease_ms, limit
_CAP_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))
local op = ARGV[1]
if op == 'held' then
  return redis.call('ZCARD', KEYS[1])
end
local holding = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not holding then
  if op == 'refresh' or redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
    return 0
  end
end
redis.call('ZADD', KEYS[1], string.format('%.0f', now + tonumber(ARGV[3])), ARGV[2])
-- the key lives as long as its longest lease, so an abandoned cap disappears
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', tonumber(last[2]) - now + 1))
return 1
"""


class RedisRateLimiter:
    """:class:`RateLimiter` shared by every process, one sorted set per
    ``keys.rate(scope, subject)`` (event time in µs → unique member)."""

    def __init__(self, redis: Redis, keys: RedisKeys) -> None:
        self._redis = redis
        self._keys = keys
        self._script = redis.register_script(_RATE_LUA)

    async def hit(self, scope: str, subject: str, *, limit: int, window_s: float) -> float | None:
        _check(limit, span_s=window_s)
        window_us = max(1, math.ceil(window_s * 1_000_000))
        retry_us = int(
            await self._script(keys=[self._keys.rate(scope, subject)], args=[limit, window_us])
        )
        return None if retry_us < 0 else retry_us / 1_000_000

    async def unhit(self, scope: str, subject: str) -> None:
        await self._redis.zpopmax(self._keys.rate(scope, subject))


class RedisConcurrencyCap:
    """:class:`ConcurrencyCap` shared by every process: a sorted set ``keys.cap(name)``
    of holder → lease expiry (ms, server time)."""

    def __init__(self, redis: Redis, keys: RedisKeys) -> None:
        self._redis = redis
        self._keys = keys
        self._script = redis.register_script(_CAP_LUA)
        self._batch = RedisBatcher(redis)

    async def _run(
        self, op: str, name: str, holder: str = "", lease_s: float = 0, limit: int = 0
    ) -> int:
        lease_ms = max(1, math.ceil(lease_s * 1000))
        key, args, sha = self._keys.cap(name), (op, holder, lease_ms, limit), self._script.sha
        try:
            (reply,) = await self._batch.call(lambda pipe: pipe.evalsha(sha, 1, key, *args))
        except NoScriptError:  # a fresh or restarted Redis: load it, once
            reply = await self._script(keys=[key], args=list(args))
        return int(reply)

    async def acquire(self, name: str, holder: str, *, limit: int, lease_s: float) -> bool:
        _check(limit, span_s=lease_s)
        return await self._run("acquire", name, holder, lease_s, limit) == 1

    async def release(self, name: str, holder: str) -> None:
        key = self._keys.cap(name)
        await self._batch.call(lambda pipe: pipe.zrem(key, holder))

    async def refresh(self, name: str, holder: str, *, lease_s: float) -> bool:
        _check(span_s=lease_s)
        return await self._run("refresh", name, holder, lease_s) == 1

    async def held(self, name: str) -> int:
        return await self._run("held", name)
