"""/livez, /healthz and /readyz over real HTTP: each dependency reported by name, 503
when one is down (the database above all), /livez asks nothing."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from redis.asyncio import Redis

from adapters.web import health as web_health
from adapters.web.app import create_web_app
from bot.health import health_checks
from core.db.engine import make_engine
from core.storage.s3 import S3ObjectStore, open_s3_client
from tests.support.moto import start_moto_server
from tests.support.servers import serve_asgi


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.asynccontextmanager
async def _client(app) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        serve_asgi(create_web_app(app)) as base_url,
        httpx.AsyncClient(base_url=base_url) as client,
    ):
        yield client


async def test_all_three_answer_for_a_healthy_app(app) -> None:
    async with _client(app) as client:
        live = await client.get("/livez")
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert (live.status_code, live.json()) == (200, {"status": "alive"})
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": "ok", "storage": "ok", "queue_depth": 0}
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok", "migrations": "ok"}


async def test_database_down_is_503_on_healthz_and_readyz_but_not_livez(app) -> None:
    dead = make_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/gone")
    try:
        down = dataclasses.replace(
            app, engine=dead, health=health_checks(dead, redis=None, storage=app.storage)
        )
        async with _client(down) as client:
            live = await client.get("/livez")
            health = await client.get("/healthz")
            ready = await client.get("/readyz")
    finally:
        await dead.dispose()
    assert live.status_code == 200
    assert health.status_code == 503
    assert health.json()["status"] == "error"
    assert health.json()["database"] == "unreachable"
    assert health.json()["storage"] == "ok"  # each dependency on its own
    assert ready.status_code == 503
    assert ready.json()["database"] == "unreachable"
    assert ready.json()["status"] == "not ready"


async def test_a_stand_in_without_checks_keeps_the_database_contract() -> None:
    dead = make_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/gone")
    stand_in = dataclasses.make_dataclass("StandIn", ["engine", "queue", "local_store"])(
        dead, type("Q", (), {"depth": lambda self: 3})(), None
    )
    try:
        async with _client(stand_in) as client:
            health = await client.get("/healthz")
    finally:
        await dead.dispose()
    assert health.status_code == 503
    assert health.json() == {"status": "error", "database": "unreachable", "queue_depth": 3}


async def test_a_database_never_upgraded_is_healthy_but_not_ready(app, tmp_path) -> None:
    empty = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    try:
        behind = dataclasses.replace(
            app, engine=empty, health=health_checks(empty, redis=None, storage=app.storage)
        )
        async with _client(behind) as client:
            health = await client.get("/healthz")
            ready = await client.get("/readyz")
    finally:
        await empty.dispose()
    assert health.status_code == 200
    assert ready.status_code == 503
    assert ready.json() == {"status": "not ready", "database": "ok", "migrations": "behind"}


async def test_redis_is_checked_when_configured(app, redis: Redis) -> None:
    configured = dataclasses.replace(
        app, health=health_checks(app.engine, redis=redis, storage=app.storage)
    )
    async with _client(configured) as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert health.status_code == 200 and health.json()["redis"] == "ok"
    assert ready.status_code == 200 and ready.json()["redis"] == "ok"

    gone = Redis.from_url(f"redis://127.0.0.1:{_closed_port()}/0")
    try:
        down = dataclasses.replace(
            app, health=health_checks(app.engine, redis=gone, storage=app.storage)
        )
        async with _client(down) as client:
            health = await client.get("/healthz")
            ready = await client.get("/readyz")
            live = await client.get("/livez")
    finally:
        await gone.aclose()
    assert health.status_code == 503
    assert health.json()["redis"] == "unreachable" and health.json()["database"] == "ok"
    assert ready.status_code == 503 and ready.json()["redis"] == "unreachable"
    assert live.status_code == 200


async def test_a_redis_that_never_answers_is_reported_as_a_timeout(app, monkeypatch) -> None:
    monkeypatch.setattr(web_health, "CHECK_TIMEOUT_S", 0.5)
    held: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # accepted, read, never answered

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    mute = Redis.from_url(f"redis://127.0.0.1:{port}/0")
    try:
        stuck = dataclasses.replace(
            app, health=health_checks(app.engine, redis=mute, storage=app.storage)
        )
        async with _client(stuck) as client:
            health = await client.get("/healthz", timeout=10)
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()
        with contextlib.suppress(Exception):
            await mute.aclose()
    assert health.status_code == 503
    assert health.json()["redis"] == "timeout"
    assert health.json()["database"] == "ok"


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    endpoint_url, stop = start_moto_server()
    try:
        yield endpoint_url
    finally:
        stop()


async def test_storage_that_fails_is_reported_on_healthz_only(app, moto_endpoint) -> None:
    async with contextlib.AsyncExitStack() as stack:
        client = await open_s3_client(
            stack,
            endpoint_url=moto_endpoint,
            region="us-east-1",
            access_key_id="test",
            secret_access_key="moto-secret",
        )
        # A bucket nobody created: every request to it fails, as with a wrong bucket name.
        missing = S3ObjectStore(client, bucket=f"seedream-missing-{uuid.uuid4().hex[:8]}")
        broken = dataclasses.replace(
            app, health=health_checks(app.engine, redis=None, storage=missing)
        )
        async with _client(broken) as http:
            health = await http.get("/healthz")
            ready = await http.get("/readyz")
    assert health.status_code == 503
    assert health.json()["storage"] == "unreachable" and health.json()["database"] == "ok"
    assert ready.status_code == 200  # serving does not wait on the bucket
