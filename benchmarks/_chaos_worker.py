"""One worker process of the chaos benchmark (``benchmarks/chaos.py`` starts, SIGKILLs
and restarts several of these). Not a benchmark itself: ``run_all.py`` skips files
starting with ``_``.

It is the production worker built by ``bot.bootstrap`` on the chaos run's PostgreSQL
schema and Redis, with one difference: the image service is ``ChaosProvider``, which
answers after a random 0-50 ms and fails 10% of calls with a transient error (with
``--provider flapping``: ``FlappingProvider``, for the flapping scenario). The worker
id is the ``--worker-name`` given by the orchestrator, so that it can tell which jobs a
killed process held.

Usage: python benchmarks/_chaos_worker.py --schema S --redis-url URL --prefix P
    --data-dir DIR --worker-name NAME [--concurrency N] [--heartbeat-s H] [--seed K]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import io
import logging
import random
import signal
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from PIL import Image  # noqa: E402

from bot.bootstrap import bootstrap  # noqa: E402
from bot.settings import Settings  # noqa: E402
from core.catalog import Catalog, ProviderLimits, load_catalog  # noqa: E402
from core.db.engine import make_engine  # noqa: E402
from core.errors import ProviderRefused, ProviderTransient  # noqa: E402
from core.providers import GeneratedImage, GenerationResult, GenerationSpec  # noqa: E402

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
UNLIMITED = 1_000_000


def tiny_png() -> bytes:
    """An 8x8 PNG, made once per process and returned for every image."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buf, format="PNG")
    return buf.getvalue()


class ChaosProvider:
    """Random latency, 10% transient failures, otherwise ``image_count`` tiny PNGs."""

    name = "local"

    def __init__(self, *, seed: int, failure_rate: float = 0.10, max_latency_s: float = 0.05):
        self._rng = random.Random(seed)
        self._failure_rate = failure_rate
        self._max_latency_s = max_latency_s
        self._png = tiny_png()

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        await asyncio.sleep(self._rng.uniform(0.0, self._max_latency_s))
        if self._rng.random() < self._failure_rate:
            raise ProviderTransient(reason="chaos")
        image = GeneratedImage(self._png, "image/png", 8, 8)
        return GenerationResult(images=[image] * spec.image_count)


class FlappingProvider(ChaosProvider):
    """A service that flaps: each call, after 0-50 ms, fails (transient), refuses the
    prompt, hangs (until the provider or job timeout cuts it) or answers."""

    OUTCOMES = ("transient", "refused", "hangs", "answers")

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        await asyncio.sleep(self._rng.uniform(0.0, self._max_latency_s))
        outcome = self._rng.choices(self.OUTCOMES, weights=(3, 2, 2, 3))[0]
        if outcome == "transient":
            raise ProviderTransient(reason="flapping")
        if outcome == "refused":
            raise ProviderRefused(reason="flapping")
        if outcome == "hangs":
            await asyncio.Event().wait()
        image = GeneratedImage(self._png, "image/png", 8, 8)
        return GenerationResult(images=[image] * spec.image_count)


def chaos_catalog(
    *, max_concurrency: int = 1000, provider_timeout_s: float | None = None
) -> Catalog:
    """The shipped catalogue with the per-plan job limits and the local provider's
    concurrency lifted: the chaos run measures recovery, not the plans' throttles.
    (The flapping scenario sets a small concurrency and a short timeout instead.)"""
    base = load_catalog()
    plans = {
        pid: dataclasses.replace(p, max_queued_jobs=UNLIMITED, max_running_jobs=UNLIMITED)
        for pid, p in base.plans.items()
    }
    local = base.provider_limits("local")
    providers = {
        **base.providers,
        "local": ProviderLimits(
            max_concurrency=max_concurrency, timeout_s=provider_timeout_s or local.timeout_s
        ),
    }
    return dataclasses.replace(base, plans=plans, providers=providers)


def chaos_settings(
    *,
    redis_url: str,
    prefix: str,
    data_dir: Path,
    concurrency: int,
    heartbeat_s: float,
    **overrides,
) -> Settings:
    """Shared by the orchestrator and the workers: short heartbeats, reconciles,
    redelivery grace and retry backoffs, no per-user rate limits; ``overrides`` are
    further settings (the flapping scenario's deadline, timeouts and breaker)."""
    return Settings(
        _env_file=None,
        redis_url=redis_url,
        redis_prefix=prefix,
        data_dir=data_dir,
        signing_secret="chaos-signing-secret-0123456789",
        public_base_url="http://127.0.0.1:9",
        worker_concurrency=concurrency,
        heartbeat_interval_s=heartbeat_s,
        reconcile_interval_s=max(0.5, heartbeat_s / 3),
        redeliver_after_s=3.0,
        retry_base_delay_s=0.2,
        retry_max_delay_s=2.0,
        user_requests_per_minute=0,
        chat_requests_per_minute=0,
        **overrides,
    )


def schema_engine(database_url: str, schema: str, *, pool_size: int, max_overflow: int):
    # Small pools: several of these processes share PostgreSQL's 100 connections.
    return make_engine(
        database_url,
        connect_args={"server_settings": {"search_path": schema}},
        pool_size=pool_size,
        max_overflow=max_overflow,
    )


async def main(args: argparse.Namespace) -> None:
    settings = chaos_settings(
        redis_url=args.redis_url,
        prefix=args.prefix,
        data_dir=Path(args.data_dir),
        concurrency=args.concurrency,
        heartbeat_s=args.heartbeat_s,
        **flapping_settings(args),
    )
    engine = schema_engine(args.database_url, args.schema, pool_size=6, max_overflow=6)
    flapping = args.provider == "flapping"
    provider = (FlappingProvider if flapping else ChaosProvider)(seed=args.seed)
    catalog = chaos_catalog()
    if flapping:
        catalog = chaos_catalog(
            max_concurrency=args.max_concurrency, provider_timeout_s=args.provider_timeout_s
        )
    try:
        async with bootstrap(
            settings, engine=engine, migrate=False, providers={"local": provider}, catalog=catalog
        ) as app:
            # A deterministic id (read at claim time) lets the orchestrator find the jobs
            # this process held when it SIGKILLs it.
            app.worker.worker_id = args.worker_name
            runner = asyncio.create_task(app.worker.run())
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGTERM, runner.cancel)
            loop.add_signal_handler(signal.SIGINT, runner.cancel)
            try:
                await runner
            except asyncio.CancelledError:
                pass  # SIGTERM: the worker handed its jobs back on the way out
    finally:
        await engine.dispose()


def flapping_settings(args: argparse.Namespace) -> dict:
    """The flapping scenario's settings: its deadline, this worker's job timeout, and a
    breaker that opens after two failures and tries again after half a second."""
    if args.provider != "flapping":
        return {}
    return dict(
        job_deadline_s=args.job_deadline_s,
        job_timeout_s=args.job_timeout_s,
        provider_failure_threshold=2,
        provider_cooldown_s=0.5,
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--schema", required=True)
    p.add_argument("--database-url", default=DEFAULT_URL)
    p.add_argument("--redis-url", required=True)
    p.add_argument("--prefix", required=True)
    p.add_argument("--data-dir", required=True)
    p.add_argument("--worker-name", required=True)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--heartbeat-s", type=float, default=5.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--provider", choices=("chaos", "flapping"), default="chaos")
    p.add_argument("--job-deadline-s", type=float, default=1800.0)
    p.add_argument("--job-timeout-s", type=float, default=300.0)
    p.add_argument("--provider-timeout-s", type=float, default=2.0)
    p.add_argument("--max-concurrency", type=int, default=2, help="provider slots, all workers")
    return p.parse_args(argv)


if __name__ == "__main__":
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(main(parse_args()))
