"""The full job path of ``queue_throughput.py`` (``full_path_vs_pgbench_ratio``), with
moto's own ceiling and the adapter side draining the events. Not a benchmark itself:
``run_all.py`` skips files starting with ``_``."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
from sqlalchemy import text

from benchmarks._support import (
    PG_URL,
    REPO_ROOT,
    TINY_PNG,
    FixedProvider,
    bench_catalog,
    bench_settings,
    cpu_s_of,
    drop_redis_keys,
    make_users,
    pg_schema,
    profiled,
    stop_tasks,
)
from benchmarks.accept import CannotMeasure, PgTarget, measure_pgbench
from bot.bootstrap import bootstrap
from core.clock import utcnow
from core.messaging.keys import RedisKeys
from core.storage.sigv4 import S3Signer
from core.types import ImagineRequest, ReplyTarget

FULL_TARGET = 0.25

_MOTO_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1])\n"
    "from tests.support.moto import start_moto_server\n"
    "url, stop = start_moto_server(); print(url, flush=True); sys.stdin.read(); stop()\n"
)


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
            async with pg_schema(**pool) as (engine, schema), contextlib.AsyncExitStack() as stack:
                from core.storage.s3 import ensure_bucket, open_s3_client

                creds = {"access_key_id": "test", "secret_access_key": "test"}
                client = await open_s3_client(
                    stack, endpoint_url=endpoint, region="us-east-1", **creds
                )
                await ensure_bucket(client, bucket)
                await moto_ceiling(endpoint, bucket, moto_pid, 2.0)  # warm-up
                ceiling = await moto_ceiling(endpoint, bucket, moto_pid, args.seconds / 2)
                apps = [
                    await stack.enter_async_context(bootstrap(settings, engine=engine, **kwargs))
                    for _ in range(1 if args.worker_processes else args.workers)
                ]
                where = dict(schema=schema, prefix=prefix, data_dir=tmp, bucket=bucket)
                children = [
                    stack.enter_context(worker_process(args, endpoint, **where))
                    for _ in range(args.worker_processes)
                ]
                rate, window = await _drive(args, apps, moto_pid, children)
                return rate, window, ceiling
        finally:
            await drop_redis_keys(prefix)


@contextlib.contextmanager
def worker_process(args, endpoint: str, *, schema, prefix, data_dir, bucket):
    """A ``_bench_worker.py`` process on this run's schema; yields its pid once ready."""
    cmd = [sys.executable, str(REPO_ROOT / "benchmarks" / "_bench_worker.py")]
    cmd += ["--schema", schema, "--database-url", PG_URL, "--prefix", prefix]
    cmd += ["--data-dir", data_dir, "--s3-endpoint", endpoint, "--bucket", bucket]
    cmd += ["--concurrency", str(args.concurrency)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        if proc.stdout.readline().strip() != "ready":
            raise CannotMeasure("a worker process did not start")
        yield proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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


ENDED_SQL = """SELECT count(*) FILTER (WHERE status = 'succeeded'),
    count(*) FILTER (WHERE status IN ('failed', 'cancelled')) FROM jobs"""


async def _count_ended(app, counts: Counts, room: asyncio.Semaphore) -> None:
    """With worker processes: count the ended jobs in the database, every 20 ms."""
    while True:
        async with app.uow() as uow:
            ok, failed = (await uow.conn.execute(text(ENDED_SQL))).one()
        for _ in range(ok + failed - counts.finished - counts.failed):
            room.release()
        counts.finished, counts.failed = ok, failed
        await asyncio.sleep(0.02)


async def _drive(args, apps, moto_pid: int, children: list[int]) -> tuple[float, Counts]:
    core = apps[0].core
    actors = await make_users(core, args.accounts)
    counts = Counts()
    room = asyncio.Semaphore(args.backlog)

    for app in [] if children else apps:  # count terminal events as workers publish them
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

    if children:
        workers = [asyncio.create_task(_count_ended(apps[0], counts, room))]
    else:
        workers = [asyncio.create_task(app.worker.run()) for app in apps]
    submitters = [asyncio.create_task(submit(n)) for n in range(args.submitters)]
    try:
        await asyncio.sleep(args.warmup)
        if counts.finished == 0:
            raise CannotMeasure(f"no job finished during the warm-up ({counts})")
        before = dataclasses.replace(counts)
        start, cpu0, moto_cpu0 = time.perf_counter(), time.process_time(), cpu_s_of(moto_pid)
        children_cpu0 = sum(cpu_s_of(pid) for pid in children)
        with profiled(args.profile):
            await asyncio.sleep(args.seconds)
        elapsed = time.perf_counter() - start
        cpu_s, moto_cpu_s = time.process_time() - cpu0, cpu_s_of(moto_pid) - moto_cpu0
        cpu_s += sum(cpu_s_of(pid) for pid in children) - children_cpu0
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
        f"CPU per finished job: {cpu_s * per_job:.2f} ms in our process(es) (submit + queue"
        f" + worker + event publish), {moto_cpu_s * per_job:.2f} ms in moto"
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
    where = f"{args.worker_processes} process(es)" if args.worker_processes else "in-process"
    print(
        f"full path: {args.workers} worker(s) {where} x concurrency {args.concurrency}, "
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
