"""RedisEventBus against the real Redis on 127.0.0.1:6379, one key prefix per test.

Two bus instances stand in for a worker process (publishes) and an adapter process
(consumes); ``consume()`` always runs as a task that is cancelled at the end."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections.abc import AsyncIterator

from redis.asyncio import Redis
from sqlalchemy import func, select

from core.db.tables import jobs
from core.messaging.events import EventBus, SqlDeliveryClaims
from core.messaging.events_redis import RedisEventBus
from core.messaging.keys import RedisKeys
from core.types import Actor, ImageView, ImagineRequest, JobEvent, ReplyTarget
from tests.conftest import REDIS_URL, unique_user
from tests.support.fakes import RecordingDelivery

FAST = {"block_timeout_s": 0.05, "reclaim_idle_s": 0.05}


@contextlib.asynccontextmanager
async def consuming(*buses: RedisEventBus) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(bus.consume()) for bus in buses]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


def event(job_id: str, kind: str = "finished", platform: str = "telegram", **kw) -> JobEvent:
    return JobEvent(
        kind=kind,
        job_id=job_id,
        account_id=7,
        reply_target=ReplyTarget(platform, {"chat_id": 42, "message_id": 9}),
        locale="en",
        **kw,
    )


async def pending(redis: Redis, keys: RedisKeys, platform: str = "telegram") -> int:
    return (await redis.xpending(keys.events_stream(platform), keys.adapters_group))["pending"]


async def wait_acked(redis: Redis, keys: RedisKeys, platform: str = "telegram") -> None:
    async with asyncio.timeout(10):
        while True:
            if not await pending(redis, keys, platform):
                return
            await asyncio.sleep(0.01)


class Flaky:
    """Raises on the first ``failures`` calls, then records like RecordingDelivery."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0
        self.recorded = RecordingDelivery()

    async def __call__(self, ev: JobEvent) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError("chat API unavailable")
        await self.recorded(ev)


async def test_event_round_trips_from_worker_to_adapter(redis, keys):
    worker: EventBus = RedisEventBus(redis, keys=keys, consumer="worker-1", **FAST)
    adapter = RedisEventBus(redis, keys=keys, consumer="adapter-1", **FAST)
    delivered = RecordingDelivery()
    adapter.register("telegram", delivered)
    sent = JobEvent(
        kind="failed",
        job_id="job-1",
        account_id=12345,
        reply_target=ReplyTarget("telegram", {"chat_id": -100123, "message_id": 77}),
        locale="de",
        images=[ImageView("img-1", "https://cdn.example/i/1.png", 1024, 768, "image/png")],
        error_key="error.provider",
        error_params={"model": "flux", "retry_after_s": 30, "nested": {"a": [1, 2]}},
        refunded_credits=4,
        queue_position=3,
    )
    async with consuming(adapter):
        assert await worker.publish(sent) is True
        got = await delivered.wait_for("job-1", "failed", timeout_s=10)
        await wait_acked(redis, keys)
    assert got == sent
    assert await redis.xlen(keys.events_stream("telegram")) == 0  # acked entries deleted
    assert await redis.ttl(keys.delivered("job-1", "failed")) > 6 * 24 * 3600


async def test_event_without_reply_target_is_dropped(redis, keys, caplog):
    bus = RedisEventBus(redis, keys=keys, consumer="w")
    orphan = JobEvent(kind="finished", job_id="job-x", account_id=1, reply_target=None, locale=None)
    with caplog.at_level(logging.INFO, logger="seedream.delivery"):
        assert await bus.publish(orphan) is False
    assert "job-x" in caplog.text
    assert [key async for key in redis.scan_iter(match=f"{keys.prefix}*")] == []


async def test_an_event_published_twice_is_delivered_once(redis, keys):
    worker = RedisEventBus(redis, keys=keys, consumer="w")
    adapter = RedisEventBus(redis, keys=keys, consumer="a", **FAST)
    delivered = RecordingDelivery()
    adapter.register("telegram", delivered)
    async with consuming(adapter):
        await worker.publish(event("job-1", "started"))
        await worker.publish(event("job-1", "finished"))
        await worker.publish(event("job-1", "finished"))  # a worker retry
        await worker.publish(event("job-2", "finished"))  # read after both copies
        await delivered.wait_for("job-2", "finished", timeout_s=10)
        await wait_acked(redis, keys)
    assert delivered.kinds("job-1") == ["started", "finished"]
    assert await redis.xlen(keys.events_stream("telegram")) == 0


async def test_a_failed_hand_over_is_retried_and_delivered_once(redis, keys):
    worker = RedisEventBus(redis, keys=keys, consumer="w")
    adapter = RedisEventBus(redis, keys=keys, consumer="a", max_deliveries=5, **FAST)
    handler = Flaky(failures=1)
    adapter.register("telegram", handler)
    async with consuming(adapter):
        await worker.publish(event("job-1"))
        await handler.recorded.wait_for("job-1", "finished", timeout_s=10)
        await wait_acked(redis, keys)
    assert handler.calls == 2
    assert handler.recorded.kinds("job-1") == ["finished"]
    assert await redis.exists(keys.delivered("job-1", "finished")) == 1


async def test_a_handler_that_always_fails_gives_up_after_max_deliveries(redis, keys, caplog):
    worker = RedisEventBus(redis, keys=keys, consumer="w")
    adapter = RedisEventBus(redis, keys=keys, consumer="a", max_deliveries=3, **FAST)
    handler = Flaky(failures=10**6)
    adapter.register("telegram", handler)
    with caplog.at_level(logging.WARNING, logger="seedream.delivery"):
        async with consuming(adapter):
            await worker.publish(event("job-1"))
            async with asyncio.timeout(10):
                while True:  # polls XPENDING until the entry was given up and acked
                    if handler.calls and not await pending(redis, keys):
                        break
                    await asyncio.sleep(0.01)
    assert handler.calls == 3
    assert handler.recorded.events == []
    assert await redis.xlen(keys.events_stream("telegram")) == 0
    assert await redis.exists(keys.delivered("job-1", "finished")) == 0
    gave_up = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(gave_up) == 1
    assert "job=job-1 kind=finished" in gave_up[0].getMessage()


async def test_events_of_an_unregistered_platform_are_left_alone(redis, keys):
    worker = RedisEventBus(redis, keys=keys, consumer="w")
    adapter = RedisEventBus(redis, keys=keys, consumer="a", **FAST)
    handler = Flaky(failures=2)  # delivered on the third try: two reclaim sweeps later
    adapter.register("telegram", handler)
    async with consuming(adapter):
        await worker.publish(event("job-d", platform="discord"))
        await worker.publish(event("job-t", platform="telegram"))
        await handler.recorded.wait_for("job-t", "finished", timeout_s=10)
    assert handler.calls == 3  # a read and two reclaim rounds passed: discord stays untouched
    assert [e.job_id for e in handler.recorded.events] == ["job-t"]
    assert await redis.xlen(keys.events_stream("discord")) == 1
    assert await redis.xinfo_groups(keys.events_stream("discord")) == []


async def test_poison_entries_are_acked_and_skipped(redis, keys, caplog):
    worker = RedisEventBus(redis, keys=keys, consumer="w")
    adapter = RedisEventBus(redis, keys=keys, consumer="a", **FAST)
    delivered = RecordingDelivery()
    adapter.register("telegram", delivered)
    stream = keys.events_stream("telegram")
    await redis.xadd(stream, {"p": "not json"})
    await redis.xadd(stream, {"p": json.dumps({"v": 99, "job_id": "job-x"})})
    await redis.xadd(stream, {"p": json.dumps({"v": 1})})
    await redis.xadd(stream, {"other": "field"})
    await worker.publish(event("job-ok"))
    with caplog.at_level(logging.ERROR, logger="seedream.delivery"):
        async with consuming(adapter):
            await delivered.wait_for("job-ok", "finished", timeout_s=10)
            await wait_acked(redis, keys)
    assert [e.job_id for e in delivered.events] == ["job-ok"]
    assert await redis.xlen(stream) == 0
    assert len([r for r in caplog.records if "unreadable" in r.getMessage()]) == 4


async def test_two_adapter_processes_share_a_stream_without_double_delivery(redis, keys):
    other_redis = Redis.from_url(REDIS_URL)
    try:
        worker = RedisEventBus(redis, keys=keys, consumer="w")
        first = RedisEventBus(redis, keys=keys, consumer="a1", **FAST)
        second = RedisEventBus(other_redis, keys=keys, consumer="a2", **FAST)
        job_ids = [f"job-{n}" for n in range(200)]
        delivered: list[tuple[str, str]] = []
        all_in = asyncio.Event()
        came_back: asyncio.Queue[str] = asyncio.Queue()  # consumers that read a later event

        def recorder(consumer: str):
            async def handle(ev: JobEvent) -> None:
                if ev.job_id.startswith("later-"):
                    came_back.put_nowait(consumer)
                    return
                delivered.append((consumer, ev.job_id))
                if len(delivered) >= len(job_ids):
                    all_in.set()

            return handle

        first.register("telegram", recorder("a1"))
        second.register("telegram", recorder("a2"))
        async with consuming(first, second):
            for job_id in job_ids:
                await worker.publish(event(job_id))
            async with asyncio.timeout(20):
                await all_in.wait()
            await wait_acked(redis, keys)
            # A consumer finishes a batch before it reads again, so a double delivery in
            # flight has shown up once each consumer has delivered one later event.
            readers: set[str] = set()
            async with asyncio.timeout(20):
                for n in itertools.count():
                    if readers == {"a1", "a2"}:
                        break
                    await worker.publish(event(f"later-{n}"))
                    readers.add(await came_back.get())
            await wait_acked(redis, keys)
    finally:
        await other_redis.aclose()
    assert sorted(job_id for _, job_id in delivered) == sorted(job_ids)
    assert await redis.xlen(keys.events_stream("telegram")) == 0


async def test_a_lost_group_is_re_created(redis, keys):
    worker = RedisEventBus(redis, keys=keys, consumer="w")
    adapter = RedisEventBus(redis, keys=keys, consumer="a", **FAST)
    delivered = RecordingDelivery()
    adapter.register("telegram", delivered)
    async with consuming(adapter):
        await worker.publish(event("job-1"))
        await delivered.wait_for("job-1", "finished", timeout_s=10)
        await redis.delete(keys.events_stream("telegram"))  # Redis restarted empty
        await worker.publish(event("job-2"))
        await delivered.wait_for("job-2", "finished", timeout_s=10)
        await wait_acked(redis, keys)
    assert [e.job_id for e in delivered.events] == ["job-1", "job-2"]


async def test_cancelling_mid_hand_over_leaves_the_event_for_another_process(redis, keys):
    worker = RedisEventBus(redis, keys=keys, consumer="w")
    stopping = RedisEventBus(redis, keys=keys, consumer="a1", **FAST)
    entered = asyncio.Event()

    async def stuck(ev: JobEvent) -> None:
        entered.set()
        await asyncio.Event().wait()

    stopping.register("telegram", stuck)
    async with consuming(stopping):
        await worker.publish(event("job-1"))
        async with asyncio.timeout(10):
            await entered.wait()
    assert await redis.exists(keys.delivered("job-1", "finished")) == 0
    assert await pending(redis, keys) == 1

    successor = RedisEventBus(redis, keys=keys, consumer="a2", **FAST)
    delivered = RecordingDelivery()
    successor.register("telegram", delivered)
    async with consuming(successor):
        await delivered.wait_for("job-1", "finished", timeout_s=10)
        await wait_acked(redis, keys)
    assert delivered.kinds("job-1") == ["finished"]


async def test_consume_stops_promptly_when_cancelled_mid_traffic(redis, keys):
    # Python 3.11's asyncio.wait_for (inside redis-py's socket writes) can swallow a
    # cancel(); consume() must stop anyway, and nothing may be lost or doubled.
    worker = RedisEventBus(redis, keys=keys, consumer="w")
    delivered = RecordingDelivery()
    job_ids = []
    for round_no in range(25):
        adapter = RedisEventBus(redis, keys=keys, consumer=f"a{round_no}", **FAST)
        adapter.register("telegram", delivered)
        task = asyncio.create_task(adapter.consume())
        for n in range(8):
            job_ids.append(f"job-{round_no}-{n}")
            await worker.publish(event(job_ids[-1]))
        await asyncio.sleep(0.002 * (round_no % 5))
        task.cancel()
        async with asyncio.timeout(5):
            with contextlib.suppress(asyncio.CancelledError):
                await task
    survivor = RedisEventBus(redis, keys=keys, consumer="survivor", **FAST)
    survivor.register("telegram", delivered)
    async with consuming(survivor):
        for job_id in job_ids:
            await delivered.wait_for(job_id, "finished", timeout_s=10)
        await wait_acked(redis, keys)
    assert sorted(e.job_id for e in delivered.events) == sorted(job_ids)


async def test_jobs_are_handed_over_concurrently_each_in_its_own_order(redis, keys):
    worker = RedisEventBus(redis, keys=keys, consumer="w")
    adapter = RedisEventBus(redis, keys=keys, consumer="a", max_concurrency=8, **FAST)
    delivered = RecordingDelivery()
    in_flight, most = 0, 0
    eight_at_once = asyncio.Event()

    async def slow_handler(e: JobEvent) -> None:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        if most == 8:
            eight_at_once.set()
        if e.kind == "started":  # held until eight jobs are being handed over at once
            await asyncio.wait_for(eight_at_once.wait(), timeout=10)
        in_flight -= 1
        await delivered(e)

    adapter.register("telegram", slow_handler)
    for n in range(12):
        await worker.publish(event(f"job-{n}", "started"))
        await worker.publish(event(f"job-{n}", "finished"))
    async with consuming(adapter):
        for n in range(12):
            await delivered.wait_for(f"job-{n}", "finished", timeout_s=10)
        await wait_acked(redis, keys)

    assert most == 8  # bounded by max_concurrency, and reached
    assert all(delivered.kinds(f"job-{n}") == ["started", "finished"] for n in range(12))


async def test_terminal_events_claimed_in_the_database_per_batch_reach_the_chat_once(
    redis, keys, app
):
    """Duplicates in one read, and a hand-over that fails once: every job's terminal
    event reaches the chat exactly once, and every job ends marked delivered."""
    actor = Actor("test", unique_user())
    await app.core.accept_terms(actor, age_confirmed=True)
    ids = [
        (await app.core.imagine(actor, ImagineRequest(f"fox {n}"), ReplyTarget("test", {}))).job_id
        for n in range(3)
    ]
    worker = RedisEventBus(redis, keys=keys, consumer="w")
    adapter = RedisEventBus(
        redis, keys=keys, consumer="a", claims=SqlDeliveryClaims(app.uow), **FAST
    )
    handler = Flaky(failures=1)  # the first hand-over fails and is given back
    adapter.register("telegram", handler)
    for job_id in ids + ids:  # every terminal event published twice
        await worker.publish(event(job_id))

    async with consuming(adapter):
        for job_id in ids:
            await handler.recorded.wait_for(job_id, "finished", timeout_s=10)
        await wait_acked(redis, keys)

    assert sorted(e.job_id for e in handler.recorded.events) == sorted(ids)
    async with app.uow() as uow:
        marked = await uow.conn.scalar(
            select(func.count()).select_from(jobs).where(jobs.c.delivered_at.is_not(None))
        )
    assert marked == 3
