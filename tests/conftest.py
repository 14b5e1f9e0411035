"""Shared fixtures: real PostgreSQL (a fresh schema per test session), SQLite files,
the application built through the same bootstrap every process uses, and a guard that
fails any test trying to reach a non-loopback address."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import settings as hypothesis_settings
from redis.asyncio import Redis
from sqlalchemy import text

from bot.bootstrap import App, bootstrap
from bot.settings import Settings
from core.db.engine import make_engine
from core.messaging.keys import RedisKeys
from tests.support.databases import SchemaPool, copy_sqlite_file, migrated_sqlite_file

# Property-based tests: about 200 inputs per target, the same ones on every run (CI is
# reproducible; benchmarks/fuzz.py draws 10,000+ random ones). HYPOTHESIS_PROFILE=dev
# draws fresh random inputs locally.
hypothesis_settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
hypothesis_settings.register_profile("dev", max_examples=200, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Fixtures shared by several test modules (the billing ones: fake Stripe, app, web).
pytest_plugins = ["tests.support.billing_harness"]

REDIS_URL = os.environ.get("SEEDREAM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PG_URL = os.environ.get(
    "SEEDREAM_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)

# -- no network but loopback -------------------------------------------------------

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check_address(address) -> None:
    if isinstance(address, tuple) and address:
        host = address[0]
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            if host != "localhost":
                raise RuntimeError(
                    f"test tried to reach {host!r}: only loopback is allowed"
                ) from None
            return
        if not ip.is_loopback:
            raise RuntimeError(f"test tried to reach {host}: only loopback is allowed")


def _guarded_connect(self, address):
    _check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check_address(address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _offline_guard():
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    yield
    socket.socket.connect = _real_connect
    socket.socket.connect_ex = _real_connect_ex


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """Tests never pick up a developer's .env, tokens or provider keys."""
    for key in list(os.environ):
        if key.startswith("SEEDREAM_") and not key.startswith("SEEDREAM_TEST_"):
            monkeypatch.delenv(key)
    for key in (
        "DISCORD_TOKEN",
        "TELEGRAM_TOKEN",
        "TELEGRAM_BOT_TOKEN",
        "OPENAI_API_KEY",
        "REPLICATE_API_TOKEN",
        "FAL_KEY",
        "FIREWORKS_API_KEY",
        "GEMINI_API_KEY",
        "OPENROUTER_API_KEY",
        "ARK_API_KEY",
        "DEEPSEEK_API_KEY",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
    ):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no .env here


# -- PostgreSQL: a migrated schema of its own per test, empty, so that global behaviour
# (the fair scheduler, the reconciler) sees only the test's own jobs. The migrations run
# once per schema, not per test (tests/support/databases.py) ----------------------------


@pytest.fixture(scope="session")
def _pg_reachable() -> None:
    async def ping() -> None:
        engine = make_engine(PG_URL)
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except OSError as exc:
            pytest.exit(f"PostgreSQL is not reachable at {PG_URL}: {exc}", returncode=3)
        finally:
            await engine.dispose()

    asyncio.run(ping())


@pytest.fixture(scope="session")
def _pg_schemas(_pg_reachable) -> Iterator[SchemaPool]:
    pool = SchemaPool(PG_URL)
    yield pool
    asyncio.run(pool.drop_all())


@pytest.fixture
async def pg_engine(_pg_schemas):
    schema = await _pg_schemas.take()
    engine = _pg_schemas.engine(schema)
    try:
        yield engine
    finally:
        await engine.dispose()
        await _pg_schemas.give_back(schema)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    return migrated_sqlite_file(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture
async def sqlite_engine(tmp_path, _sqlite_template):
    path = tmp_path / "seedream.db"
    copy_sqlite_file(_sqlite_template, path)
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    yield engine
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request):
    """Each test using this runs on both backends."""
    name = "sqlite_engine" if request.param == "sqlite" else "pg_engine"
    return request.getfixturevalue(name)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        signing_secret="test-signing-secret-0123456789",
        public_base_url="http://127.0.0.1:9",
        worker_concurrency=1,
        user_requests_per_minute=0,  # tests of the limits turn them on
        chat_requests_per_minute=0,
    )


@pytest.fixture
async def app(settings, engine) -> AsyncIterator[App]:
    async with bootstrap(settings, engine=engine, migrate=False) as built:
        yield built


# -- Redis: the real server, a unique key prefix per test, its keys removed after -------


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except OSError as exc:  # redis' ConnectionError is an OSError
        await client.aclose()
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
    yield client
    await client.aclose()


@pytest.fixture
async def keys(redis: Redis) -> AsyncIterator[RedisKeys]:
    keys = RedisKeys(prefix=f"t{uuid.uuid4().hex[:12]}")
    yield keys
    leftovers = [key async for key in redis.scan_iter(match=f"{keys.prefix}*")]
    if leftovers:
        await redis.delete(*leftovers)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client for talking to loopback fakes and servers."""
    async with httpx.AsyncClient(timeout=10.0) as client:
        yield client


def unique_user(prefix: str = "u") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"
