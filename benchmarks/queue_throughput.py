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
script run from this folder. The full path lives in ``_full_path.py``, helpers shared
with ``fairness.py`` and ``memory.py`` in ``_support.py``. Exit code 0 for PASS and
FAIL; 2 when a part could not be measured.
Environment: SEEDREAM_BENCH_DATABASE_URL, SEEDREAM_REDIS_URL (default local servers).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from redis.asyncio import Redis  # noqa: E402

from benchmarks._full_path import measure_full  # noqa: E402
from benchmarks._support import REDIS_URL, drop_redis_keys, profiled  # noqa: E402
from benchmarks.accept import CannotMeasure  # noqa: E402
from core.messaging.keys import RedisKeys  # noqa: E402
from core.messaging.queue_redis import RedisJobQueue  # noqa: E402

QUEUE_TARGET = 0.1
_RPS_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?) requests per second")

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
    parser.add_argument(
        "--worker-processes", type=int, default=0, help="N worker processes instead (0: none)"
    )
    parser.add_argument("--concurrency", type=int, default=32, help="per worker")
    parser.add_argument("--submitters", type=int, default=8)
    parser.add_argument("--backlog", type=int, default=0, help="unfinished jobs (0: 3 x slots)")
    parser.add_argument("--accounts", type=int, default=64)
    parser.add_argument("--pool-size", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="cProfile the measured phases")
    args = parser.parse_args(argv)
    args.workers = args.worker_processes or args.workers
    args.backlog = args.backlog or 3 * args.workers * args.concurrency
    try:
        return asyncio.run(_main(args))
    except CannotMeasure as exc:
        print(f"queue_throughput benchmark could not measure: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
