"""RedisBatcher against the real Redis: concurrent callers share round trips, and each
gets its own replies or its own error."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from core.messaging.keys import RedisKeys
from core.messaging.redis_batch import RedisBatcher


class CountingRedis:
    """The real client; counts the pipelines it hands out."""

    def __init__(self, inner: Redis) -> None:
        self._inner = inner
        self.pipelines = 0

    def pipeline(self, **kwargs):
        self.pipelines += 1
        return self._inner.pipeline(**kwargs)


async def test_concurrent_calls_share_pipelines_and_get_their_own_replies(
    redis: Redis, keys: RedisKeys
) -> None:
    counting = CountingRedis(redis)
    batch = RedisBatcher(counting)  # type: ignore[arg-type]
    key = f"{keys.prefix}:counter"

    replies = await asyncio.gather(
        *(batch.call(lambda pipe, n=n: (pipe.incrby(key, n), pipe.get(key))) for n in range(1, 101))
    )

    assert all(len(r) == 2 for r in replies)
    assert sorted(r[0] for r in replies) == sorted(set(r[0] for r in replies))  # all distinct
    assert int(await redis.get(key)) == sum(range(1, 101))
    assert counting.pipelines < 10  # 100 callers, a handful of round trips


async def test_an_error_reply_fails_only_its_caller(redis: Redis, keys: RedisKeys) -> None:
    batch = RedisBatcher(redis)
    text_key, counter = f"{keys.prefix}:text", f"{keys.prefix}:n"
    await redis.set(text_key, "not a number")

    good, bad = await asyncio.gather(
        batch.call(lambda pipe: pipe.incr(counter)),
        batch.call(lambda pipe: pipe.incr(text_key)),
        return_exceptions=True,
    )

    assert good == [1]
    assert isinstance(bad, ResponseError)


async def test_a_cancelled_caller_does_not_stop_the_others(redis: Redis, keys: RedisKeys) -> None:
    batch = RedisBatcher(redis)
    key = f"{keys.prefix}:n"
    first = asyncio.ensure_future(batch.call(lambda pipe: pipe.incr(key)))
    cancelled = asyncio.ensure_future(batch.call(lambda pipe: pipe.incr(key)))
    cancelled.cancel()
    last = asyncio.ensure_future(batch.call(lambda pipe: pipe.incr(key)))

    done = await asyncio.wait_for(asyncio.gather(first, last), timeout=5)

    assert sorted(r[0] for r in done) in ([1, 2], [1, 3], [2, 3])
    with pytest.raises(asyncio.CancelledError):
        await cancelled
