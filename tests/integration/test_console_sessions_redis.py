"""Console sessions on the real Redis (127.0.0.1:6379) leave nothing behind (issue 17,
rough edge 10): a session's event stream expires unless its process keeps consuming it,
goes at once when the console ends, and no re-announce of an ended session's results
creates it again; a live session still gets its re-announce."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator

from redis.asyncio import Redis
from sqlalchemy import select

from adapters.console.adapter import ConsoleAdapter
from bot.bootstrap import App, bootstrap
from core.db.tables import jobs
from core.messaging.events_redis import SESSION_STREAM_TTL_S, RedisEventBus
from core.messaging.keys import RedisKeys
from core.types import JobEvent, ReplyTarget
from tests.conftest import REDIS_URL, unique_user
from tests.support.fakes import RecordingDelivery

FAST = {"block_timeout_s": 0.05, "reclaim_idle_s": 0.05}


@contextlib.asynccontextmanager
async def consuming(bus) -> AsyncIterator[asyncio.Task]:
    task = asyncio.create_task(bus.consume())
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def poll(check, *, timeout_s: float = 10.0) -> None:
    """Wait until ``check()`` (async) is true, polling; fails after ``timeout_s``."""
    async with asyncio.timeout(timeout_s):
        while True:
            if await check():
                return
            await asyncio.sleep(0.01)


def session_event(session: str, job_id: str = "job-1", kind: str = "finished") -> JobEvent:
    return JobEvent(
        kind=kind,
        job_id=job_id,
        account_id=7,
        reply_target=ReplyTarget(f"console-{session}", {"session": session}),
        locale="en",
    )


async def stream_keys(redis: Redis, keys: RedisKeys) -> list[bytes]:
    return [k async for k in redis.scan_iter(match=f"{keys.prefix}:events:*")]


# -- the bus -------------------------------------------------------------------------


async def test_a_session_stream_expires_unless_consumed_and_goes_when_ended(redis, keys):
    bus = RedisEventBus(redis, keys=keys, consumer="console-proc", session_ttl_s=4, **FAST)
    delivered = RecordingDelivery()
    bus.register("console-s1", delivered, session=True)
    stream = keys.events_stream("console-s1")
    await bus.start_session("console-s1")
    assert 0 < await redis.ttl(stream) <= 4
    assert [g["name"] for g in await redis.xinfo_groups(stream)] == [b"adapters"]
    async with consuming(bus) as consumer:
        await redis.persist(stream)  # as if the TTL ran low: the consuming loop renews it
        await poll(lambda: _has_ttl(redis, stream))
        assert await bus.publish(session_event("s1")) is True
        await delivered.wait_for("job-1", "finished", timeout_s=10)
        await redis.delete(stream)  # lost (a stall past its TTL, a Redis restart): made again
        await poll(lambda: _has_ttl(redis, stream))
        assert await bus.publish(session_event("s1", "job-3")) is True
        await delivered.wait_for("job-3", "finished", timeout_s=10)
        await bus.end_session("console-s1")
        assert await redis.exists(stream) == 0
        # Ended: its loop stopped, so nothing makes the stream again, and consume() goes on.
        assert await bus.publish(session_event("s1", "job-2")) is False
        assert not consumer.done()
    assert await stream_keys(redis, keys) == []


async def _has_ttl(redis: Redis, key: str) -> bool:
    return await redis.ttl(key) > 0


async def test_a_publish_to_a_session_without_stream_creates_nothing(redis, keys):
    worker = RedisEventBus(redis, keys=keys, consumer="worker")
    assert await worker.publish(session_event("gone")) is False
    assert await stream_keys(redis, keys) == []


# -- the console and the sweeper -----------------------------------------------------


@contextlib.asynccontextmanager
async def redis_app(settings, pg_engine, keys: RedisKeys) -> AsyncIterator[App]:
    settings = settings.model_copy(
        update={
            "redis_url": REDIS_URL,
            "redis_prefix": keys.prefix,
            "redeliver_after_s": 0.0,  # the sweep announces any ended undelivered job
        }
    )
    async with bootstrap(settings, engine=pg_engine, migrate=False) as app:
        yield app


def console_of(app: App, **kw) -> tuple[ConsoleAdapter, io.StringIO]:
    out = io.StringIO()
    console = ConsoleAdapter(
        app.core,
        app.messages,
        app.events,
        stdin=io.StringIO(),  # run() ends at once: the console's clean exit
        stdout=out,
        user_id=unique_user("console"),
        **kw,
    )
    return console, out


def stream_of(app: App, console: ConsoleAdapter) -> str:
    return RedisKeys(app.settings.redis_prefix).events_stream(console._reply_platform)


async def test_a_console_stream_has_a_ttl_and_is_deleted_on_clean_exit(
    settings, pg_engine, redis, keys
):
    async with redis_app(settings, pg_engine, keys) as app:
        console, out = console_of(app)
        stream = stream_of(app, console)
        async with consuming(app.events):
            await console.handle_line("/accept")
            await console.handle_line("/imagine a lighthouse at dusk")
            await app.worker.run(burst=True)
            await asyncio.wait_for(console._all_done.wait(), timeout=30)
            assert "Done" in out.getvalue()
            ttl_s = await redis.ttl(stream)
            assert 0 < ttl_s <= SESSION_STREAM_TTL_S, ttl_s
            assert await console.run() == 0
            assert await redis.exists(stream) == 0
    assert await stream_keys(redis, keys) == []


async def test_no_reannounce_into_an_ended_console(settings, pg_engine, redis, keys):
    async with redis_app(settings, pg_engine, keys) as app:
        console, out = console_of(app, wait_for_jobs_s=0.0)
        stream = stream_of(app, console)
        async with consuming(app.events):
            await console.handle_line("/accept")
            await console.handle_line("/imagine a harbour in fog")
            assert await console.run() == 1  # stops waiting for the job: the session ends
            assert "(stopped waiting for 1 job)" in out.getvalue()
            await redis.delete(stream)  # (as if its TTL ran out, had it not been deleted)
            await app.worker.run(burst=True)  # the job ends after its console did
            assert await redis.exists(stream) == 0
            await app.worker.sweep_once()
            await app.worker.sweep_once()
            assert await stream_keys(redis, keys) == []
        async with app.uow() as tx:
            row = (await tx.conn.execute(select(jobs))).one()
        assert row.status == "succeeded" and row.notified_at is not None
        assert row.delivered_at is None  # nobody saw it; /history still lists it
        history = await app.core.history(console.actor)
        assert [j.job_id for j in history] == [row.id] and history[0].images


async def test_a_live_console_gets_the_reannounce(settings, pg_engine, redis, keys):
    async with redis_app(settings, pg_engine, keys) as app:
        console, out = console_of(app)
        stream = stream_of(app, console)
        await console.handle_line("/accept")
        await console.handle_line("/imagine a kite over dunes")
        await app.worker.run(burst=True)  # published while nothing consumed the session
        await redis.xtrim(stream, maxlen=0)  # and lost (Redis trimmed or restarted)
        assert "Done" not in out.getvalue()
        async with consuming(app.events):
            await app.worker.sweep_once()
            await asyncio.wait_for(console._all_done.wait(), timeout=30)
        assert "Done" in out.getvalue()
        assert 0 < await redis.ttl(stream) <= SESSION_STREAM_TTL_S
