"""The PostgreSQL accept path keeps the pool connections its submits used
(``core.jobs.accept_pg.KeptConnections``): while submits run it holds up to a bound,
when none runs it holds one, and it never keeps a connection that is closed, inside a
transaction, left by an error or cancellation, or kept for too long. Nothing it holds
outlives the app."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import text

from bot.bootstrap import App, bootstrap
from core.jobs import accept_pg
from core.jobs.accept_pg import KEEP_FOR_S, KeptConnections
from core.types import Actor, ImagineRequest, ReplyTarget

pytestmark = pytest.mark.postgres

TARGET = ReplyTarget("test", {"chat": "1"})
DEADLINE_S = 10.0


async def _user(app: App, name: str) -> Actor:
    actor = Actor("test", name, name, "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    await app.core.admin_grant(actor, 1_000, reason="test", reference=name, operator="cli")
    return actor


async def _until(condition, what: str) -> None:
    """Polls ``condition`` (an event the server causes, not ours to await) up to a deadline."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def _checked_out(engine) -> int:
    return engine.pool.checkedout()


async def test_kept_while_submits_run_and_one_left_when_none_runs(pg_engine):
    kept = KeptConnections(pg_engine)
    assert kept.max_kept == pg_engine.pool.size() - 2
    kept.running = 3
    taken = [await kept.take() for _ in range(3)]
    assert _checked_out(pg_engine) == 3
    for pooled, taken_at in taken:
        kept.running -= 1
        await kept.give_back(pooled, taken_at, clean=True)
        if kept.running:  # still busy: each one kept for the next submit
            assert len(kept) == 3 - kept.running
    assert len(kept) == 1  # nothing runs: all but one went back
    assert _checked_out(pg_engine) == 1
    again, _ = await kept.take()
    assert again is taken[-1][0]  # the newest is reused
    await kept.give_back(again, time.monotonic(), clean=True)
    await kept.aclose()
    assert len(kept) == 0
    assert _checked_out(pg_engine) == 0


async def test_never_more_than_the_bound(pg_engine):
    kept = KeptConnections(pg_engine)
    kept.max_kept = 2
    kept.running = 4
    taken = [await kept.take() for _ in range(4)]
    for pooled, taken_at in taken[:3]:
        kept.running -= 1
        await kept.give_back(pooled, taken_at, clean=True)
    assert len(kept) == 2
    assert _checked_out(pg_engine) == 3  # two kept, one still "running"
    kept.running -= 1
    await kept.give_back(*taken[3], clean=True)
    await kept.aclose()
    assert _checked_out(pg_engine) == 0


async def test_what_is_not_kept(pg_engine):
    kept = KeptConnections(pg_engine)
    kept.running = 4
    errored = await kept.take()
    in_transaction = await kept.take()
    old = await kept.take()
    holder = await kept.take()  # keeps ``running`` above 0, so nothing is trimmed
    await in_transaction[0].driver_connection.execute("BEGIN")
    kept.running -= 1
    await kept.give_back(*errored, clean=False)
    kept.running -= 1
    await kept.give_back(*in_transaction, clean=True)
    kept.running -= 1
    await kept.give_back(old[0], time.monotonic() - KEEP_FOR_S - 1, clean=True)
    assert len(kept) == 0
    assert _checked_out(pg_engine) == 1  # only the holder: the three went back to the pool
    kept.running -= 1
    await kept.give_back(*holder, clean=True)
    await kept.aclose()
    # The pool's reset rolled the open transaction back before lending it again.
    async with pg_engine.connect() as conn:
        assert (await conn.execute(text("SELECT 1"))).scalar() == 1


async def test_a_connection_the_server_closed_is_dropped_not_used(settings, pg_engine):
    async with bootstrap(settings, engine=pg_engine, migrate=False) as app:
        ann = await _user(app, "ann")
        await app.core.imagine(ann, ImagineRequest("a fox"), TARGET)
        path = app.core.submission.pg_accept
        assert path is not None and len(path.connections) == 1
        ((pooled, _),) = path.connections._kept
        driver = pooled.driver_connection
        async with pg_engine.connect() as conn:
            await conn.execute(
                text("SELECT pg_terminate_backend(:pid)"), {"pid": driver.get_server_pid()}
            )
        await _until(driver.is_closed, "the client to see the server close the connection")
        job = await app.core.imagine(ann, ImagineRequest("a fox"), TARGET)  # no error
        assert job.job_id
        ((now_kept, _),) = path.connections._kept
        assert now_kept.driver_connection is not driver
    assert _checked_out(pg_engine) == 0


async def test_a_cancelled_submit_gives_its_connection_back(settings, pg_engine, monkeypatch):
    async with bootstrap(settings, engine=pg_engine, migrate=False) as app:
        ann = await _user(app, "ann")
        await app.core.imagine(ann, ImagineRequest("a fox"), TARGET)  # one kept now
        started = asyncio.Event()
        real_accept = accept_pg.PgAcceptPath._accept

        async def stalled(self, driver, *args):
            started.set()
            await driver.execute("SELECT pg_sleep(30)")
            return await real_accept(self, driver, *args)

        monkeypatch.setattr(accept_pg.PgAcceptPath, "_accept", stalled)
        task = asyncio.create_task(app.core.imagine(ann, ImagineRequest("a fox"), TARGET))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        path = app.core.submission.pg_accept
        assert path is not None and len(path.connections) == 0  # not kept
    assert _checked_out(pg_engine) == 0


async def test_concurrent_submits_leave_one_connection_and_none_after_the_app(settings, pg_engine):
    async with bootstrap(settings, engine=pg_engine, migrate=False) as app:
        users = [await _user(app, f"u{n}") for n in range(6)]
        for _ in range(3):
            await asyncio.gather(
                *(app.core.imagine(u, ImagineRequest("a fox"), TARGET) for u in users)
            )
        path = app.core.submission.pg_accept
        assert path is not None and len(path.connections) == 1
        assert _checked_out(pg_engine) == 1
    assert _checked_out(pg_engine) == 0  # given back before the engine is disposed
