"""Provider health shared through the database (issue 18): a worker's real provider
calls (the provider modules over HTTP to their loopback fakes, or the offline `local`
provider) become per-minute rows any process reads, written in batches, at the end of a
burst and on shutdown; a circuit one worker opened shows as open to another process on
the same database, until that worker's row goes stale. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from bot.bootstrap import bootstrap
from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory, make_engine
from core.db.tables import metadata, provider_circuits, provider_health
from core.observability import dashboard as dash
from core.observability.health import HealthRecorder
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.integration.test_provider_pipeline import TARGET, _make_fake, _stand, _user
from tests.support.fakes import RecordingDelivery


async def _health_rows(engine) -> dict[str, tuple]:
    async with engine.connect() as conn:
        rows = await conn.execute(select(provider_health))
        found: dict[str, tuple] = {}
        for r in rows:
            assert r.provider not in found, "one minute: one row per provider"
            found[r.provider] = r
        return found


async def test_a_worker_writes_what_its_provider_calls_did(settings, engine):
    google, ark = _make_fake("google"), _make_fake("ark")
    async with _stand(settings, engine, routes=[google, ark]) as (app, delivered):
        actor = await _user(app)
        job = await app.core.imagine(
            actor, ImagineRequest("[503] a harbour", model_id="pipeline"), TARGET
        )
        await app.worker.run(burst=True)  # the burst ends with a flush
        assert delivered.kinds(job.job_id)[-1] == "finished"

        rows = await _health_rows(engine)
        assert set(rows) == {"google", "ark"}
        g, a = rows["google"], rows["ark"]
        assert (g.requests, g.failed_transient, g.failed_timeout, g.failed_permanent) == (
            1,
            1,
            0,
            0,
        )
        assert (a.requests, a.failed_transient, a.failed_rate_limited) == (1, 0, 0)
        for row in (g, a):  # loopback calls: well under a second, counted in every bucket
            assert row.latency_max_ms <= row.latency_sum_ms < 1000
            assert row.latency_le_1s == row.latency_le_60s == 1
        overview = await app.core.dashboard()
        by_name = {p.provider: p for p in overview.providers}
        assert by_name["google"].failure_rate == 1.0 and by_name["ark"].failure_rate == 0.0
        assert by_name["ark"].latency_p50_at_most_s == 1.0
        assert not by_name["google"].circuit_open  # one failure of five: still closed
        # Every configured service has a fresh circuit row from this worker.
        assert by_name["local"].circuit_workers == 1 and by_name["local"].requests == 0


async def test_a_circuit_one_worker_opened_is_open_for_another_process(settings, engine):
    google, ark = _make_fake("google"), _make_fake("ark")
    opening = settings.model_copy(update={"provider_failure_threshold": 1})
    async with _stand(opening, engine, routes=[google, ark]) as (worker_app, _):
        actor = await _user(worker_app)
        await worker_app.core.imagine(
            actor, ImagineRequest("[503] a storm", model_id="pipeline"), TARGET
        )
        async with bootstrap(settings, engine=engine, migrate=False) as reader:
            before = {p.provider: p for p in (await reader.core.dashboard()).providers}
            assert "google" not in before  # nothing written yet

            await worker_app.worker.run(burst=True)

            after = {p.provider: p for p in (await reader.core.dashboard()).providers}
            assert after["google"].circuit_open and after["google"].circuit_open_workers == 1
            assert not after["ark"].circuit_open and after["ark"].circuit_workers == 1
            # A worker that stopped writing is not believed for ever.
            async with reader.uow() as uow:
                later = utcnow() + timedelta(seconds=dash.CIRCUIT_STALE_S + 1)
                stale = await dash.provider_health_view(uow.conn, later)
            assert all(p.circuit_workers == 0 for p in stale)


async def test_the_worker_writes_its_counts_when_it_stops(app):
    """Within the flush interval (10 s by default) nothing is written; stopping the
    worker writes what it counted (the offline `local` provider here), and a clean stop
    removes its circuit rows (its heartbeat: issue 19), so it is not taken for a worker
    that died."""
    delivered = RecordingDelivery()
    app.events.register("test", delivered)
    actor = Actor("test", unique_user(), locale="en")
    await app.core.accept_terms(actor, age_confirmed=True)
    job = await app.core.imagine(actor, ImagineRequest("a quiet pond"), ReplyTarget("test", {}))
    running = asyncio.create_task(app.worker.run())
    await delivered.wait_for(job.job_id, "finished")
    assert app.worker.health.pending == 1  # counted, not yet written
    assert await _health_rows(app.engine) == {}
    await app.worker.health.flush()  # what the 10 s loop does: the circuit rows appear
    async with app.engine.connect() as conn:
        circuits = (await conn.execute(select(provider_circuits))).all()
    assert [(c.worker_id, c.provider, c.open) for c in circuits] == [
        (app.worker.worker_id, "local", False)
    ]
    app.worker.health.record("local", "ok", 0.1)  # counted after that flush
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)

    rows = await _health_rows(app.engine)
    assert set(rows) == {"local"} and rows["local"].requests == 2
    async with app.engine.connect() as conn:
        circuits = (await conn.execute(select(provider_circuits))).all()
    assert circuits == []  # a clean stop: no heartbeat left behind


async def test_batches_from_two_workers_add_up_and_old_buckets_are_pruned(engine):
    uow = UnitOfWorkFactory(engine)
    now = datetime(2026, 12, 6, 10, 30, 15, tzinfo=UTC)
    one = HealthRecorder(uow, worker_id="w1", clock=lambda: now)
    two = HealthRecorder(uow, worker_id="w2", clock=lambda: now)
    one.record("fal", "ok", 0.4)
    one.record("fal", "timeout", 30.5)
    two.record("fal", "rate_limited", 2.0)
    await one.flush()
    await two.flush()
    two.record("fal", "permanent", 0.1)
    await two.flush()
    assert one.pending == two.pending == 0
    await one.flush()  # nothing counted since: writes nothing more

    (row,) = (await _health_rows(engine)).values()
    assert row.bucket_start == now.replace(second=0)
    assert (row.requests, row.failed_timeout, row.failed_rate_limited) == (4, 1, 1)
    assert (row.failed_permanent, row.failed_transient) == (1, 0)
    assert (row.latency_sum_ms, row.latency_max_ms) == (400 + 30500 + 2000 + 100, 30500)
    assert (row.latency_le_1s, row.latency_le_5s, row.latency_le_20s) == (2, 3, 3)
    assert row.latency_le_60s == 4

    later = HealthRecorder(uow, worker_id="w3", clock=lambda: now + timedelta(hours=49))
    later.record("fal", "ok", 1.0)
    await later.flush()
    assert await later.prune() == 1  # the 49-hour-old bucket
    (kept,) = (await _health_rows(engine)).values()
    assert kept.bucket_start == (now + timedelta(hours=49)).replace(second=0)


async def test_counts_survive_a_failed_flush(tmp_path):
    """A flush that fails (here: the tables are not there yet) keeps what it counted and
    adds it to what comes after; nothing is counted twice."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'bare.db'}")
    try:
        now = datetime(2026, 12, 6, 10, 30, tzinfo=UTC)
        recorder = HealthRecorder(
            UnitOfWorkFactory(engine),
            worker_id="w",
            circuits=lambda: {"fal": True},
            clock=lambda: now,
        )
        recorder.record("fal", "transient", 3.0)
        with pytest.raises(DBAPIError):
            await recorder.flush()
        assert recorder.pending == 1
        recorder.record("fal", "ok", 0.5)
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        await recorder.flush()
        await recorder.flush()

        (row,) = (await _health_rows(engine)).values()
        assert (row.requests, row.failed_transient, row.latency_sum_ms) == (2, 1, 3500)
        assert (row.latency_le_1s, row.latency_le_5s, row.latency_max_ms) == (1, 2, 3000)
    finally:
        await engine.dispose()
