"""Benchmark: do light users wait behind a flood? (the fair claim in core.scheduling)

One user floods ``--flood`` jobs; shortly after the flood starts, ``--light`` other users
submit one job each, ``--light-interval-ms`` apart. One ``Worker`` (Redis queue,
PostgreSQL, concurrency ``--concurrency`` C) runs them against a provider that takes
``--service-ms`` per job. Every plan allows C running jobs, so the flooder alone could
occupy the whole worker. A light user's wait is ``started_at - created_at`` of its job
(from the jobs table); the goal is the p95 of those waits over the service time.

What it means: with a fair claim a light job waits for the next free slot, i.e. at most
about one service time (plus the light jobs ahead of it), however long the flood is; a
FIFO queue would make it wait for the flood jobs queued before it, flood_position / C x
service time. With the light users spaced one service time apart they do not queue
behind each other, so anything near 1 is ideal; ``--light-interval-ms 0`` sends them all
at once, and then even a perfect scheduler needs about ceil(light / C) service times.

Output ends with ``light_users_p95_wait_over_service_time: X (target <= 2) PASS|FAIL``;
exit code 0 for PASS and FAIL, 2 when nothing could be measured.
"""

from __future__ import annotations

import argparse
import asyncio
import math
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
    REDIS_URL,
    FixedProvider,
    bench_catalog,
    bench_settings,
    drop_redis_keys,
    make_users,
    percentile,
    pg_schema,
    stop_tasks,
)
from benchmarks.accept import CannotMeasure  # noqa: E402
from bot.bootstrap import bootstrap  # noqa: E402
from core.types import ImagineRequest, ReplyTarget  # noqa: E402

TARGET = 2.0

WAITS_SQL = """
SELECT extract(epoch FROM started_at - created_at) AS wait_s, status
FROM jobs WHERE id = ANY(:ids)"""
FLOOD_SQL = """
SELECT count(*) AS submitted, count(started_at) AS started,
       count(*) FILTER (WHERE status = 'succeeded') AS succeeded
FROM jobs WHERE account_id = (SELECT account_id FROM identities WHERE platform_user_id = :uid)"""


async def run(args) -> float:
    prefix = f"bench-{uuid.uuid4().hex[:10]}"
    service_s = args.service_ms / 1000
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(tmp), prefix, args.concurrency)
        catalog = bench_catalog(settings, max_running=args.concurrency)
        providers = {"local": FixedProvider(service_s)}
        try:
            async with (
                pg_schema() as (engine, _),
                bootstrap(
                    settings, engine=engine, catalog=catalog, providers=providers, migrate=False
                ) as app,
            ):
                return await _scenario(args, app, service_s)
        finally:
            await drop_redis_keys(prefix)


async def _scenario(args, app, service_s: float) -> float:
    (flooder,) = await make_users(app.core, 1, tag="flooder")
    lights = await make_users(app.core, args.light, tag="light")
    submitted: list[int] = [0]
    head_start = asyncio.Event()

    async def flood() -> None:
        target = ReplyTarget("bench", {"session": "flood"})
        for i in range(args.flood):
            await app.core.imagine(flooder, ImagineRequest(prompt=f"flood {i}"), target)
            submitted[0] += 1
            if submitted[0] >= args.head_start:
                head_start.set()

    async def light(n: int) -> str:
        await asyncio.sleep(n * args.light_interval_ms / 1000)
        target = ReplyTarget("bench", {"session": f"light{n}"})
        view = await app.core.imagine(lights[n], ImagineRequest(prompt=f"light {n}"), target)
        return view.job_id

    worker = asyncio.create_task(app.worker.run())
    flooding = asyncio.create_task(flood())
    started = time.perf_counter()
    try:
        await head_start.wait()
        lights_at, ahead = time.perf_counter() - started, submitted[0]
        ids = await asyncio.gather(*(light(n) for n in range(args.light)))
        deadline = time.monotonic() + 60 + args.light * service_s
        while True:  # until every light job ran
            async with app.uow() as uow:
                rows = (await uow.conn.execute(text(WAITS_SQL), {"ids": ids})).all()
                flood_row = (await uow.conn.execute(text(FLOOD_SQL), {"uid": "flooder0000"})).one()
            if all(r.status == "succeeded" for r in rows):
                break
            if time.monotonic() > deadline:
                raise CannotMeasure(f"light jobs still not done: {[r.status for r in rows]}")
            await asyncio.sleep(0.02)
        done_at = time.perf_counter() - started
    finally:
        await stop_tasks([flooding, worker])
    waits = [float(r.wait_s) for r in rows]
    p50, p95, worst = (percentile(waits, q) for q in (50, 95, 100))
    ratio = p95 / service_s
    fifo_s = ahead / args.concurrency * service_s  # the flood jobs queued before them
    print(f"service time: {args.service_ms:.0f} ms; worker concurrency {args.concurrency}")
    print(
        f"flood: {args.flood} jobs by one user (plan max running {args.concurrency}); "
        f"{args.light} light users from {lights_at * 1000:.0f} ms, "
        f"{args.light_interval_ms:.0f} ms apart"
    )
    print(
        f"flooder when the last light job ended ({done_at:.2f} s after the flood began): "
        f"{flood_row.submitted} submitted, {flood_row.started} started, "
        f"{flood_row.succeeded} succeeded"
    )
    print(
        f"light waits ms: p50 {p50 * 1000:.0f}  p95 {p95 * 1000:.0f}  max {worst * 1000:.0f}"
        f"  (FIFO behind the flood would be ~{fifo_s * 1000:.0f} ms; all-at-once floor"
        f" ~{math.ceil(args.light / args.concurrency) * args.service_ms:.0f} ms)"
    )
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"light_users_p95_wait_over_service_time: {ratio:.2f} (target <= {TARGET}) {verdict}")
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flood", type=int, default=1000)
    parser.add_argument("--light", type=int, default=20)
    parser.add_argument("--service-ms", type=float, default=100.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--light-interval-ms", type=float, default=100.0)
    parser.add_argument("--head-start", type=int, default=100, help="flood jobs before lights")
    args = parser.parse_args(argv)
    print(f"redis: {REDIS_URL}", flush=True)
    try:
        asyncio.run(run(args))
    except (CannotMeasure, OSError) as exc:
        print(f"fairness benchmark could not measure: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
