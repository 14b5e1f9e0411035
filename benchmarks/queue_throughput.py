"""Benchmark: the Redis job queue and the whole job path, each beside a reference tool.

1. ``queue_noop_vs_redis_xadd_ratio``: no-op messages through ``RedisJobQueue``
   (``enqueue_many`` batches and, concurrently, ``receive(max_count=100)`` + ``ack``):
   completed cycles/s for ``--messages`` messages, beside ``redis-benchmark -c 8 XADD``.
2. ``full_path_vs_pgbench_ratio``: ``Core.imagine`` → Redis queue → ``Worker`` (same
   process) → a 0 ms provider returning a 1x1 PNG → S3 (moto over HTTP, in a child
   process so it does not take our GIL) → job succeeded → ``finished`` event on Redis.
   Finished jobs/s over ``--seconds`` after a warm-up (at most ``--backlog`` jobs
   unfinished), beside ``pgbench -N -c 8 -j 2`` on the same PostgreSQL.

Not named ``queue.py``: that would shadow the standard library's ``queue`` for every
script run from this folder. The helpers below are shared with ``fairness.py`` and
``memory.py``. Exit code 0 for PASS and FAIL; 2 when a part could not be measured.
Environment: SEEDREAM_BENCH_DATABASE_URL, SEEDREAM_REDIS_URL (default local servers).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import dataclasses
import io
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import aiohttp  # noqa: E402
from PIL import Image  # noqa: E402
from redis.asyncio import Redis  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from benchmarks.accept import DEFAULT_URL, CannotMeasure, PgTarget, measure_pgbench  # noqa: E402
from bot.bootstrap import bootstrap  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.settings import Settings  # noqa: E402
from core.catalog import ProviderLimits, load_catalog  # noqa: E402
from core.db import make_engine  # noqa: E402
from core.keys import RedisKeys  # noqa: E402
from core.models import utcnow  # noqa: E402
from core.providers import GeneratedImage, GenerationResult  # noqa: E402
from core.queue_redis import RedisJobQueue  # noqa: E402
from core.sigv4 import S3Signer  # noqa: E402
from core.types import Actor, ImagineRequest, ReplyTarget  # noqa: E402

REDIS_URL = os.environ.get("SEEDREAM_REDIS_URL", "redis://127.0.0.1:6379/0")
PG_URL = os.environ.get("SEEDREAM_BENCH_DATABASE_URL", DEFAULT_URL)
QUEUE_TARGET, FULL_TARGET = 0.1, 0.25
_RPS_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?) requests per second")

# -- helpers shared with fairness.py and memory.py -------------------------------------


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
        await core.admin_grant(actor, 10**8, reason="benchmark", reference=f"b:{actor}")
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


# -- 1. queue ----------------------------------------------------------------------------


def redis_benchmark_xadd(key: str) -> float:
    exe = shutil.which("redis-benchmark")
    if exe is None:
        raise CannotMeasure(
            "redis-benchmark is not on PATH (Debian/Ubuntu: apt install redis-tools)"
        )
    url = urlparse(REDIS_URL)
    cmd = [exe, "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 6379)]
    cmd += ["-n", "100000", "-c", "8", "-q"]
    proc = subprocess.run(
        [*cmd, "XADD", key, "*", "f", "v"], capture_output=True, text=True, timeout=300
    )
    found = _RPS_RE.findall(proc.stdout.replace("\r", "\n"))
    if proc.returncode != 0 or not found:
        raise CannotMeasure(
            f"redis-benchmark failed ({proc.returncode}): {proc.stdout}{proc.stderr}"
        )
    return float(found[-1])


async def queue_cycles(prefix: str, messages: int, batch: int) -> tuple[float, float]:
    """(completed cycles/s, producer-only enqueues/s) through one stream."""
    redis = Redis.from_url(REDIS_URL)
    keys = RedisKeys(prefix=prefix)
    producer = RedisJobQueue(redis, keys=keys, consumer="bench-producer")
    consumer = RedisJobQueue(redis, keys=keys, consumer="bench-consumer")
    try:
        await consumer.ensure_group()
        ids = [uuid.uuid4().hex for _ in range(messages)]
        done, produced_at = 0, 0.0

        async def produce() -> None:
            nonlocal produced_at
            for i in range(0, messages, batch):
                await producer.enqueue_many(ids[i : i + batch])
            produced_at = time.perf_counter()

        async def consume() -> None:
            nonlocal done
            while done < messages:
                got = await consumer.receive(max_count=100, timeout_s=2.0)
                if not got and produced_at:
                    raise CannotMeasure(f"queue lost messages: {done} of {messages} came back")
                await consumer.ack(got)
                done += len(got)

        start = time.perf_counter()
        await asyncio.gather(produce(), consume())
        elapsed = time.perf_counter() - start
        return messages / elapsed, messages / (produced_at - start)
    finally:
        await redis.aclose()


async def measure_queue(args) -> float:
    prefix = f"bench-{uuid.uuid4().hex[:10]}"
    try:
        print("redis-benchmark -n 100000 -c 8 XADD ...", flush=True)
        xadd = await asyncio.to_thread(redis_benchmark_xadd, f"{prefix}:redis-benchmark")
        print(f"redis-benchmark XADD requests/s: {xadd:.0f}", flush=True)
        await queue_cycles(f"{prefix}:warmup", 2000, args.batch)
        with profiled(args.profile):
            ours, enqueues = await queue_cycles(prefix, args.messages, args.batch)
    finally:
        await drop_redis_keys(prefix)
    ratio = ours / xadd
    print(f"queue: {args.messages} messages, enqueue_many batches of {args.batch}, receive(100)")
    print(f"queue no-op cycles/s: {ours:.0f} (producer alone enqueued {enqueues:.0f}/s)")
    verdict = "PASS" if ratio >= QUEUE_TARGET else "FAIL"
    print(f"queue_noop_vs_redis_xadd_ratio: {ratio:.3f} (target >= {QUEUE_TARGET}) {verdict}")
    return ratio


# -- 2. the full job path --------------------------------------------------------------

_MOTO_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1])\n"
    "from tests.support.moto import start_moto_server\n"
    "url, stop = start_moto_server(); print(url, flush=True); sys.stdin.read(); stop()\n"
)


def cpu_s_of(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def moto_process():
    """tests.support.moto.start_moto_server() in a child process; yields (URL, pid)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _MOTO_CHILD, str(REPO_ROOT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        if not url.startswith("http"):
            raise CannotMeasure("the moto server did not start")
        yield url, proc.pid
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


SUMMARY_SQL = """
SELECT count(*) FILTER (WHERE status = 'succeeded') AS ok, count(*) AS n,
       1000 * percentile_cont(0.5) WITHIN GROUP
           (ORDER BY extract(epoch FROM finished_at - created_at)) AS p50,
       (SELECT storage_key FROM images LIMIT 1) AS key
FROM jobs"""


@dataclasses.dataclass
class Counts:
    accepted: int = 0
    finished: int = 0
    failed: int = 0


async def measure_full_path(args) -> tuple[float, Counts, float]:
    prefix = f"bench-{uuid.uuid4().hex[:10]}"
    bucket = f"bench-{uuid.uuid4().hex[:10]}"
    pool = {"pool_size": args.pool_size, "max_overflow": 10}
    with tempfile.TemporaryDirectory() as tmp, moto_process() as (endpoint, moto_pid):
        s3 = dict(s3_bucket=bucket, s3_endpoint_url=endpoint, s3_region="us-east-1")
        s3 |= dict(s3_access_key_id="test", s3_secret_access_key="test")
        settings = bench_settings(Path(tmp), prefix, args.concurrency, **s3)
        catalog = bench_catalog(settings, max_running=10**6)
        provider = FixedProvider(0.0)
        kwargs = dict(catalog=catalog, migrate=False, providers={"local": provider})
        try:
            async with pg_schema(**pool) as (engine, _), contextlib.AsyncExitStack() as stack:
                from core.storage_s3 import ensure_bucket, open_s3_client

                creds = {"access_key_id": "test", "secret_access_key": "test"}
                client = await open_s3_client(
                    stack, endpoint_url=endpoint, region="us-east-1", **creds
                )
                await ensure_bucket(client, bucket)
                await moto_ceiling(endpoint, bucket, moto_pid, 2.0)  # warm-up
                ceiling = await moto_ceiling(endpoint, bucket, moto_pid, args.seconds / 2)
                apps = [
                    await stack.enter_async_context(bootstrap(settings, engine=engine, **kwargs))
                    for _ in range(args.workers)
                ]
                rate, window = await _drive(args, apps, moto_pid)
                return rate, window, ceiling
        finally:
            await drop_redis_keys(prefix)


async def moto_ceiling(endpoint: str, bucket: str, pid: int, seconds: float) -> float:
    """PUTs/s the moto server takes from a minimal client (SigV4 signed, aiohttp, 16 at
    once, nothing else running here): the most any full path through it can reach."""
    signer = S3Signer(endpoint, "us-east-1", "test", "test")
    done, deadline = 0, time.perf_counter() + seconds

    async def put_loop(session: aiohttp.ClientSession, n: int) -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            key = f"ceiling/{n}/{done}.png"
            url, headers = signer.put_object(bucket, key, TINY_PNG, "image/png", now=utcnow())
            async with session.put(url, data=TINY_PNG, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise CannotMeasure(f"moto refused a PUT: HTTP {response.status}")
            done += 1

    cpu0, start = cpu_s_of(pid), time.perf_counter()
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(put_loop(session, n) for n in range(16)))
    rate = done / (time.perf_counter() - start)
    if seconds >= 3:
        moto_ms = 1000 * (cpu_s_of(pid) - cpu0) / max(1, done)
        print(f"moto alone: {rate:.0f} PUT/s from a minimal client, {moto_ms:.2f} ms moto CPU/PUT")
    return rate


async def _drive(args, apps, moto_pid: int) -> tuple[float, Counts]:
    core = apps[0].core
    actors = await make_users(core, args.accounts)
    counts = Counts()
    room = asyncio.Semaphore(args.backlog)

    for app in apps:  # count terminal events as the workers publish them
        original = app.events.publish

        async def publish(event, _original=original):
            sent = await _original(event)
            if event.kind in ("finished", "failed", "cancelled"):
                counts.finished += event.kind == "finished"
                counts.failed += event.kind != "finished"
                room.release()
            return sent

        app.events.publish = publish

    stopping = False

    async def submit(n: int) -> None:
        target = ReplyTarget("bench", {"session": f"s{n}"})
        for i in range(n, 10**9, args.submitters):
            await room.acquire()
            if stopping:
                return
            await core.imagine(actors[i % len(actors)], ImagineRequest(prompt=f"fox {i}"), target)
            counts.accepted += 1

    workers = [asyncio.create_task(app.worker.run()) for app in apps]
    submitters = [asyncio.create_task(submit(n)) for n in range(args.submitters)]
    try:
        await asyncio.sleep(args.warmup)
        if counts.finished == 0:
            raise CannotMeasure(f"no job finished during the warm-up ({counts})")
        before = dataclasses.replace(counts)
        start, cpu0, moto_cpu0 = time.perf_counter(), time.process_time(), cpu_s_of(moto_pid)
        with profiled(args.profile):
            await asyncio.sleep(args.seconds)
        elapsed = time.perf_counter() - start
        cpu_s, moto_cpu_s = time.process_time() - cpu0, cpu_s_of(moto_pid) - moto_cpu0
        done = dataclasses.replace(counts)
    finally:
        stopping = True
        for _ in submitters:
            room.release()
        await asyncio.wait(submitters, timeout=10)
        await stop_tasks(workers + submitters)
    window = Counts(*(a - b for a, b in zip(vars(done).values(), vars(before).values())))  # noqa: B905
    per_job = 1000 / max(1, window.finished)
    print(
        f"CPU per finished job: {cpu_s * per_job:.2f} ms here (submit + queue + worker + "
        f"delivery publish), {moto_cpu_s * per_job:.2f} ms in moto"
    )
    async with apps[0].uow() as uow:
        row = (await uow.conn.execute(text(SUMMARY_SQL))).one()
    stored = await apps[0].storage.get(row.key)
    print(
        f"jobs in all: {row.n} accepted, {row.ok} succeeded; median accept→finish {row.p50:.0f} ms"
    )
    print(f"S3 check: {row.key} read back: {len(stored)} bytes, same PNG: {stored == TINY_PNG}")
    await measure_delivery(apps[0])
    return window.finished / elapsed, window


async def measure_delivery(app) -> None:
    """Drain the events the full path left on the ``bench`` stream (queued, started,
    finished per job) through the adapter side of the bus: markers for progress events,
    database claims for terminal ones. Prints handed-over events/s; no target."""
    stream = RedisKeys(prefix=app.settings.redis_prefix).events_stream("bench")
    waiting = await app.redis.xlen(stream)
    handed, drained = 0, asyncio.Event()

    async def handler(event) -> None:
        nonlocal handed
        handed += 1
        if handed >= waiting:
            drained.set()

    app.events.register("bench", handler)
    start, cpu0 = time.perf_counter(), time.process_time()
    consumer = asyncio.create_task(app.events.consume())
    try:
        async with asyncio.timeout(120):
            await drained.wait()
    except TimeoutError:
        print(f"delivery: only {handed} of {waiting} events handed over in 120 s")
    finally:
        await stop_tasks([consumer])
    elapsed, cpu_s = time.perf_counter() - start, time.process_time() - cpu0
    print(
        f"delivery: {handed} events handed over in {elapsed:.1f} s: {handed / elapsed:.0f} "
        f"events/s, {1000 * cpu_s / max(1, handed):.2f} ms CPU each"
    )


async def measure_full(args) -> float:
    pg = PgTarget.from_url(PG_URL)
    print(f"pgbench -N -c 8 -j 2 -T {args.seconds} ...", flush=True)
    tps = await measure_pgbench(pg, clients=8, seconds=args.seconds)
    print(f"pgbench -N tps: {tps:.1f}", flush=True)
    print(
        f"full path: {args.workers} worker(s) x concurrency {args.concurrency}, "
        f"{args.submitters} submitters, backlog <= {args.backlog}, {args.accounts} accounts, "
        f"pool {args.pool_size}+10, {args.seconds} s after {args.warmup} s warm-up ...",
        flush=True,
    )
    rate, window, ceiling = await measure_full_path(args)
    print(f"window: {window.accepted} accepted, {window.finished} finished, {window.failed} failed")
    print(f"full path jobs/s: {rate:.1f}")
    print(f"pgbench -N tps: {tps:.1f}")
    print(
        f"moto ceiling (its PUT/s alone) vs pgbench: {ceiling / tps:.3f}; "
        f"full path vs moto ceiling: {rate / ceiling:.3f}"
    )
    ratio = rate / tps
    verdict = "PASS" if ratio >= FULL_TARGET else "FAIL"
    print(f"full_path_vs_pgbench_ratio: {ratio:.3f} (target >= {FULL_TARGET}) {verdict}")
    return ratio


async def _main(args) -> int:
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except OSError as exc:
        raise CannotMeasure(f"Redis is not reachable at {REDIS_URL}: {exc}") from exc
    finally:
        await redis.aclose()
    missing = 0  # a part that cannot measure does not stop the other; the exit code says it
    for name, step in (("queue", measure_queue), ("full", measure_full)):
        if args.only in (None, name):
            try:
                await step(args)
            except CannotMeasure as exc:
                print(f"{name} benchmark could not measure: {exc}", file=sys.stderr, flush=True)
                missing += 1
    return 2 if missing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("queue", "full"))
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=100, help="ids per enqueue_many")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=1, help="Worker objects in-process")
    parser.add_argument("--concurrency", type=int, default=32, help="per worker")
    parser.add_argument("--submitters", type=int, default=8)
    parser.add_argument("--backlog", type=int, default=0, help="unfinished jobs (0: 3 x slots)")
    parser.add_argument("--accounts", type=int, default=64)
    parser.add_argument("--pool-size", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="cProfile the measured phases")
    args = parser.parse_args(argv)
    args.backlog = args.backlog or 3 * args.workers * args.concurrency
    try:
        return asyncio.run(_main(args))
    except CannotMeasure as exc:
        print(f"queue_throughput benchmark could not measure: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
