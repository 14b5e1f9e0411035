"""The production shape in one test process: PostgreSQL + the real Redis, two workers
and one adapter-side consumer, each built by bootstrap from settings like separate
processes would be. Jobs whose wake-ups vanish (a Redis that lost its streams) still
finish, and every finished job reaches the chat exactly once."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from contextlib import AsyncExitStack
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from bot.bootstrap import bootstrap
from core import ledger as credits
from core.catalog import load_catalog
from core.db.tables import jobs
from core.messaging.keys import RedisKeys
from core.types import Actor, ImagineRequest, JobEvent, ReplyTarget
from tests.conftest import REDIS_URL


@pytest.fixture
def redis_settings(settings):
    prefix = f"t{uuid.uuid4().hex[:10]}"
    return settings.model_copy(
        update={
            "redis_url": REDIS_URL,
            "redis_prefix": prefix,
            "heartbeat_interval_s": 0.5,
            "reconcile_interval_s": 0.2,
            "redeliver_after_s": 1.0,
            "worker_concurrency": 4,
        }
    )


async def _drop_keys(app, prefix: str) -> None:
    async for key in app.redis.scan_iter(match=f"{prefix}:*"):
        await app.redis.delete(key)


async def _stop(tasks: list[asyncio.Task]) -> None:
    """Cancel the processes' tasks, then let shielded finishing work (a job being marked
    done while its worker stops) settle before the database and Redis go away."""
    for task in tasks:
        task.cancel()
    await asyncio.wait(tasks)
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    if others:
        await asyncio.wait(others, timeout=10)


async def test_two_workers_and_an_adapter_over_redis(redis_settings, pg_engine):
    catalog = load_catalog()
    catalog = replace(
        catalog,
        plans={
            k: replace(v, max_queued_jobs=50, max_running_jobs=2) for k, v in catalog.plans.items()
        },
    )
    seen: Counter[tuple[str, str]] = Counter()
    finished = asyncio.Event()
    expected: set[str] = set()

    async def on_event(event: JobEvent) -> None:
        seen[(event.job_id, event.kind)] += 1
        if expected and all(seen[(j, "finished")] for j in expected):
            finished.set()

    async with AsyncExitStack() as stack:

        def boot():
            return bootstrap(redis_settings, engine=pg_engine, migrate=False, catalog=catalog)

        adapter = await stack.enter_async_context(boot())
        workers = [await stack.enter_async_context(boot()) for _ in range(2)]
        assert adapter.queue.__class__.__name__ == "RedisJobQueue"
        stack.push_async_callback(_drop_keys, adapter, redis_settings.redis_prefix)
        adapter.events.register("chat", on_event)
        tasks = [asyncio.create_task(adapter.events.consume())]

        users = [Actor("chat", f"user{i}-{uuid.uuid4().hex[:6]}") for i in range(4)]
        for user in users:
            await adapter.core.accept_terms(user, age_confirmed=True)
        first = [
            await adapter.core.imagine(
                u, ImagineRequest(f"first {i}"), ReplyTarget("chat", {"chat_id": i})
            )
            for i, u in enumerate(users)
        ]
        # Redis loses every wake-up sent so far (a restart without persistence).
        await adapter.redis.delete(RedisKeys(redis_settings.redis_prefix).jobs_stream)
        second = [
            await adapter.core.imagine(
                u, ImagineRequest(f"second {i}"), ReplyTarget("chat", {"chat_id": i})
            )
            for i, u in enumerate(users)
        ]
        expected.update(j.job_id for j in first + second)
        tasks += [asyncio.create_task(w.worker.run()) for w in workers]
        try:
            try:
                async with asyncio.timeout(20):
                    await finished.wait()
            except TimeoutError:
                raise AssertionError(f"not all delivered: {dict(seen)}") from None
        finally:
            await _stop(tasks)

        assert {j for (j, kind) in seen if kind == "finished"} == expected
        assert {j for (j, kind) in seen if kind == "queued"} == expected  # over Redis too
        assert all(count == 1 for count in seen.values()), seen
        async with adapter.uow() as uow:
            states = dict(
                (
                    await uow.conn.execute(
                        select(jobs.c.status, func.count()).group_by(jobs.c.status)
                    )
                ).all()
            )
            assert states == {"succeeded": 8}
            undelivered = await uow.conn.scalar(
                select(func.count()).select_from(jobs).where(jobs.c.delivered_at.is_(None))
            )
            assert undelivered == 0
            assert await credits.conservation_gap(uow.conn) == 0
        ran_on = {w.worker.worker_id for w in workers}
        async with adapter.uow() as uow:
            by = set((await uow.conn.execute(select(jobs.c.worker_id).distinct())).scalars())
        assert by <= ran_on and len(by) >= 1
