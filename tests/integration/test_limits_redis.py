"""The limits contract on both implementations, in real time: the Redis ones against the
real Redis on 127.0.0.1:6379 (one key prefix per test), the in-process ones on the real
monotonic clock. Time passing is awaited by polling a condition under a timeout."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest

from core.errors import RateLimited
from core.messaging.limits import (
    ConcurrencyCap,
    InProcessConcurrencyCap,
    InProcessRateLimiter,
    RateLimiter,
    RedisConcurrencyCap,
    RedisRateLimiter,
    check_rate,
)

POLL_S = 0.01
DEADLINE_S = 5.0


@pytest.fixture(params=["inprocess", "redis"])
def limiter(request) -> RateLimiter:
    if request.param == "inprocess":
        return InProcessRateLimiter()
    return RedisRateLimiter(request.getfixturevalue("redis"), request.getfixturevalue("keys"))


@pytest.fixture(params=["inprocess", "redis"])
def cap(request) -> ConcurrencyCap:
    if request.param == "inprocess":
        return InProcessConcurrencyCap()
    return RedisConcurrencyCap(request.getfixturevalue("redis"), request.getfixturevalue("keys"))


async def eventually(condition: Callable[[], Awaitable[bool]]) -> None:
    # polling: the condition lives in Redis or on a clock, nothing can signal it
    async with asyncio.timeout(DEADLINE_S):
        while True:
            if await condition():
                return
            await asyncio.sleep(POLL_S)


async def until_elapsed(since: float, seconds: float) -> None:
    async def elapsed() -> bool:
        return time.monotonic() - since >= seconds

    await eventually(elapsed)


# -- rate limiter --------------------------------------------------------------------


async def test_allows_limit_then_refuses_within_the_window(limiter):
    for _ in range(3):
        assert await limiter.hit("gen", "u1", limit=3, window_s=30) is None
    retry_after_s = await limiter.hit("gen", "u1", limit=3, window_s=30)
    assert retry_after_s is not None
    assert 25 < retry_after_s <= 30


async def test_an_unhit_event_no_longer_counts(limiter):
    for _ in range(3):
        assert await limiter.hit("gen", "u1", limit=3, window_s=30) is None
    await limiter.unhit("gen", "u1")  # its request was refused after all
    assert await limiter.hit("gen", "u1", limit=3, window_s=30) is None
    assert await limiter.hit("gen", "u1", limit=3, window_s=30) is not None
    await limiter.unhit("gen", "nobody")  # nothing counted: nothing to take back
    assert await limiter.hit("gen", "nobody", limit=1, window_s=30) is None


async def test_refused_hits_are_not_counted(limiter):
    window_s = 0.3
    assert await limiter.hit("gen", "u1", limit=2, window_s=window_s) is None
    assert await limiter.hit("gen", "u1", limit=2, window_s=window_s) is None
    refused: list[float] = []

    async def allowed() -> bool:
        retry_after_s = await limiter.hit("gen", "u1", limit=2, window_s=window_s)
        if retry_after_s is not None:
            refused.append(retry_after_s)
        return retry_after_s is None

    # were refused hits counted, this constant hammering would never get through
    await eventually(allowed)
    assert refused and all(0 < r <= window_s for r in refused)
    # (No extra hit here: the second early hit may still be in the window, so whether
    # one more is allowed right now depends on timing.)


async def test_the_window_slides(limiter):
    window_s = 0.5

    async def hit() -> float | None:
        return await limiter.hit("gen", "u1", limit=2, window_s=window_s)

    start = time.monotonic()
    assert await hit() is None
    await until_elapsed(start, 0.25)
    assert await hit() is None
    first_retry_s = await hit()
    assert first_retry_s is not None and first_retry_s <= window_s - 0.2

    async def allowed() -> bool:
        return await hit() is None

    await eventually(allowed)  # the first event left the window...
    second_retry_s = await hit()  # ...but the second is still in it
    assert second_retry_s is not None and 0 < second_retry_s <= 0.3


async def test_subjects_and_scopes_are_independent(limiter):
    assert await limiter.hit("gen", "u1", limit=1, window_s=30) is None
    assert await limiter.hit("gen", "u1", limit=1, window_s=30) is not None
    assert await limiter.hit("gen", "u2", limit=1, window_s=30) is None
    assert await limiter.hit("pay", "u1", limit=1, window_s=30) is None


async def test_concurrent_hits_allow_exactly_the_limit(limiter):
    results = await asyncio.gather(
        *(limiter.hit("gen", "u1", limit=10, window_s=30) for _ in range(50))
    )
    assert sum(r is None for r in results) == 10
    assert all(r > 0 for r in results if r is not None)


async def test_check_rate_raises_rate_limited(limiter):
    await check_rate(limiter, "gen", "u1", limit=1, window_s=30)
    with pytest.raises(RateLimited) as caught:
        await check_rate(limiter, "gen", "u1", limit=1, window_s=30)
    assert 25 < caught.value.retry_after_s <= 30


async def test_rate_arguments_are_validated(limiter):
    with pytest.raises(ValueError):
        await limiter.hit("gen", "u1", limit=0, window_s=1)
    with pytest.raises(ValueError):
        await limiter.hit("gen", "u1", limit=1, window_s=0)


async def test_redis_rate_key_expires_with_its_window(redis, keys):
    limiter = RedisRateLimiter(redis, keys)
    assert await limiter.hit("gen", "u1", limit=5, window_s=2) is None
    assert 0 < await redis.pttl(keys.rate("gen", "u1")) <= 2001
    assert await redis.zcard(keys.rate("gen", "u1")) == 1


async def test_redis_rate_events_keep_microsecond_scores(redis, keys):
    """Scores are exact server µs (Lua's tostring would round them to 14 digits)."""
    limiter = RedisRateLimiter(redis, keys)
    for _ in range(5):
        assert await limiter.hit("gen", "u1", limit=100, window_s=30) is None
    entries = await redis.zrange(keys.rate("gen", "u1"), 0, -1, withscores=True)
    assert len(entries) == 5
    for member, score in entries:
        seconds, micros = member.decode().split(":")[0].split(".")
        assert score == int(seconds) * 1_000_000 + int(micros)


# -- concurrency cap -----------------------------------------------------------------


async def test_cap_limit_is_respected(cap):
    assert await cap.acquire("gpu", "a", limit=2, lease_s=30)
    assert await cap.acquire("gpu", "b", limit=2, lease_s=30)
    assert not await cap.acquire("gpu", "c", limit=2, lease_s=30)
    assert await cap.held("gpu") == 2
    assert await cap.acquire("cpu", "c", limit=2, lease_s=30)


async def test_cap_acquire_is_idempotent_for_a_holder(cap):
    assert await cap.acquire("gpu", "a", limit=1, lease_s=30)
    assert await cap.acquire("gpu", "a", limit=1, lease_s=30)
    assert await cap.held("gpu") == 1
    assert not await cap.acquire("gpu", "b", limit=1, lease_s=30)


async def test_cap_release_frees_a_slot(cap):
    assert await cap.acquire("gpu", "a", limit=1, lease_s=30)
    await cap.release("gpu", "a")
    await cap.release("gpu", "a")
    assert await cap.held("gpu") == 0
    assert await cap.acquire("gpu", "b", limit=1, lease_s=30)


async def test_cap_expired_lease_frees_its_slot_and_cannot_be_refreshed(cap):
    assert await cap.acquire("gpu", "dead", limit=1, lease_s=0.2)

    async def freed() -> bool:
        return await cap.held("gpu") == 0

    await eventually(freed)
    assert not await cap.refresh("gpu", "dead", lease_s=30)
    assert await cap.acquire("gpu", "b", limit=1, lease_s=30)


async def test_cap_refresh_and_reacquire_extend_the_lease(cap):
    start = time.monotonic()
    assert await cap.acquire("gpu", "a", limit=2, lease_s=0.2)
    assert await cap.acquire("gpu", "b", limit=2, lease_s=0.2)
    assert await cap.refresh("gpu", "a", lease_s=30)
    assert await cap.acquire("gpu", "b", limit=2, lease_s=30)
    await until_elapsed(start, 0.4)
    assert await cap.held("gpu") == 2
    assert not await cap.refresh("gpu", "nobody", lease_s=30)


async def test_concurrent_acquires_take_exactly_the_limit(cap):
    results = await asyncio.gather(
        *(cap.acquire("gpu", f"h{i}", limit=4, lease_s=30) for i in range(30))
    )
    assert sum(results) == 4
    assert await cap.held("gpu") == 4


async def test_cap_arguments_are_validated(cap):
    with pytest.raises(ValueError):
        await cap.acquire("gpu", "a", limit=0, lease_s=1)
    with pytest.raises(ValueError):
        await cap.refresh("gpu", "a", lease_s=0)


async def test_redis_cap_key_lives_as_long_as_its_longest_lease(redis, keys):
    cap = RedisConcurrencyCap(redis, keys)
    assert await cap.acquire("gpu", "a", limit=2, lease_s=5)
    assert await cap.acquire("gpu", "b", limit=2, lease_s=60)
    assert 55_000 < await redis.pttl(keys.cap("gpu")) <= 60_001
    score = await redis.zscore(keys.cap("gpu"), "b")
    server_s, server_us = await redis.time()
    assert score == pytest.approx(server_s * 1000 + server_us / 1000 + 60_000, abs=1000)
