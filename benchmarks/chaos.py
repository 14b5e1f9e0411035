"""Chaos benchmark: jobs keep their money and delivery guarantees while workers and Redis die.

What it does
    Starts its own ``redis-server`` on a free loopback port and a fresh PostgreSQL schema
    ``chaos_<random>``; starts ``--workers`` worker processes (``_chaos_worker.py``: the
    real worker with a provider of random latency and 10% transient failures); submits
    ``--jobs`` /imagine requests of ``--users`` accounts through ``Core.imagine`` in this
    process, which also consumes the delivery stream (platform "chaos") and counts every
    event handed to it. Every ``--kill-every-s`` a random worker is SIGKILLed and
    restarted; once, about a third of the way through, Redis is SIGKILLed and restarted
    empty (streams, groups, markers all gone: the reconcilers must recover). When every
    job is terminal and delivered (bounded wait), the ledger and the deliveries are
    audited.

Re-claim time
    After each SIGKILL the jobs still ``running`` under the dead worker's id are
    followed until each is terminal or running under another worker; the time from the
    kill to the last of them is that kill's re-claim time (``kills.log`` in the logs
    directory has, per kill, when the jobs were requeued and when re-claimed). A worker
    that exits on its own is restarted as a supervisor would, and reported as
    ``worker_crashes``.

Every image of every succeeded job must be in storage, not only in the database
(``images_missing_in_storage``).

Output: the counts, then one goal line per defect count (target ``== 0``) and
``reclaim_after_sigkill_max_s: X (target <= 15) PASS|FAIL``. Exit 1 when a goal FAILs.
``--keep-dir`` keeps the worker logs and images (deleted otherwise).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import faulthandler
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
for path in (str(HERE.parent), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

from _chaos_worker import (  # noqa: E402
    DEFAULT_URL,
    ChaosProvider,
    chaos_catalog,
    chaos_settings,
    schema_engine,
)
from sqlalchemy import bindparam, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from bot.bootstrap import bootstrap  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from core.db.engine import make_engine  # noqa: E402
from core.ledger import conservation_gap  # noqa: E402
from core.types import Actor, ImagineRequest, JobEvent, ReplyTarget  # noqa: E402

FINAL = ("succeeded", "failed", "cancelled")
TERMINAL_KIND = {"succeeded": "finished", "failed": "failed", "cancelled": "cancelled"}
RECLAIM_TARGET_S = 15.0
GRANT = 10_000_000


def _die_with_parent() -> None:
    """Runs in each child before exec: SIGKILL it when this process dies, however it
    dies (Linux prctl PR_SET_PDEATHSIG), so no worker or Redis outlives a killed run."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


def _popen(cmd: list[str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A redis-server child on a fixed port, so that it can be killed and restarted."""

    def __init__(self, port: int, log: Path) -> None:
        self.port, self.log, self.proc = port, log, None

    async def start(self) -> None:
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        cmd += ["--appendonly", "no", "--daemonize", "no"]
        self.proc = _popen(cmd, self.log)
        for _ in range(200):  # wait until PING answers
            with contextlib.suppress(OSError):
                r, w = await asyncio.open_connection("127.0.0.1", self.port)
                w.write(b"PING\r\n")
                ok = (await r.readline()).startswith(b"+PONG")
                w.close()
                if ok:
                    return
            await asyncio.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Workers:
    """The worker processes; slot n runs generation g as worker id ``chaos-n-g``."""

    def __init__(
        self,
        args: argparse.Namespace,
        common: list[str],
        logs: Path,
        per_worker: Callable[[int], list[str]] | None = None,
    ) -> None:
        self.args, self.common, self.logs = args, common, logs
        self.per_worker = per_worker  # arguments for slot n only
        self.procs: dict[int, tuple[subprocess.Popen, str]] = {}
        self.generation: Counter[int] = Counter()
        self.crashes: list[str] = []  # exits we did not cause

    def spawn(self, n: int) -> None:
        self.generation[n] += 1
        name = f"chaos-{n}-{self.generation[n]}"
        cmd = [sys.executable, str(HERE / "_chaos_worker.py"), *self.common]
        seed = self.args.seed * 100_000 + n * 1000 + self.generation[n]  # new dice per process
        cmd += ["--worker-name", name, "--seed", str(seed)]
        cmd += self.per_worker(n) if self.per_worker else []
        self.procs[n] = (_popen(cmd, self.logs / f"worker-{n}.log"), name)

    def sigkill(self, n: int) -> str:
        proc, name = self.procs[n]
        proc.kill()
        proc.wait()
        return name

    def restart_crashed(self) -> None:
        for n, (proc, name) in list(self.procs.items()):
            if proc.poll() is not None:
                self.crashes.append(f"{name} exited {proc.returncode}")
                self.spawn(n)

    def stop_all(self) -> None:
        for proc, _ in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def scalar_rows(engine, sql: str, **params):
    async with engine.connect() as conn:
        stmt = text(sql)
        if "ids" in params:
            stmt = stmt.bindparams(bindparam("ids", expanding=True))
        return (await conn.execute(stmt, params)).all()


async def status_counts(engine) -> Counter[str]:
    return Counter(dict(await scalar_rows(engine, "SELECT status, count(*) FROM jobs GROUP BY 1")))


async def track_reclaim(engine, name: str, killed_at: float, ids: list[str], log) -> float:
    """Seconds from the kill until each job is terminal or running under another id.
    Also logs when the last of them left the dead worker (requeued by a reconciler)."""
    pending, last, requeued = set(ids), 0.0, None
    while pending:
        rows = await scalar_rows(
            engine, "SELECT id, status, worker_id FROM jobs WHERE id IN :ids", ids=list(pending)
        )
        for job_id, status, worker_id in rows:
            if status in FINAL or (status == "running" and worker_id not in (None, name)):
                pending.discard(job_id)
                last = time.monotonic() - killed_at
        if requeued is None and all(s != "running" or w != name for _i, s, w in rows):
            requeued = time.monotonic() - killed_at
        await asyncio.sleep(0.1)
    log.write(
        f"{name} held={len(ids)} requeued_after={requeued:.2f}s reclaimed_after={last:.2f}s\n"
    )
    return last


async def submit_all(app, args, actors: list[Actor], stats: Counter) -> None:
    rng = random.Random(args.seed)
    counts = [rng.choice((1, 2)) for _ in range(args.jobs)]
    numbers = iter(range(args.jobs))
    t0 = time.monotonic()

    async def submitter() -> None:
        for i in numbers:
            if args.submit_per_s > 0:  # spread the load so that the kills hit work
                await asyncio.sleep(max(0.0, t0 + i / args.submit_per_s - time.monotonic()))
            request = ImagineRequest(f"chaos job {i}", model_id="preview", image_count=counts[i])
            try:
                await app.core.imagine(
                    actors[i % len(actors)], request, ReplyTarget("chaos", {"n": i})
                )
                stats["submitted"] += 1
            except Exception as exc:  # e.g. the enqueue during the Redis restart: the
                stats["submit_errors"] += 1  # job is committed, the reconciler wakes it
                stats.setdefault(f"first submit error: {exc!r}"[:160], 1)

    await asyncio.gather(*(submitter() for _ in range(8)))


async def chaos(args, engine, redis, workers, submit, seen: Counter, kill_log) -> dict:
    """Kill workers, restart Redis once, until every job is terminal (or the timeout)."""
    start = time.monotonic()
    next_kill = start + args.kill_every_s
    trackers: list[asyncio.Task[float]] = []
    state = Counter()
    rng = random.Random(args.seed + 1)
    last_print = start
    while time.monotonic() - start < args.timeout_s:
        await asyncio.sleep(0.25)
        workers.restart_crashed()
        counts = await status_counts(engine)
        total, done = sum(counts.values()), sum(counts[s] for s in FINAL)
        if not state["redis_restarts"] and done >= args.jobs / 3:
            redis.kill()
            await redis.start()
            state["redis_restarts"] += 1
            print(f"[{time.monotonic() - start:6.1f}s] redis restarted at {done} terminal")
        if submit.done() and done == total and (state["redis_restarts"] or not total):
            break
        if time.monotonic() >= next_kill:
            next_kill += args.kill_every_s
            # The victim is a worker holding a job when one does (a kill of an idle
            # worker proves nothing about re-claims); otherwise any worker.
            holders = {r[0] for r in await scalar_rows(
                engine, "SELECT DISTINCT worker_id FROM jobs WHERE status='running'"
            )}  # fmt: skip
            busy = [n for n, (_proc, name) in workers.procs.items() if name in holders]
            n = rng.choice(busy) if busy else rng.randrange(args.workers)
            name = workers.sigkill(n)
            killed_at = time.monotonic()
            held = await scalar_rows(
                engine, "SELECT id FROM jobs WHERE status='running' AND worker_id=:w", w=name
            )
            workers.spawn(n)
            state["kills"] += 1
            if held:
                ids = [r[0] for r in held]
                tracker = track_reclaim(engine, name, killed_at, ids, kill_log)
                trackers.append(asyncio.create_task(tracker))
        if time.monotonic() - last_print >= 5:
            last_print = time.monotonic()
            ends = sum(n for (_j, kind), n in seen.items() if kind in ("finished", "failed"))
            print(f"[{last_print - start:6.1f}s] {dict(counts)} delivered={ends} "
                  f"kills={state['kills']}", flush=True)  # fmt: skip
    state["elapsed_s"] = time.monotonic() - start
    print(f"[{state['elapsed_s']:6.1f}s] chaos over: {dict(counts)}", flush=True)
    if trackers:  # every job is terminal now (or time is up): they end within a poll
        await asyncio.wait(trackers, timeout=30)
    finished = [t for t in trackers if t.done()]
    for t in trackers:
        t.cancel()  # the unfinished ones: counted below
    for t in finished:
        if t.exception() is not None:
            print(f"reclaim tracker failed: {t.exception()!r}")
    done_trackers = [t for t in finished if t.exception() is None]
    state["reclaims"] = sorted(t.result() for t in done_trackers)  # type: ignore[assignment]
    state["reclaims_unfinished"] = len(trackers) - len(done_trackers)
    return state


DELIVERED_SQL = """SELECT count(*), count(*) FILTER (WHERE delivered_at IS NOT NULL
    AND status IN ('succeeded', 'failed', 'cancelled')) FROM jobs"""


async def drain(engine, seen: Counter, drain_s: float, settle_s: float) -> None:
    """Wait (bounded) until each terminal job's event reached the handler and its
    delivered_at is set; then a settle period in which a wrong re-delivery would show."""
    start = last_print = time.monotonic()
    while time.monotonic() - start < drain_s:
        total, marked = (await scalar_rows(engine, DELIVERED_SQL))[0]
        handled = sum(1 for (_j, kind) in seen if kind in TERMINAL_KIND.values())
        if marked == total and handled >= total:
            break
        if time.monotonic() - last_print >= 5:
            last_print = time.monotonic()
            print(f"  draining: {total} jobs, delivered_at set {marked}, handler saw {handled}")
        await asyncio.sleep(0.5)
    print(f"delivery wait ended after {time.monotonic() - start:.1f}s; settling {settle_s:.0f}s")
    await asyncio.sleep(settle_s)


AUDIT_SQL = {
    "charged_twice": """SELECT count(*) FROM (SELECT j.id FROM jobs j JOIN ledger_entries l
        ON l.reason = 'spend' AND l.reference = j.id GROUP BY j.id, j.cost_credits
        HAVING count(*) > 1 OR min(l.amount_credits) <> -j.cost_credits) x""",
    "charge_missing": """SELECT count(*) FROM jobs j WHERE j.cost_credits > 0 AND NOT EXISTS
        (SELECT 1 FROM ledger_entries l WHERE l.reason = 'spend' AND l.reference = j.id)""",
    "refunded_twice": """SELECT count(*) FROM (SELECT j.id FROM jobs j JOIN ledger_entries l
        ON l.reason = 'refund' AND l.reference = j.id GROUP BY j.id, j.cost_credits
        HAVING count(*) > 1 OR min(l.amount_credits) <> j.cost_credits) x""",
    "failed_unrefunded": """SELECT count(*) FROM jobs j WHERE j.status = 'failed'
        AND j.cost_credits > 0 AND NOT EXISTS (SELECT 1 FROM ledger_entries l
        WHERE l.reason = 'refund' AND l.reference = j.id)""",
    "refunded_success": """SELECT count(*) FROM jobs j WHERE j.status = 'succeeded' AND EXISTS
        (SELECT 1 FROM ledger_entries l WHERE l.reason = 'refund' AND l.reference = j.id)""",
    "succeeded_image_mismatch": """SELECT count(*) FROM jobs j WHERE j.status = 'succeeded'
        AND (SELECT count(*) FROM images i WHERE i.job_id = j.id) <> j.image_count""",
    "balance_mismatch": """SELECT count(*) FROM accounts a WHERE a.balance_credits <>
        (SELECT coalesce(sum(l.amount_credits), 0) FROM ledger_entries l
         WHERE l.account_id = a.id)""",
}


async def audit(engine, seen: Counter, state: dict) -> dict:
    counts = await status_counts(engine)
    r: dict = {"jobs_total": sum(counts.values()), "succeeded": counts["succeeded"]}
    r["failed"] = counts["failed"]
    r["lost"] = r["jobs_total"] - sum(counts[s] for s in FINAL)
    for name, sql in AUDIT_SQL.items():
        r[name] = (await scalar_rows(engine, sql))[0][0]
    async with engine.connect() as conn:
        r["conservation_gap"] = await conservation_gap(conn)
    rows = await scalar_rows(engine, "SELECT id, status, delivered_at FROM jobs")
    terminal = [(j, s, d) for j, s, d in rows if s in FINAL]
    r["delivered_twice"] = sum(
        1 for j, _s, _d in terminal for k in TERMINAL_KIND.values() if seen[(j, k)] > 1
    )
    r["undelivered"] = sum(1 for j, s, _d in terminal if not seen[(j, TERMINAL_KIND[s])])
    r["delivered_wrong_kind"] = sum(
        1 for j, s, _d in terminal for k in TERMINAL_KIND.values()
        if k != TERMINAL_KIND[s] and seen[(j, k)]
    )  # fmt: skip
    r["delivered_at_unset"] = sum(1 for *_j, d in terminal if d is None)
    reclaims = state["reclaims"]
    r["reclaim_max_s"] = round(max(reclaims), 2) if reclaims else None
    r["reclaim_p50_s"] = round(statistics.median(reclaims), 2) if reclaims else None
    r["reclaims_measured"] = len(reclaims)
    r["reclaims_unfinished"] = state["reclaims_unfinished"]
    r["kills"], r["redis_restarts"] = state["kills"], state["redis_restarts"]
    r["elapsed_s"] = round(state["elapsed_s"], 1)
    return r


async def images_missing_in_storage(engine, storage) -> int:
    """Image rows of succeeded jobs whose object (or chat preview) is not in storage: the
    database says delivered, the link would 404 (a stale attempt deleting the winner's
    images)."""
    rows = await scalar_rows(
        engine,
        "SELECT i.storage_key, i.preview_key FROM images i JOIN jobs j ON j.id = i.job_id"
        " WHERE j.status = 'succeeded'",
    )
    present = set(await storage.list_keys("images/"))
    return sum(
        1
        for key, preview_key in rows
        if key not in present or (preview_key is not None and preview_key not in present)
    )


DEFECTS = [
    "lost", "charged_twice", "charge_missing", "refunded_twice", "failed_unrefunded",
    "refunded_success", "succeeded_image_mismatch", "delivered_twice", "undelivered",
    "delivered_wrong_kind", "balance_mismatch", "conservation_gap", "reclaims_unfinished",
]  # fmt: skip


def goal(name: str, value, target: str, ok: bool) -> tuple[str, bool]:
    return f"{name}: {value} (target {target}) {'PASS' if ok else 'FAIL'}", ok


def goal_lines(r: dict) -> list[tuple[str, bool]]:
    lines = [goal(k, r[k], "== 0", r[k] == 0) for k in DEFECTS]
    # Each /imagine commits its job before the enqueue that a Redis restart may fail.
    ok = r["jobs_total"] == r["jobs_requested"]
    lines.append(goal("jobs_total", r["jobs_total"], f"== {r['jobs_requested']}", ok))
    missing = r["images_missing_in_storage"]
    lines.append(goal("images_missing_in_storage", missing, "== 0", missing == 0))
    lines.append(goal("redis_restarts", r["redis_restarts"], "== 1", r["redis_restarts"] == 1))
    mx = r["reclaim_max_s"]  # no measured kill (no job held by a killed worker) fails too
    ok = mx is not None and mx <= RECLAIM_TARGET_S
    lines.append(
        goal("reclaim_after_sigkill_max_s", "n/a" if mx is None else f"{mx:.2f}", "<= 15", ok)
    )
    return lines


FLAPPING_PROVIDER_TIMEOUT_S = 2.0
NON_FINAL_SQL = "SELECT count(*) FROM jobs WHERE status NOT IN ('succeeded', 'failed', 'cancelled')"


def _flapping_job_timeout(n: int) -> list[str]:
    """Even workers: the job timeout cuts a hanging call (a cancellation inside the
    breaker's trial); odd workers: the provider timeout does (a failed trial)."""
    job_timeout_s = FLAPPING_PROVIDER_TIMEOUT_S * (0.5 if n % 2 == 0 else 1.5)
    return ["--job-timeout-s", str(job_timeout_s)]


async def flapping(args: argparse.Namespace) -> int:
    """The flapping scenario: the provider fails, refuses, hangs or answers at random
    (``FlappingProvider``), with two slots for all workers and a breaker quick to open;
    no kills. Every job must end (the deadline, ``--deadline-s``, bounds the rest) and
    every failed one be refunded. Stops after ``--timeout-s`` at the latest."""
    worker_args = ["--provider", "flapping", "--job-deadline-s", str(args.deadline_s)]
    worker_args += ["--provider-timeout-s", str(FLAPPING_PROVIDER_TIMEOUT_S)]
    worker_args += ["--max-concurrency", "2"]
    env_ = environment(args, worker_args=worker_args, per_worker=_flapping_job_timeout)
    async with env_ as env:
        stats: Counter = Counter()
        submit = asyncio.create_task(submit_all(env.app, args, env.actors, stats))
        start = last_print = time.monotonic()
        while time.monotonic() - start < args.timeout_s:
            await asyncio.sleep(0.5)
            env.workers.restart_crashed()
            counts = await status_counts(env.engine)
            if submit.done() and sum(counts[s] for s in FINAL) == sum(counts.values()):
                break
            if time.monotonic() - last_print >= 5:
                last_print = time.monotonic()
                print(f"[{last_print - start:6.1f}s] {dict(counts)}", flush=True)
        submit.cancel()
        elapsed_s = time.monotonic() - start
        counts = await status_counts(env.engine)
        r = {"jobs_total": sum(counts.values()), **{s: counts[s] for s in FINAL}}
        r["non_final"] = (await scalar_rows(env.engine, NON_FINAL_SQL))[0][0]
        for name in ("failed_unrefunded", "refunded_twice", "charged_twice"):
            r[name] = (await scalar_rows(env.engine, AUDIT_SQL[name]))[0][0]
        codes = await scalar_rows(
            env.engine, "SELECT error_code, count(*) FROM jobs WHERE status='failed' GROUP BY 1"
        )
    print(f"submitted: {stats['submitted']} submit_errors: {stats['submit_errors']}")
    print(f"worker_crashes: {len(env.workers.crashes)} {env.workers.crashes[:5]}")
    print(f"elapsed_s: {elapsed_s:.1f}")
    print(f"failed_by_code: {dict(sorted(codes))}")
    for key, value in r.items():
        print(f"{key}: {value}")
    stuck = r["non_final"] + r["failed_unrefunded"]
    goals = [goal("jobs_stuck_after_flapping", stuck, "== 0", stuck == 0)]
    goals += [goal(k, r[k], "== 0", r[k] == 0) for k in ("refunded_twice", "charged_twice")]
    for line, _ok in goals:
        print(line)
    return 0 if all(ok for _l, ok in goals) else 1


@dataclass
class Environment:
    """A chaos run's world: its schema, its Redis, its worker processes, and this
    process's app (submissions, and a delivery consumer counting events in ``seen``)."""

    tmp: Path
    engine: object
    redis: RedisServer
    workers: Workers
    settings: object
    app: object
    actors: list[Actor]
    seen: Counter
    consumer: asyncio.Task


@contextlib.asynccontextmanager
async def environment(
    args: argparse.Namespace,
    *,
    worker_args: list[str] = (),
    per_worker: Callable[[int], list[str]] | None = None,
    **overrides,
) -> AsyncIterator[Environment]:
    """Set up a run (``overrides``: settings shared with the workers) with its workers
    started; tear everything down on the way out, the schema included."""
    tmp = Path(tempfile.mkdtemp(prefix="seedream-chaos-"))
    (tmp / "logs").mkdir()
    schema, prefix = f"chaos_{uuid.uuid4().hex[:10]}", f"chaos{uuid.uuid4().hex[:8]}"
    redis = RedisServer(free_port(), tmp / "logs" / "redis.log")
    redis_url = f"redis://127.0.0.1:{redis.port}/0"
    common = ["--schema", schema, "--database-url", args.database_url, "--redis-url", redis_url]
    common += ["--prefix", prefix, "--data-dir", str(tmp / "data")]
    common += ["--concurrency", str(args.concurrency), "--heartbeat-s", str(args.heartbeat_s)]
    workers = Workers(args, [*common, *worker_args], tmp / "logs", per_worker)
    admin = make_engine(args.database_url, poolclass=NullPool)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = schema_engine(args.database_url, schema, pool_size=8, max_overflow=4)
    consumer = None
    try:
        await upgrade(engine)
        await redis.start()
        settings = chaos_settings(
            redis_url=redis_url, prefix=prefix, data_dir=tmp / "data",
            concurrency=args.concurrency, heartbeat_s=args.heartbeat_s, **overrides,
        )  # fmt: skip
        seen: Counter[tuple[str, str]] = Counter()

        async def on_event(event: JobEvent) -> None:
            seen[(event.job_id, event.kind)] += 1

        # The core only accepts models a configured provider serves; this process runs
        # no worker, so its provider is never called.
        providers = {"local": ChaosProvider(seed=0)}
        async with bootstrap(
            settings, engine=engine, migrate=False, providers=providers, catalog=chaos_catalog()
        ) as app:
            app.events.register("chaos", on_event)
            consumer = asyncio.create_task(app.events.consume())
            actors = [Actor("chaos", f"user{i:05d}", locale="en") for i in range(args.users)]
            for actor in actors:
                await app.core.accept_terms(actor, age_confirmed=True)
                await app.core.admin_grant(
                    actor, GRANT, reason="chaos", reference=actor.platform_user_id, operator="cli"
                )
            for n in range(args.workers):
                workers.spawn(n)
            yield Environment(tmp, engine, redis, workers, settings, app, actors, seen, consumer)
            workers.stop_all()
            consumer.cancel()
            await asyncio.wait([consumer], timeout=5)  # never hang the report on it
    finally:
        if consumer is not None:
            consumer.cancel()
        workers.stop_all()
        redis.kill()
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()
        if args.keep_dir:
            print(f"logs and data kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


async def run(args: argparse.Namespace) -> int:
    if args.scenario == "flapping":
        return await flapping(args)
    async with environment(args) as env:
        engine, redis, workers, seen = env.engine, env.redis, env.workers, env.seen
        stats: Counter = Counter()
        submit = asyncio.create_task(submit_all(env.app, args, env.actors, stats))
        with (env.tmp / "logs" / "kills.log").open("w") as kill_log:
            state = await chaos(args, engine, redis, workers, submit, seen, kill_log)
        submit.cancel()
        await drain(engine, seen, args.drain_s, settle_s=2 * env.settings.redeliver_after_s + 1)
        if env.consumer.done():  # it should run until cancelled
            print(f"delivery consumer ended early: {env.consumer.exception()!r}")
        workers.stop_all()
        env.consumer.cancel()
        await asyncio.wait([env.consumer], timeout=5)  # never hang the report on it
        result = {"jobs_requested": args.jobs, **await audit(engine, seen, state)}
        result["images_missing_in_storage"] = await images_missing_in_storage(
            engine, env.app.storage
        )
    for line in sorted(k for k in stats if k.startswith("first")):
        print(line)
    print(f"submitted: {stats['submitted']} submit_errors: {stats['submit_errors']}")
    print(f"worker_crashes: {len(workers.crashes)} {workers.crashes[:5]}")
    for key, value in result.items():
        print(f"{key}: {value}")
    goals = goal_lines(result)
    for line, _ok in goals:
        print(line)
    return 0 if all(ok for _l, ok in goals) else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=int, default=10_000)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--users", type=int, default=200)
    p.add_argument("--kill-every-s", type=float, default=3.0)
    p.add_argument("--heartbeat-s", type=float, default=5.0)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--timeout-s", type=float, default=900.0)
    p.add_argument("--submit-per-s", type=float, default=0.0, help="0: as fast as possible")
    p.add_argument("--drain-s", type=float, default=300.0, help="bound on the delivery wait")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--database-url", default=DEFAULT_URL)
    p.add_argument("--keep-dir", action="store_true", help="keep the logs and images")
    p.add_argument("--scenario", choices=("kills", "flapping"), default="kills")
    p.add_argument("--deadline-s", type=float, default=20.0, help="flapping: job deadline")
    return p.parse_args(argv)


if __name__ == "__main__":
    faulthandler.register(signal.SIGUSR1)  # kill -USR1 <pid>: where is it stuck?
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # clean up as on Ctrl-C
    sys.exit(asyncio.run(run(parse_args())))
