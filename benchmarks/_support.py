"""Helpers shared by the queue, fairness and memory benchmarks (not a benchmark:
``run_all.py`` skips files starting with ``_``)."""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import dataclasses
import io
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from PIL import Image  # noqa: E402
from redis.asyncio import Redis  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from benchmarks.accept import DEFAULT_URL  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.settings import Settings  # noqa: E402
from core.catalog import ProviderLimits, load_catalog  # noqa: E402
from core.db.engine import make_engine  # noqa: E402
from core.providers import GeneratedImage, GenerationResult  # noqa: E402
from core.types import Actor  # noqa: E402

REDIS_URL = os.environ.get("SEEDREAM_REDIS_URL", "redis://127.0.0.1:6379/0")
PG_URL = os.environ.get("SEEDREAM_BENCH_DATABASE_URL", DEFAULT_URL)


_buf = io.BytesIO()
Image.new("RGB", (1, 1), (200, 40, 40)).save(_buf, "PNG")
TINY_PNG = _buf.getvalue()


class FixedProvider:
    """Serves the catalogue's ``local`` routes: waits ``delay_s``, returns tiny PNGs."""

    name = "local"

    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s

    async def generate(self, spec) -> GenerationResult:
        if self.delay_s > 0:
            await asyncio.sleep(self.delay_s)
        image = GeneratedImage(TINY_PNG, "image/png", 1, 1)
        return GenerationResult([image] * spec.image_count)


def bench_settings(data_dir: Path, prefix: str, concurrency: int, **extra) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=data_dir,
        signing_secret="bench-secret-0123456789",
        redis_url=REDIS_URL,
        redis_prefix=prefix,
        worker_concurrency=concurrency,
        user_requests_per_minute=0,
        chat_requests_per_minute=0,
        **extra,
    )


def bench_catalog(settings: Settings, *, max_running: int, max_queued: int = 10**9):
    """The shipped catalogue, every plan's limits replaced, no priority lane, and the
    providers' caps lifted (concurrency 10**6, 120 s per call)."""
    base = load_catalog(settings.catalog_path)
    plans = {
        pid: dataclasses.replace(
            p, max_running_jobs=max_running, max_queued_jobs=max_queued, priority=False
        )
        for pid, p in base.plans.items()
    }
    providers = {name: ProviderLimits(10**6, 120.0) for name in (*base.providers, "local")}
    return dataclasses.replace(base, plans=plans, providers=providers)


@contextlib.asynccontextmanager
async def pg_schema(url: str = PG_URL, **engine_kwargs):
    """A fresh migrated schema; yields (engine, schema); drops the schema at the end."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url, poolclass=NullPool)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        args = {"server_settings": {"search_path": schema}}
        engine = make_engine(url, connect_args=args, **engine_kwargs)
        try:
            await upgrade(engine)
            yield engine, schema
        finally:
            await engine.dispose()
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await admin.dispose()


async def drop_redis_keys(prefix: str) -> int:
    redis = Redis.from_url(REDIS_URL)
    try:
        keys = [k async for k in redis.scan_iter(match=f"{prefix}:*", count=1000)]
        return await redis.unlink(*keys) if keys else 0
    finally:
        await redis.aclose()


async def make_users(core, n: int, tag: str = "user") -> list[Actor]:
    actors = [Actor("bench", f"{tag}{i:04d}", f"{tag} {i}", "en") for i in range(n)]
    for actor in actors:
        await core.accept_terms(actor, age_confirmed=True)
        await core.admin_grant(
            actor,
            10**8,
            reason="benchmark",
            reference=f"b:{actor.platform}:{actor.platform_user_id}",
            operator="cli",  # a script an operator runs
        )
    return actors


async def stop_tasks(tasks: list[asyncio.Task], grace_s: float = 5.0) -> int:
    """Cancel ``tasks`` and wait ``grace_s`` for them; if some still run, cancel every
    other task of the loop, once a second (shielded endings included) until they stop:
    redis-py's ``asyncio.wait_for`` around each send can swallow a cancellation on
    Python 3.11, so one ``cancel()`` may not stop a worker. Returns the rounds taken."""
    pending, rounds = {t for t in tasks if not t.done()}, 0
    while pending and rounds < 60:
        rounds += 1
        victims = pending if rounds == 1 else asyncio.all_tasks() - {asyncio.current_task()}
        for task in victims:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=grace_s if rounds == 1 else 1.0)
    if rounds > 1:
        print(f"note: still running {grace_s:.0f} s after cancel(); took {rounds} cancel rounds")
    return rounds


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


@contextlib.contextmanager
def profiled(enabled: bool, top: int = 30):
    """Print a cProfile of the body (by own CPU time, not wall time: on a shared machine
    wall time mostly measures the other processes) when ``enabled``."""
    prof = cProfile.Profile(time.process_time) if enabled else None
    if prof:
        prof.enable()
    try:
        yield
    finally:
        if prof:
            prof.disable()
            prof.dump_stats(os.environ.get("BENCH_PROFILE_OUT", "/dev/null"))
            pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(top)


def cpu_s_of(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
