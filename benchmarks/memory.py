"""Benchmark: the resident memory of one worker process holding 1,000 jobs in flight.

A child process runs one ``Worker`` (``bot.bootstrap`` on PostgreSQL with the default
pool of 10 + 10 connections, the Redis queue, concurrency ``--jobs``) against a provider
that sleeps ``--sleep-s`` per job. The parent submits ``--jobs`` jobs through
``Core.imagine`` (many accounts, limits lifted), polls the jobs table until all of them
are ``running``, and reads the child's ``VmRSS`` from ``/proc/<pid>/status`` (also before
the first job, and the peak ``VmHWM``). Then it sends SIGTERM (the child cancels the
worker, which hands every job back) and reports how the stop went. The child's log is
scanned for claims that timed out waiting for a pooled connection (``pool_timeout``).

Output ends with ``worker_rss_mb_with_1000_inflight: X (target <= 300) PASS|FAIL``; exit
code 0 for PASS and FAIL, 2 when nothing could be measured.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import text  # noqa: E402

from benchmarks._support import (  # noqa: E402
    PG_URL,
    FixedProvider,
    bench_catalog,
    bench_settings,
    drop_redis_keys,
    make_users,
    pg_schema,
    stop_tasks,
)
from benchmarks.accept import CannotMeasure  # noqa: E402
from bot.bootstrap import bootstrap  # noqa: E402
from core.db.engine import make_engine  # noqa: E402
from core.types import ImagineRequest, ReplyTarget  # noqa: E402

TARGET_MB = 300.0
STATUS_SQL = """
SELECT count(*) FILTER (WHERE status = 'running') AS running,
       count(*) FILTER (WHERE status = 'queued') AS queued,
       count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
       count(*) FILTER (WHERE status = 'failed') AS failed,
       count(*) FILTER (WHERE status = 'queued' AND attempts > 0) AS charged
FROM jobs"""


def proc_status_mb(pid: int | str = "self") -> dict[str, float]:
    """VmRSS, VmHWM, ... of a process in MB, from /proc/<pid>/status."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key.startswith("Vm") and rest.strip().endswith("kB"):
            values[key] = int(rest.split()[0]) / 1024
    return values


# -- the child: one worker ---------------------------------------------------------------


async def child(args) -> None:
    engine = make_engine(PG_URL, connect_args={"server_settings": {"search_path": args.schema}})
    providers = {"local": FixedProvider(args.sleep_s)}
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(tmp), args.prefix, args.jobs)
        catalog = bench_catalog(settings, max_running=10**6)
        kwargs = dict(engine=engine, catalog=catalog, providers=providers, migrate=False)
        try:
            async with bootstrap(settings, **kwargs) as app:
                worker = asyncio.create_task(app.worker.run())
                print("ready", flush=True)
                await stop.wait()
                began = time.perf_counter()
                rounds = await stop_tasks([worker], grace_s=args.grace_s)
                print(f"stopped in {time.perf_counter() - began:.1f} s, {rounds} cancel round(s)")
        finally:
            await engine.dispose()


# -- the parent --------------------------------------------------------------------------


async def run(args) -> float:
    prefix = f"bench-{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(tmp), prefix, 1)
        catalog = bench_catalog(settings, max_running=10**6)
        try:
            async with (
                pg_schema() as (engine, schema),
                bootstrap(settings, engine=engine, catalog=catalog, migrate=False) as app,
            ):
                actors = await make_users(app.core, args.accounts)
                proc = await asyncio.create_subprocess_exec(
                    *(sys.executable, __file__, "--child", "--schema", schema),
                    *("--prefix", prefix, "--jobs", str(args.jobs), "--sleep-s", str(args.sleep_s)),
                    *("--grace-s", str(args.grace_s)),
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                )
                log: list[str] = []  # the child's stderr, line by line
                reader = asyncio.create_task(_collect(proc.stderr, log))
                try:
                    return await _measure(args, app, actors, proc, log, reader)
                finally:
                    reader.cancel()
                    if proc.returncode is None:
                        proc.kill()
                        await proc.wait()
        finally:
            await drop_redis_keys(prefix)


async def _collect(stream, lines: list[str]) -> None:
    while line := await stream.readline():
        lines.append(line.decode(errors="replace"))


def _errors(lines: list[str]) -> str:
    """'N× ExceptionType: message' for each distinct last line of a traceback."""
    counts: dict[str, int] = {}
    for n, line in enumerate(lines):
        if not line.startswith((" ", "Traceback")) and n and lines[n - 1].startswith(" "):
            counts[line.strip()[:120]] = counts.get(line.strip()[:120], 0) + 1
    return "; ".join(f"{c}x {e}" for e, c in counts.items()) or "none"


async def _measure(args, app, actors, proc, log, reader) -> float:
    line = await asyncio.wait_for(proc.stdout.readline(), 60)
    if line.strip() != b"ready":
        raise CannotMeasure(f"the worker process did not start: {line!r}")
    await asyncio.sleep(1.0)
    idle = proc_status_mb(proc.pid)
    began = time.perf_counter()

    async def submit(n: int) -> None:
        target = ReplyTarget("bench", {"session": f"s{n}"})
        for i in range(n, args.jobs, 8):
            await app.core.imagine(actors[i % len(actors)], ImagineRequest(prompt=f"p {i}"), target)

    await asyncio.gather(*(submit(n) for n in range(8)))
    submitted_s = time.perf_counter() - began
    best, rows = 0, None
    deadline = began + args.sleep_s * 0.9  # the first jobs end after sleep_s
    while time.perf_counter() < deadline:
        async with app.uow() as uow:
            rows = (await uow.conn.execute(text(STATUS_SQL))).one()
        best = max(best, rows.running)
        if rows.running >= args.jobs:
            break
        await asyncio.sleep(0.1)
    all_running_s = time.perf_counter() - began
    loaded = proc_status_mb(proc.pid)
    await asyncio.sleep(1.0)
    later = proc_status_mb(proc.pid)
    before_stop = list(log)
    proc.send_signal(signal.SIGTERM)
    try:
        out = await asyncio.wait_for(proc.stdout.read(), args.grace_s + 90)
        await asyncio.wait_for(reader, 10)
    except TimeoutError:
        out = b"(did not stop in time; killed)"
    async with app.uow() as uow:
        after = (await uow.conn.execute(text(STATUS_SQL))).one()
    during_stop = log[len(before_stop) :]
    pool_timeouts = "".join(before_stop).count("QueuePool limit")
    print(f"jobs: {args.jobs} over {len(actors)} accounts; provider sleeps {args.sleep_s:.0f} s")
    print(f"submitted in {submitted_s:.1f} s; running at most {best} (target {args.jobs})")
    print(f"all running after {all_running_s:.1f} s" if best >= args.jobs else "NOT all running")
    print(f"worker RSS MB: idle {idle['VmRSS']:.1f}, with jobs in flight {loaded['VmRSS']:.1f}")
    print(f"  1 s later {later['VmRSS']:.1f}, peak (VmHWM) {later['VmHWM']:.1f}")
    print(f"  per in-flight job: {(loaded['VmRSS'] - idle['VmRSS']) * 1024 / args.jobs:.0f} kB")
    print(f"claims that timed out on the connection pool: {pool_timeouts}")
    print(f"worker errors while running: {_errors(before_stop)}")
    print(f"worker errors while stopping: {_errors(during_stop)}")
    print(f"stop (SIGTERM): {out.decode().strip() or '(no report)'}")
    print(
        f"jobs after the stop: {after.queued} queued, {after.running} running, "
        f"{after.succeeded} succeeded, {after.failed} failed; {after.charged} with an attempt used"
    )
    if best < args.jobs:
        raise CannotMeasure(f"only {best} of {args.jobs} jobs were ever running at once")
    rss = loaded["VmRSS"]
    verdict = "PASS" if rss <= TARGET_MB else "FAIL"
    print(f"worker_rss_mb_with_1000_inflight: {rss:.1f} (target <= {TARGET_MB:.0f}) {verdict}")
    return rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1000, help="= the worker's concurrency")
    parser.add_argument("--sleep-s", type=float, default=30.0)
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--grace-s", type=float, default=45.0, help="to stop after SIGTERM")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--schema", help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        asyncio.run(child(args))
        return 0
    try:
        asyncio.run(run(args))
    except (CannotMeasure, OSError) as exc:
        print(f"memory benchmark could not measure: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
