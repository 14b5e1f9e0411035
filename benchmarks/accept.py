"""Benchmark: the accept path of /imagine against ``pgbench -N`` on the same server.

What is measured
    ``app.core.imagine(actor, ImagineRequest(...), reply_target)`` through the real core
    built by ``bot.bootstrap`` on PostgreSQL, with the in-process queue and no worker
    (so no provider work): the account read, validation, the debit, the ledger entry,
    the job insert, the enqueue and the returned view. ``--clients`` asyncio tasks
    submit in a loop for ``--seconds`` (after a short warm-up), each over its own
    accounts, round-robin.

What it is compared with
    ``pgbench -N`` (TPC-B-like without the teller/branch updates) with the same number
    of clients for the same duration, run just before ours against the SAME PostgreSQL
    server: same machine, same fsync / synchronous_commit / WAL settings. Its tables
    live in a throw-away database (``seedream_bench_<random>``) so they never mix with
    ours; our tables live in a throw-away schema ``bench_<random>`` of the target
    database. Both are dropped at the end.

Output ends with one goal line per goal, parsed by ``benchmarks/run_all.py``::

    accept_vs_pgbench_ratio: 0.73 (target >= 0.5) PASS

The exit code is 0 for PASS and FAIL alike; it is non-zero only when nothing could be
measured (PostgreSQL unreachable, ``pgbench`` missing, ...).

Environment:
    SEEDREAM_BENCH_DATABASE_URL  default postgresql+asyncpg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import asyncpg  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.bootstrap import bootstrap  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.settings import Settings  # noqa: E402
from core.catalog import load_catalog  # noqa: E402
from core.db.engine import make_engine  # noqa: E402
from core.errors import CoreError  # noqa: E402
from core.types import Actor, ImagineRequest, ReplyTarget  # noqa: E402

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
TARGET_RATIO = 0.5
WARMUP_S = 1.0
GRANT_CREDITS = 100_000_000  # nobody runs out, whatever the speed

# "tps = 1234.5 (without initial connection time)" (PostgreSQL >= 14) or
# "tps = 1234.5 (excluding connections establishing)" (older).
_TPS_RE = re.compile(
    r"^tps = ([0-9.]+) \((without initial connection time|excluding connections establishing)\)",
    re.MULTILINE,
)


class CannotMeasure(RuntimeError):
    """Something needed for the measurement is missing; the message says what."""


@dataclasses.dataclass(frozen=True)
class PgTarget:
    url: str  # SQLAlchemy URL of the database our schema goes into
    host: str
    port: int
    user: str
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> PgTarget:
        u = make_url(url)
        if not u.drivername.startswith("postgresql"):
            raise CannotMeasure(f"SEEDREAM_BENCH_DATABASE_URL must be PostgreSQL, got {url!r}")
        return cls(
            url=url,
            host=u.host or "127.0.0.1",
            port=u.port or 5432,
            user=u.username or "postgres",
            password=u.password,
        )

    async def admin_connect(self) -> asyncpg.Connection:
        return await asyncpg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            database="postgres",
        )

    def cli_args(self) -> list[str]:
        return ["-h", self.host, "-p", str(self.port), "-U", self.user]

    def cli_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


# -- pgbench -------------------------------------------------------------------------


def _run(cmd: list[str], env: dict[str, str], timeout_s: float) -> str:
    proc = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=timeout_s, check=False
    )
    if proc.returncode != 0:
        raise CannotMeasure(
            f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}".strip()
        )
    return proc.stdout + proc.stderr


def parse_tps(output: str) -> float:
    match = _TPS_RE.search(output)
    if match is None:
        raise CannotMeasure(f"could not find the tps line in pgbench output:\n{output}")
    return float(match.group(1))


async def measure_pgbench(pg: PgTarget, *, clients: int, seconds: int) -> float:
    """Initialise a throw-away database, run ``pgbench -N``, drop the database."""
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        raise CannotMeasure("pgbench is not on PATH (Debian/Ubuntu: apt install postgresql-client)")
    dbname = f"seedream_bench_{uuid.uuid4().hex[:10]}"
    admin = await pg.admin_connect()
    try:
        await admin.execute(f'CREATE DATABASE "{dbname}"')
    finally:
        await admin.close()
    try:
        env = pg.cli_env()
        await asyncio.to_thread(
            _run, [pgbench, "-i", "-q", "-s", "1", *pg.cli_args(), dbname], env, 300
        )
        cmd = [pgbench, "-N", "-c", str(clients), "-j", str(min(2, clients))]
        cmd += ["-T", str(seconds), *pg.cli_args(), dbname]
        out = await asyncio.to_thread(_run, cmd, env, seconds + 120)
        return parse_tps(out)
    finally:
        admin = await pg.admin_connect()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        finally:
            await admin.close()


# -- our accept path -----------------------------------------------------------------


@dataclasses.dataclass
class Phase:
    accepted: int = 0
    rejected: int = 0
    latencies_s: list[float] = dataclasses.field(default_factory=list)
    elapsed_s: float = 0.0
    first_error: str | None = None


async def _submit_loop(core, actors: list[Actor], deadline: float, phase: Phase, tag: str):
    target = ReplyTarget("bench", {"session": tag})
    i = 0
    while time.perf_counter() < deadline:
        actor = actors[i % len(actors)]
        request = ImagineRequest(prompt=f"a red fox in the snow, study {i}")
        i += 1
        t0 = time.perf_counter()
        try:
            await core.imagine(actor, request, target)
        except CoreError as exc:
            phase.rejected += 1
            phase.first_error = phase.first_error or repr(exc)
            continue
        phase.latencies_s.append(time.perf_counter() - t0)
        phase.accepted += 1


async def _run_phase(core, groups: list[list[Actor]], seconds: float) -> Phase:
    phase = Phase()
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(
        *(_submit_loop(core, g, deadline, phase, f"c{n}") for n, g in enumerate(groups))
    )
    phase.elapsed_s = time.perf_counter() - start
    return phase


async def _set_up(core, actors: list[Actor]) -> None:
    """Each account accepts the terms and gets credits, as a user would (not measured)."""
    for actor in actors:
        await core.accept_terms(actor, age_confirmed=True)
        ref = f"bench:{actor.platform_user_id}"
        await core.admin_grant(
            actor, GRANT_CREDITS, reason="benchmark", reference=ref, operator="cli"
        )


async def measure_accept(
    pg: PgTarget, *, clients: int, seconds: int, accounts: int, data_dir: Path
) -> Phase:
    """Create and migrate a throw-away schema, bootstrap the app on it, submit."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    plain = make_engine(pg.url)
    try:
        async with plain.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        await plain.dispose()
    engine = make_engine(pg.url, connect_args={"server_settings": {"search_path": schema}})
    try:
        await upgrade(engine)
        settings = Settings(
            _env_file=None,
            data_dir=data_dir,
            signing_secret="bench-secret-0123456789",
            user_requests_per_minute=0,  # the benchmark measures throughput, not the limits
            chat_requests_per_minute=0,
        )
        # Per-plan queue limits would cap a worker-less run; lift them for the benchmark.
        base = load_catalog(settings.catalog_path)
        catalog = dataclasses.replace(
            base,
            plans={
                pid: dataclasses.replace(p, max_queued_jobs=10**9, max_running_jobs=10**9)
                for pid, p in base.plans.items()
            },
        )
        async with bootstrap(settings, engine=engine, catalog=catalog, migrate=False) as app:
            actors = [Actor("bench", f"user{n:05d}", f"Bench {n}", "en") for n in range(accounts)]
            groups = [actors[n::clients] for n in range(clients)]
            await asyncio.gather(*(_set_up(app.core, group) for group in groups))
            await _run_phase(app.core, groups, WARMUP_S)
            return await _run_phase(app.core, groups, seconds)
    finally:
        await engine.dispose()
        plain = make_engine(pg.url)
        try:
            async with plain.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            await plain.dispose()


# -- main ----------------------------------------------------------------------------


def _percentile_ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1] * 1000


async def _main(args: argparse.Namespace) -> int:
    url = os.environ.get("SEEDREAM_BENCH_DATABASE_URL", DEFAULT_URL)
    pg = PgTarget.from_url(url)
    try:
        admin = await pg.admin_connect()
        await admin.close()
    except (OSError, asyncpg.PostgresError) as exc:
        raise CannotMeasure(f"PostgreSQL is not reachable at {pg.host}:{pg.port}: {exc}") from exc

    print(f"server: {pg.host}:{pg.port}, clients: {args.clients}, seconds: {args.seconds}")
    print(f"pgbench -N -c {args.clients} for {args.seconds} s ...", flush=True)
    tps = await measure_pgbench(pg, clients=args.clients, seconds=args.seconds)
    print(f"pgbench -N tps: {tps:.1f}", flush=True)

    print(f"accept path: {args.clients} tasks for {args.seconds} s ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="seedream-bench-") as tmp:
        phase = await measure_accept(
            pg,
            clients=args.clients,
            seconds=args.seconds,
            accounts=args.accounts,
            data_dir=Path(tmp),
        )
    if phase.accepted == 0:
        raise CannotMeasure(f"no submit was accepted; first error: {phase.first_error}")
    ours = phase.accepted / phase.elapsed_s
    ratio = ours / tps
    print(f"accepted submits: {phase.accepted} in {phase.elapsed_s:.2f} s")
    if phase.rejected:
        print(f"rejected submits: {phase.rejected} (first: {phase.first_error})")
    print(f"accepted submits/s: {ours:.1f}")
    print(f"pgbench -N tps: {tps:.1f}")
    print(f"clients: {args.clients}")
    print(f"seconds: {args.seconds}")
    print(
        f"submit latency ms: p50 {_percentile_ms(phase.latencies_s, 50):.2f}"
        f" p99 {_percentile_ms(phase.latencies_s, 99):.2f}"
        f" max {max(phase.latencies_s) * 1000:.2f}"
    )
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"accept_vs_pgbench_ratio: {ratio:.2f} (target >= {TARGET_RATIO}) {verdict}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="duration of each side")
    parser.add_argument("--clients", type=int, default=8, help="pgbench clients = our tasks")
    parser.add_argument(
        "--accounts",
        type=int,
        default=4096,
        help="accounts submitting, round-robin: enough that no account's backlog grows past"
        " what a shipped plan allows (10 queued) during a run",
    )
    args = parser.parse_args(argv)
    if args.seconds < 1 or args.clients < 1 or args.accounts < args.clients:
        parser.error("need --seconds >= 1, --clients >= 1 and --accounts >= --clients")
    try:
        return asyncio.run(_main(args))
    except CannotMeasure as exc:
        print(f"accept benchmark could not measure: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
