"""Benchmark: /mydata and /forgetme for a user with 1,000 generations and 1,000 images.

Production shape: PostgreSQL (a fresh schema), Redis, and S3 spoken over HTTP to a moto
server running in its own process (so its memory is not ours). The user is seeded with
1,000 succeeded jobs, one 100 KiB image each in the bucket (about 100 MiB in all), and a
spend per job in the ledger. Then, through the core as an adapter calls it:

* the export (ZIP built on disk, uploaded in parts), timed, and the process's peak
  resident memory during it (``VmHWM`` after resetting it through
  ``/proc/self/clear_refs``) minus the resident memory before it;
* the erasure (code, then confirmation), timed, and checked: nothing of the user left
  in the jobs and images tables or under the user's folders in the bucket.

Output ends with three goal lines:
``privacy_export_s_1000_images``, ``privacy_erase_s_1000_images`` (targets <= 10 s) and
``privacy_export_peak_rss_growth_mb`` (target <= 64, well under the images' 100 MiB).
Environment: SEEDREAM_BENCH_DATABASE_URL, SEEDREAM_REDIS_URL (default local servers).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import httpx  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from benchmarks._support import bench_settings, drop_redis_keys, pg_schema  # noqa: E402
from benchmarks.memory import proc_status_mb  # noqa: E402
from bot.bootstrap import bootstrap  # noqa: E402
from core import ledger as credits  # noqa: E402
from core.clock import utcnow  # noqa: E402
from core.db.tables import images, jobs  # noqa: E402
from core.storage.s3 import ensure_bucket, open_s3_client  # noqa: E402
from core.types import Actor  # noqa: E402

GENERATIONS = 1000
IMAGE_BYTES = 100 * 1024
TIME_TARGET_S = 10.0
MEMORY_TARGET_MB = 64.0
PNG_HEADER = b"\x89PNG\r\n\x1a\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def moto_process():
    """A moto S3 server in a child process; yields its endpoint URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(endpoint, timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("moto server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def seed(app, actor: Actor) -> int:
    await app.core.accept_terms(actor, age_confirmed=True)
    account_id = (await app.core.account(actor)).account_id
    now = utcnow()
    job_rows, image_rows = [], []
    for i in range(GENERATIONS):
        job_id = uuid.uuid4().hex
        created = now - timedelta(seconds=GENERATIONS - i)
        job_rows.append(
            dict(
                id=job_id,
                account_id=account_id,
                status="succeeded",
                model_id="preview",
                prompt=f"benchmark prompt number {i}",
                aspect_ratio="1:1",
                width_px=1024,
                height_px=1024,
                image_count=1,
                cost_credits=1,
                platform="bench",
                created_at=created,
                started_at=created,
                finished_at=created,
            )
        )
        image_rows.append(
            dict(
                id=uuid.uuid4().hex[:12],
                job_id=job_id,
                account_id=account_id,
                position=0,
                storage_key=f"images/{account_id}/{job_id}/0.png",
                mime="image/png",
                width_px=1024,
                height_px=1024,
                size_bytes=IMAGE_BYTES,
                created_at=created,
            )
        )
    async with app.uow() as tx:
        await credits.apply_entry(
            tx.conn,
            account_id=account_id,
            amount_credits=GENERATIONS,
            reason="admin_grant",
            reference=f"bench:{account_id}",
        )
        for row in job_rows:
            await credits.apply_entry(
                tx.conn,
                account_id=account_id,
                amount_credits=-1,
                reason="spend",
                reference=row["id"],
            )
        await tx.conn.execute(jobs.insert(), job_rows)
        await tx.conn.execute(images.insert(), image_rows)
        await tx.commit()
    semaphore = asyncio.Semaphore(32)

    async def put(key: str) -> None:
        async with semaphore:
            await app.storage.put(key, PNG_HEADER + os.urandom(IMAGE_BYTES - 8), "image/png")

    await asyncio.gather(*(put(r["storage_key"]) for r in image_rows))
    return account_id


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


async def main() -> int:
    prefix = f"bench{uuid.uuid4().hex[:8]}"
    bucket = f"bench-privacy-{uuid.uuid4().hex[:10]}"
    with moto_process() as endpoint, tempfile.TemporaryDirectory() as tmp:
        async with contextlib.AsyncExitStack() as stack:
            client = await open_s3_client(
                stack,
                endpoint_url=endpoint,
                region="us-east-1",
                access_key_id="bench",
                secret_access_key="bench-secret",
            )
            await ensure_bucket(client, bucket)
        settings = bench_settings(
            Path(tmp),
            prefix,
            2,
            s3_bucket=bucket,
            s3_endpoint_url=endpoint,
            s3_region="us-east-1",
            s3_access_key_id=SecretStr("bench"),
            s3_secret_access_key=SecretStr("bench-secret"),
        )
        try:
            async with (
                pg_schema() as (engine, _schema),
                bootstrap(settings, engine=engine, migrate=False) as app,
            ):
                actor = Actor("bench", f"privacy-{uuid.uuid4().hex[:8]}", "Bench User", "en")
                started = time.perf_counter()
                account_id = await seed(app, actor)
                print(
                    f"seeded {GENERATIONS} generations, {GENERATIONS} images of "
                    f"{IMAGE_BYTES // 1024} KiB in {time.perf_counter() - started:.1f} s"
                )
                measured = _reset_peak_rss()
                rss_before_mb = proc_status_mb()["VmRSS"]
                started, cpu_started = time.perf_counter(), time.process_time()
                export = await app.privacy.export(actor)
                export_s = time.perf_counter() - started
                export_cpu_s = time.process_time() - cpu_started
                peak_mb = proc_status_mb()["VmHWM"] if measured else float("nan")
                growth_mb = peak_mb - rss_before_mb
                print(
                    f"export: {export.image_count} images, {export.size_bytes / 2**20:.1f} MiB "
                    f"ZIP in {export_s:.2f} s ({export_cpu_s:.2f} s of this process's CPU; "
                    f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs); RSS "
                    f"{rss_before_mb:.0f} MB before, peak {peak_mb:.0f} MB during"
                )
                started = time.perf_counter()
                challenge = await app.privacy.forget(actor)
                receipt = await app.privacy.forget(actor, challenge.code)
                erase_s = time.perf_counter() - started
                async with app.uow() as tx:
                    left = await tx.conn.scalar(
                        select(func.count())
                        .select_from(jobs)
                        .where(jobs.c.account_id == account_id)
                    )
                left += len(await app.storage.list_keys(f"images/{account_id}/"))
                left += len(await app.storage.list_keys(f"exports/{account_id}/"))
                print(f"erasure: {receipt.counts} in {erase_s:.2f} s; left behind: {left}")
                if left or export.image_count != GENERATIONS:
                    print("ERROR: the export or the erasure was incomplete")
                    return 2
        finally:
            await drop_redis_keys(prefix)
    print(_goal("privacy_export_s_1000_images", export_s, TIME_TARGET_S, "s"))
    print(_goal("privacy_erase_s_1000_images", erase_s, TIME_TARGET_S, "s"))
    print(_goal("privacy_export_peak_rss_growth_mb", growth_mb, MEMORY_TARGET_MB, ""))
    return 0


def _goal(name: str, value: float, target: float, unit: str) -> str:
    verdict = "PASS" if value <= target else "FAIL"
    return f"{name}: {value:.2f}{unit} (target <= {target:g}{unit}) {verdict}"


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
