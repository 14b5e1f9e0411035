"""core.metrics against a real database (SQLite and PostgreSQL), and /metrics over HTTP.

The PostgreSQL schema is shared by the whole test session, so these tests compare
counts before and after their own rows and delete those rows when done."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import delete, insert

from adapters.web.app import create_web_app
from core.db.engine import UnitOfWorkFactory
from core.db.tables import accounts, jobs
from core.observability.health import HealthRecorder
from core.observability.metrics import JOB_STATES, Metrics
from tests.support.servers import serve_asgi

# Far in the past, so our queued job is the oldest whatever else the session left behind.
OLDEST = datetime(2001, 1, 1, tzinfo=UTC)
NOW = OLDEST + timedelta(hours=2)


def gauges(body: bytes) -> dict[tuple[str, tuple], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


def job_counts(metrics: Metrics) -> dict[str, float]:
    values = gauges(metrics.render()[0])
    return {state: values[("seedream_jobs", (("state", state),))] for state in JOB_STATES}


@contextlib.asynccontextmanager
async def seed_jobs(engine) -> AsyncIterator[dict[str, int]]:
    """An account with 2 queued, 1 running and 1 succeeded job; removed afterwards."""
    rows = [
        ("queued", OLDEST),
        ("queued", OLDEST + timedelta(minutes=30)),
        ("running", OLDEST - timedelta(days=1)),  # older, but not queued: not counted in age
        ("succeeded", OLDEST + timedelta(minutes=5)),
    ]
    ids = [uuid.uuid4().hex for _ in rows]
    async with engine.begin() as conn:
        account_id = (
            await conn.execute(
                insert(accounts)
                .values(created_at=OLDEST, balance_credits=0)
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
                        "created_at": created_at,
                    }
                    for job_id, (status, created_at) in zip(ids, rows, strict=True)
                ],
            )
        yield {"queued": 2, "running": 1, "succeeded": 1, "failed": 0, "cancelled": 0}
    finally:
        async with engine.begin() as conn:
            await conn.execute(delete(jobs).where(jobs.c.id.in_(ids)))
            await conn.execute(delete(accounts).where(accounts.c.id == account_id))


async def test_refresh_from_db_sets_state_gauges_and_oldest_age(engine) -> None:
    metrics = Metrics(clock=lambda: NOW)
    await metrics.refresh_from_db(engine, queue_depth=0)
    before = job_counts(metrics)

    async with seed_jobs(engine) as added:
        await metrics.refresh_from_db(engine, queue_depth=3)
        after = job_counts(metrics)
        values = gauges(metrics.render()[0])

    assert {state: after[state] - before[state] for state in JOB_STATES} == added
    assert values[("seedream_queue_depth", ())] == 3
    age = values[("seedream_oldest_queued_job_age_seconds", ())]
    assert age > 0
    assert age == pytest.approx((NOW - OLDEST).total_seconds())


async def test_refresh_from_db_on_empty_database_exports_zeros(sqlite_engine) -> None:
    metrics = Metrics(clock=lambda: NOW)
    metrics.jobs_by_state.labels(state="failed").set(5)  # a stale value is overwritten
    await metrics.refresh_from_db(sqlite_engine, queue_depth=0)
    values = gauges(metrics.render()[0])
    assert job_counts(metrics) == dict.fromkeys(JOB_STATES, 0)
    assert values[("seedream_oldest_queued_job_age_seconds", ())] == 0


async def test_provider_health_a_worker_wrote_is_in_any_process_scrape(engine) -> None:
    """Issue 18: the web process's /metrics shows provider health the workers wrote
    (the series issue 19's alert rules use), not only what it ran itself."""
    worker = HealthRecorder(
        UnitOfWorkFactory(engine),
        worker_id="w-metrics",
        circuits=lambda: {"fal": True, "openai": False},
        clock=lambda: NOW - timedelta(minutes=1),
    )
    worker.record("fal", "transient", 1.0)
    worker.record("fal", "ok", 2.0)
    worker.record("openai", "ok", 0.5)
    await worker.flush()
    metrics = Metrics(clock=lambda: NOW)
    metrics.provider_requests_window.labels(provider="gone").set(9)  # cleared at scrape
    await metrics.refresh_from_db(engine, queue_depth=0)
    values = gauges(metrics.render()[0])

    def series(name: str, **labels: str) -> float | None:
        return values.get((name, tuple(sorted(labels.items()))))

    assert series("seedream_provider_requests_5m", provider="fal") == 2
    assert series("seedream_provider_requests_5m", provider="openai") == 1
    assert series("seedream_provider_requests_5m", provider="gone") is None
    assert series("seedream_provider_failures_5m", provider="fal", kind="transient") == 1
    assert series("seedream_provider_failures_5m", provider="fal", kind="timeout") == 0
    assert series("seedream_provider_circuit_open_workers", provider="fal") == 1
    assert series("seedream_provider_circuit_open_workers", provider="openai") == 0
    later = Metrics(clock=lambda: NOW + timedelta(minutes=10))  # outside the window
    await later.refresh_from_db(engine, queue_depth=0)
    shared = ("seedream_provider_requests_5m", "seedream_provider_failures_5m")
    shared += ("seedream_provider_circuit_open_workers",)
    assert not any(name in shared for name, _ in gauges(later.render()[0]))


async def test_metrics_route_over_http(engine) -> None:
    stand_in = SimpleNamespace(
        engine=engine,
        queue=SimpleNamespace(depth=lambda: 7),
        metrics=Metrics(),
        local_store=None,
    )
    stand_in.metrics.job_submitted("test-model")
    async with (
        seed_jobs(engine),
        serve_asgi(create_web_app(stand_in)) as base_url,
        httpx.AsyncClient(base_url=base_url) as client,
    ):
        response = await client.get("/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
        assert 'seedream_jobs{state="queued"}' in response.text
        assert "seedream_queue_depth 7.0" in response.text
        assert 'seedream_jobs_submitted_total{model="test-model"} 1.0' in response.text

        del stand_in.metrics  # an App built without metrics has no /metrics
        assert (await client.get("/metrics")).status_code == 404
        assert (await client.get("/healthz")).status_code == 200
