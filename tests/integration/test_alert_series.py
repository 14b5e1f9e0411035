"""The series the alert rules read (issue 19), against real databases and real routes:
worker heartbeats (idle workers too) and the delivery backlog read from the database at
scrape, webhook refusals counted by source and reason, and the metrics port of a role
that serves no web app.

The PostgreSQL schema is shared by the whole test session, so these tests read the
database at a clock far in the future: every row other tests write is then older than
the windows read here, and only this test's own rows (dated near that clock) count."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import delete, insert, text

from adapters.telegram.payments import PaymentNotSettled
from adapters.telegram.webhook import SECRET_HEADER, webhook_route
from adapters.web.app import create_metrics_app, create_web_app
from core.db.engine import UnitOfWorkFactory
from core.db.tables import accounts, jobs, provider_circuits
from core.observability.health import HealthRecorder
from core.observability.metrics import (
    WEBHOOK_FAILURE_REASONS,
    WEBHOOK_SOURCES,
    Metrics,
    undelivered_query,
)
from tests.support.billing_harness import TARGET, deliver, new_customer
from tests.support.servers import serve_asgi

FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


def samples(metrics: Metrics) -> dict[tuple[str, frozenset], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(metrics.render()[0].decode())
        for s in family.samples
    }


def value(metrics: Metrics, name: str, **labels: str) -> float | None:
    return samples(metrics).get((name, frozenset(labels.items())))


# -- worker heartbeats ---------------------------------------------------------------


async def test_idle_workers_heartbeat_and_a_silent_one_is_named(engine) -> None:
    uow = UnitOfWorkFactory(engine)
    tag = uuid.uuid4().hex[:8]

    def worker(name: str, last_s: float) -> HealthRecorder:
        # An idle worker: no provider call counted, only its circuits (the `local` one).
        return HealthRecorder(
            uow,
            worker_id=f"{name}-{tag}",
            circuits=lambda: {"local": False},
            clock=lambda: FUTURE - timedelta(seconds=last_s),
        )

    alive, other, silent, long_gone = (
        worker("alive", 5),
        worker("other", 29),
        worker("silent", 300),
        worker("gone", 2 * 3600),
    )
    try:
        for w in (alive, other, silent, long_gone):
            await w.flush()
        metrics = Metrics(clock=lambda: FUTURE)
        await metrics.refresh_from_db(engine, queue_depth=0)
        assert value(metrics, "seedream_workers_heartbeating") == 2
        ages = {
            dict(labels)["worker"]: v
            for (name, labels), v in samples(metrics).items()
            if name == "seedream_worker_heartbeat_age_seconds"
        }
        assert ages == {alive.worker_id: 5, other.worker_id: 29, silent.worker_id: 300}

        await silent.retire()  # as a clean stop does
        await alive.retire()
        await metrics.refresh_from_db(engine, queue_depth=0)
        assert value(metrics, "seedream_workers_heartbeating") == 1
        assert (
            value(metrics, "seedream_worker_heartbeat_age_seconds", worker=silent.worker_id) is None
        )
        assert value(metrics, "seedream_worker_heartbeat_age_seconds", worker=other.worker_id) == 29
    finally:
        async with engine.begin() as conn:
            await conn.execute(
                delete(provider_circuits).where(provider_circuits.c.worker_id.like(f"%-{tag}"))
            )


async def test_no_worker_is_zero_not_absent(sqlite_engine) -> None:
    metrics = Metrics(clock=lambda: FUTURE)
    metrics.workers_heartbeating.set(4)  # a stale value is overwritten
    await metrics.refresh_from_db(sqlite_engine, queue_depth=0)
    assert value(metrics, "seedream_workers_heartbeating") == 0
    assert value(metrics, "seedream_delivery_backlog") == 0
    assert value(metrics, "seedream_oldest_undelivered_job_age_seconds") == 0


# -- delivery backlog ----------------------------------------------------------------


@contextlib.asynccontextmanager
async def seed_endings(engine) -> AsyncIterator[None]:
    """Jobs that ended: two wait for delivery (2 min and 30 s ago), one was delivered,
    one is older than the 24 h window, one is still queued."""
    rows = [
        ("succeeded", FUTURE - timedelta(seconds=120), None),
        ("failed", FUTURE - timedelta(seconds=30), None),
        ("succeeded", FUTURE - timedelta(seconds=600), FUTURE - timedelta(seconds=590)),
        ("succeeded", FUTURE - timedelta(hours=25), None),
        ("queued", None, None),
    ]
    ids = [uuid.uuid4().hex for _ in rows]
    async with engine.begin() as conn:
        account_id = (
            await conn.execute(
                insert(accounts)
                .values(created_at=FUTURE - timedelta(days=2), balance_credits=0)
                .returning(accounts.c.id)
            )
        ).scalar_one()
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(jobs),
                [
                    {
                        "id": job_id,
                        "account_id": account_id,
                        "status": status,
                        "model_id": "test-model",
                        "prompt": "a lighthouse",
                        "aspect_ratio": "1:1",
                        "width_px": 64,
                        "height_px": 64,
                        "image_count": 1,
                        "cost_credits": 1,
                        "platform": "console",
                        "created_at": FUTURE - timedelta(days=1, hours=2),
                        "finished_at": finished_at,
                        "delivered_at": delivered_at,
                    }
                    for job_id, (status, finished_at, delivered_at) in zip(ids, rows, strict=True)
                ],
            )
        yield
    finally:
        async with engine.begin() as conn:
            await conn.execute(delete(jobs).where(jobs.c.id.in_(ids)))
            await conn.execute(delete(accounts).where(accounts.c.id == account_id))


async def test_delivery_backlog_counts_ended_undelivered_jobs_of_the_last_day(engine) -> None:
    metrics = Metrics(clock=lambda: FUTURE)
    async with seed_endings(engine):
        await metrics.refresh_from_db(engine, queue_depth=0)
        assert value(metrics, "seedream_delivery_backlog") == 2
        assert value(metrics, "seedream_oldest_undelivered_job_age_seconds") == 120
    await metrics.refresh_from_db(engine, queue_depth=0)
    assert value(metrics, "seedream_delivery_backlog") == 0


# -- webhooks ------------------------------------------------------------------------


def test_every_webhook_failure_series_is_served_at_zero_from_the_start() -> None:
    metrics = Metrics()
    for source in WEBHOOK_SOURCES:
        assert value(metrics, "seedream_webhooks_received_total", source=source) == 0
        for reason in WEBHOOK_FAILURE_REASONS:
            got = value(metrics, "seedream_webhook_failures_total", source=source, reason=reason)
            assert got == 0


def test_webhook_counts_refuse_unbounded_labels() -> None:
    metrics = Metrics()
    with pytest.raises(ValueError):
        metrics.webhook_failed("stripe", "something new")
    with pytest.raises(ValueError):
        metrics.webhook_failed("paypal", "error")
    with pytest.raises(ValueError):
        metrics.webhook_received("paypal")


async def test_stripe_webhook_refusals_are_counted_by_reason(
    billing_app, stripe_fake, web_url, monkeypatch
) -> None:
    metrics = billing_app.metrics

    def failures(reason: str) -> float | None:
        return value(metrics, "seedream_webhook_failures_total", source="stripe", reason=reason)

    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    event = stripe_fake.pay(link.session_id)
    async with httpx.AsyncClient() as http:
        late = await deliver(http, web_url, stripe_fake, event, timestamp=1)  # too old
        assert late.status_code == 400
        assert (await deliver(http, web_url, stripe_fake, event)).status_code == 200
        assert failures("bad_signature") == 1
        assert value(metrics, "seedream_webhooks_received_total", source="stripe") == 2

        async def broken(payload, signature):
            raise RuntimeError("database gone")

        monkeypatch.setattr(billing_app.core.billing, "handle_webhook", broken)
        response = await http.post(f"{web_url}/stripe/webhook", content=b"{}")
    assert response.status_code == 500
    assert failures("error") == 1
    assert failures("bad_signature") == 1  # unchanged


async def test_telegram_webhook_refusals_are_counted_by_reason() -> None:
    async def process(update):
        raise PaymentNotSettled()

    adapter = SimpleNamespace(
        config=SimpleNamespace(webhook_secret="s3cret"),
        application=SimpleNamespace(bot=None),
        process_webhook_update=process,
    )
    metrics = Metrics()
    route = webhook_route(adapter, metrics)
    web = create_web_app(SimpleNamespace(engine=None, queue=None, local_store=None), [route])
    async with serve_asgi(web) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        assert (await client.post(route.path, content=b"{}")).status_code == 403
        good = {SECRET_HEADER: "s3cret"}
        assert (await client.post(route.path, content=b"not json", headers=good)).status_code == 200
        update = b'{"update_id": 7}'
        assert (await client.post(route.path, content=update, headers=good)).status_code == 500

    def failures(reason: str) -> float | None:
        return value(metrics, "seedream_webhook_failures_total", source="telegram", reason=reason)

    assert (failures("wrong_secret"), failures("malformed"), failures("error")) == (1, 1, 1)
    assert value(metrics, "seedream_webhooks_received_total", source="telegram") == 3


# -- the metrics port ----------------------------------------------------------------


async def test_the_metrics_port_serves_the_process_counters_only() -> None:
    metrics = Metrics()
    metrics.job_finished("test-model", "local", "failed", 1.5)
    async with (
        serve_asgi(create_metrics_app(metrics)) as base_url,
        httpx.AsyncClient(base_url=base_url) as client,
    ):
        response = await client.get("/metrics")
        assert (await client.get("/healthz")).status_code == 404  # nothing but /metrics
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    assert (
        'seedream_jobs_finished_total{model="test-model",outcome="failed",provider="local"} 1.0'
        in text
    )
    # No gauge read from the database here: it would stay at 0 (a worker reporting "no
    # worker heartbeating"), and several workers would repeat the web process's rows.
    families = {f.name for f in text_string_to_metric_families(text)}
    assert "seedream_jobs_finished" in families
    assert families.isdisjoint(
        {"seedream_jobs", "seedream_workers_heartbeating", "seedream_delivery_backlog"}
    )
    assert "seedream_workers_heartbeating" in metrics.render()[0].decode()  # the web's has it


async def test_an_idle_worker_heartbeats_and_a_clean_stop_ends_it(app) -> None:
    """A running worker with no job writes its heartbeat on its flush loop (10 s in
    production, shortened here) and deletes it when stopped."""
    worker = app.worker
    worker.settings = dataclasses.replace(worker.settings, health_flush_interval_s=0.01)
    flushed = asyncio.Event()
    flush = worker.health.flush

    async def flush_and_signal() -> None:
        await flush()
        flushed.set()

    worker.health.flush = flush_and_signal  # type: ignore[method-assign]
    metrics = Metrics()
    running = asyncio.create_task(worker.run())
    try:
        async with asyncio.timeout(30):
            await flushed.wait()  # an idle flush: no job was ever queued
        await metrics.refresh_from_db(app.engine, queue_depth=0)
        age = value(metrics, "seedream_worker_heartbeat_age_seconds", worker=worker.worker_id)
        assert age is not None and age < 30
        assert value(metrics, "seedream_workers_heartbeating") >= 1
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    await metrics.refresh_from_db(app.engine, queue_depth=0)
    assert value(metrics, "seedream_worker_heartbeat_age_seconds", worker=worker.worker_id) is None


async def test_the_backlog_query_can_use_the_undelivered_index(engine) -> None:
    """Migration 0022's partial index answers the scrape's backlog query, so a scrape
    does not read every ended job ever (on a test-sized table a planner would pick
    anything: PostgreSQL is told to avoid full scans, SQLite to take that index)."""
    query = undelivered_query(FUTURE)
    async with engine.connect() as conn:
        sql = str(query.compile(conn.engine, compile_kwargs={"literal_binds": True}))
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SET LOCAL enable_seqscan = off"))
            await conn.execute(text("SET LOCAL enable_bitmapscan = off"))
            plan = "\n".join(row[0] for row in await conn.execute(text(f"EXPLAIN {sql}")))
        else:  # SQLite refuses INDEXED BY an index the query cannot use
            sql = sql.replace("FROM jobs", "FROM jobs INDEXED BY ix_jobs_undelivered")
            rows = await conn.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            plan = "\n".join(str(row[-1]) for row in rows)
    assert "ix_jobs_undelivered" in plan, plan
