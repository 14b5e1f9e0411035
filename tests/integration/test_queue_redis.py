"""RedisJobQueue against the real Redis on 127.0.0.1:6379, one key prefix per test."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

import pytest
from redis.asyncio import Redis

from core.messaging.keys import RedisKeys
from core.messaging.queue import PAYLOAD_VERSION, JobQueue, QueueMessage
from core.messaging.queue_redis import RedisJobQueue
from tests.conftest import REDIS_URL


@pytest.fixture
def make_queue(redis: Redis, keys: RedisKeys) -> Callable[[str], RedisJobQueue]:
    def make(consumer: str = "c1") -> RedisJobQueue:
        return RedisJobQueue(redis, keys=keys, consumer=consumer)

    return make


@pytest.fixture
async def queue(make_queue) -> RedisJobQueue:
    q = make_queue("c1")
    await q.ensure_group()
    return q


async def pending_count(redis: Redis, keys: RedisKeys) -> int:
    return (await redis.xpending(keys.jobs_stream, keys.workers_group))["pending"]


async def drain(queue: RedisJobQueue, expected: int, *, batch: int = 100) -> list[QueueMessage]:
    got: list[QueueMessage] = []
    async with asyncio.timeout(10):
        while len(got) < expected:
            got += await queue.receive(max_count=batch, timeout_s=1)
    return got


async def test_round_trip_uses_a_versioned_json_payload(queue, redis, keys):
    port: JobQueue = queue
    await port.enqueue("job-1")

    [(entry_id, fields)] = await redis.xrange(keys.jobs_stream)
    assert set(fields) == {b"p"}
    assert json.loads(fields[b"p"]) == {"v": PAYLOAD_VERSION, "job_id": "job-1"}
    assert PAYLOAD_VERSION == 1

    [message] = await port.receive(max_count=10, timeout_s=1)
    assert message == QueueMessage("job-1", receipt=entry_id.decode(), delivery_count=1)

    await port.ack([message])
    assert await redis.xlen(keys.jobs_stream) == 0
    assert await port.receive(timeout_s=0) == []


async def test_ensure_group_is_idempotent(queue):
    await queue.ensure_group()
    await queue.ensure_group()


async def test_receive_returns_empty_after_the_block(queue):
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await queue.receive(max_count=5, timeout_s=0.1) == []
    assert 0.09 <= loop.time() - started < 2


async def test_two_consumers_never_get_the_same_message(queue, make_queue):
    other = make_queue("c2")
    ids = [f"job-{n}" for n in range(20)]
    await queue.enqueue_many(ids)

    seen: dict[str, list[str]] = {"c1": [], "c2": []}
    async with asyncio.timeout(10):
        while len(seen["c1"]) + len(seen["c2"]) < len(ids):
            for name, q in (("c1", queue), ("c2", other)):
                seen[name] += [m.job_id for m in await q.receive(max_count=5, timeout_s=0.05)]

    assert seen["c1"] and seen["c2"]
    assert not set(seen["c1"]) & set(seen["c2"])
    assert sorted(seen["c1"] + seen["c2"]) == sorted(ids)
    assert await queue.receive(max_count=5, timeout_s=0) == []
    assert await other.receive(max_count=5, timeout_s=0) == []


async def test_unacked_message_is_reclaimed_by_another_consumer(queue, make_queue, redis, keys):
    rescuer = make_queue("c2")
    await queue.enqueue("job-lost")
    [held] = await queue.receive(timeout_s=1)  # c1 "dies" without acking

    reclaimed: list[QueueMessage] = []
    async with asyncio.timeout(5):
        while not reclaimed:
            reclaimed = await rescuer.reclaim_stale(min_idle_s=0.05, max_count=10)
            await asyncio.sleep(0.01)

    [message] = reclaimed
    assert (message.job_id, message.receipt) == (held.job_id, held.receipt)
    assert message.delivery_count == 2
    [row] = await redis.xpending_range(keys.jobs_stream, keys.workers_group, "-", "+", 10)
    assert row["consumer"] == b"c2"

    await rescuer.ack(reclaimed)
    assert await pending_count(redis, keys) == 0
    assert await rescuer.reclaim_stale(min_idle_s=0, max_count=10) == []


async def test_reclaim_skips_entries_deleted_meanwhile(queue, make_queue, redis, keys):
    await queue.enqueue("job-gone")
    [held] = await queue.receive(timeout_s=1)
    await redis.xdel(keys.jobs_stream, held.receipt)

    rescuer = make_queue("c2")
    async with asyncio.timeout(5):
        while await pending_count(redis, keys):
            assert await rescuer.reclaim_stale(min_idle_s=0.01) == []
            await asyncio.sleep(0.01)


async def test_queue_recovers_after_redis_lost_the_stream(queue, redis, keys):
    await queue.enqueue("before")
    await queue.ack(await queue.receive(timeout_s=1))

    await redis.delete(keys.jobs_stream)  # a restart without persistence
    assert await queue.receive(timeout_s=0.05) == []  # NOGROUP -> group re-created
    await queue.enqueue("after-1")
    assert [m.job_id for m in await queue.receive(timeout_s=1)] == ["after-1"]

    await redis.delete(keys.jobs_stream)
    await queue.enqueue("after-2")  # XADD re-creates the stream, but not the group
    [message] = await queue.receive(timeout_s=1)
    assert message.job_id == "after-2"
    await queue.ack([message])
    assert await pending_count(redis, keys) == 0
    assert await queue.reclaim_stale(min_idle_s=0) == []

    await redis.delete(keys.jobs_stream)
    assert await queue.reclaim_stale(min_idle_s=0) == []  # also re-creates the group
    await queue.enqueue("after-3")
    assert [m.job_id for m in await queue.receive(timeout_s=1)] == ["after-3"]


async def test_stream_deleted_while_a_receive_is_blocked(redis, keys):
    name = f"{keys.prefix}-receiver"
    receiver = Redis.from_url(REDIS_URL, client_name=name)
    queue = RedisJobQueue(receiver, keys=keys, consumer="c1")
    await queue.ensure_group()

    async def wait_until_blocked() -> None:
        while True:
            clients = await redis.client_list()
            if any(c["name"] == name and "b" in c["flags"] for c in clients):
                return
            await asyncio.sleep(0.01)

    receiving = asyncio.create_task(queue.receive(timeout_s=5))
    try:
        async with asyncio.timeout(10):
            await wait_until_blocked()
            await redis.delete(keys.jobs_stream)  # unblocks the read with an error
            await wait_until_blocked()  # the retry, on a re-created group
            await queue.enqueue("late")
            assert [m.job_id for m in await receiving] == ["late"]
    finally:
        receiving.cancel()
        await asyncio.gather(receiving, return_exceptions=True)
        await receiver.aclose()


async def test_poison_payloads_are_acked_and_skipped(queue, redis, keys, caplog):
    stream = keys.jobs_stream
    secret = "do-not-log-me"
    await redis.xadd(stream, {"p": f"not json {secret}"})
    await redis.xadd(stream, {"p": json.dumps({"v": 99, "job_id": secret})})
    await redis.xadd(stream, {"p": json.dumps({"v": PAYLOAD_VERSION})})
    await redis.xadd(stream, {"other": secret})
    await queue.enqueue("good")

    with caplog.at_level(logging.ERROR, logger="seedream.queue"):
        messages = await queue.receive(max_count=10, timeout_s=1)

    assert [m.job_id for m in messages] == ["good"]
    assert len(caplog.records) == 4
    assert secret not in caplog.text
    assert await pending_count(redis, keys) == 1
    assert await redis.xlen(stream) == 1
    assert await queue.receive(max_count=10, timeout_s=0) == []


async def test_ack_empties_the_pending_list(queue, redis, keys):
    await queue.enqueue_many(["a", "b", "c"])
    messages = await queue.receive(max_count=10, timeout_s=1)
    assert len(messages) == 3
    assert await pending_count(redis, keys) == 3

    await queue.ack([])
    await queue.ack(messages)
    assert await pending_count(redis, keys) == 0
    assert await redis.xlen(keys.jobs_stream) == 0


async def test_enqueue_many_delivers_every_id_and_tracks_depth(queue):
    ids = [f"job-{n:03d}" for n in range(500)]
    assert queue.depth() == 0
    await queue.enqueue_many(ids)
    assert queue.depth() == 500

    messages = await drain(queue, len(ids))
    assert sorted(m.job_id for m in messages) == ids
    assert len({m.receipt for m in messages}) == 500
    assert await queue.receive(max_count=100, timeout_s=0) == []
    assert queue.depth() == 0
    await queue.ack(messages)


async def test_works_with_a_decoding_client(redis, keys):
    decoding = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        first = RedisJobQueue(decoding, keys=keys, consumer="c1")
        second = RedisJobQueue(decoding, keys=keys, consumer="c2")
        await first.ensure_group()
        await decoding.xadd(keys.jobs_stream, {"p": "{"})
        await first.enqueue_many(["a", "b"])
        assert first.depth() == 3
        assert [m.job_id for m in await first.receive(max_count=5, timeout_s=1)] == ["a", "b"]

        reclaimed: list[QueueMessage] = []
        async with asyncio.timeout(5):
            while len(reclaimed) < 2:
                reclaimed += await second.reclaim_stale(min_idle_s=0.01)
                await asyncio.sleep(0.01)
        assert sorted((m.job_id, m.delivery_count) for m in reclaimed) == [("a", 2), ("b", 2)]
        await second.ack(reclaimed)
        assert await pending_count(redis, keys) == 0
    finally:
        await decoding.aclose()
