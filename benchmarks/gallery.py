"""Benchmark: the gallery's first page for a user with 1,000 images.

Production shape for the database: PostgreSQL (a fresh schema). The user is seeded with
1,000 succeeded jobs of one image each (rows only: the page signs links to the objects,
it does not read them). Then, side by side in one run, each repeated ``ROUNDS`` times:

* the page's database query alone (``core.jobs.gallery.page_query``: the newest page of
  the account's images with their prompts and models), on one connection;
* the whole first page as the web process serves it: ``GET /gallery`` with the session
  cookie, through the Starlette app in process (the link checked again, the page and the
  model list read, every link signed, the template rendered, the headers set).

Output: both medians in milliseconds and the goal line
``gallery_first_page_vs_query_ratio: X (target <= 3) PASS|FAIL``.
Environment: SEEDREAM_BENCH_DATABASE_URL, SEEDREAM_REDIS_URL (default local servers).
"""

from __future__ import annotations

import asyncio
import statistics
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

from adapters.web.app import create_web_app  # noqa: E402
from benchmarks._support import bench_settings, drop_redis_keys, pg_schema  # noqa: E402
from bot.bootstrap import bootstrap  # noqa: E402
from core.clock import utcnow  # noqa: E402
from core.db.tables import images, jobs  # noqa: E402
from core.jobs.gallery import PAGE_SIZE, page_query  # noqa: E402
from core.types import Actor  # noqa: E402

IMAGES = 1000
ROUNDS = 200
WARMUP = 20
RATIO_TARGET = 3.0


async def seed(app, account_id: int) -> None:
    start = utcnow()
    job_rows, image_rows = [], []
    for n in range(IMAGES):
        at = start - timedelta(seconds=n)
        job_id = uuid.uuid4().hex
        job_rows.append(
            dict(
                id=job_id,
                account_id=account_id,
                status="succeeded",
                model_id=("seedream", "gpt-image", "flux-schnell")[n % 3],
                prompt=f"a lantern over the river at dusk, study number {n}",
                aspect_ratio="1:1",
                width_px=1024,
                height_px=1024,
                image_count=1,
                cost_credits=1,
                platform="bench",
                created_at=at,
                finished_at=at,
            )
        )
        image_rows.append(
            dict(
                id=uuid.uuid4().hex[:24],
                job_id=job_id,
                account_id=account_id,
                position=0,
                storage_key=f"images/{account_id}/{job_id}/0.png",
                mime="image/png",
                width_px=1024,
                height_px=1024,
                size_bytes=1_500_000,
                created_at=at,
                preview_key=f"images/{account_id}/{job_id}/0.preview.jpg",
                preview_mime="image/jpeg",
                preview_width_px=512,
                preview_height_px=512,
                preview_size_bytes=80_000,
            )
        )
    async with app.uow() as uow:
        await uow.conn.execute(jobs.insert(), job_rows)
        await uow.conn.execute(images.insert(), image_rows)
        await uow.commit()


async def timed(fn, rounds: int) -> list[float]:
    for _ in range(WARMUP):
        await fn()
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


async def run() -> float:
    prefix = f"bench-gallery-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as data_dir:
        settings = bench_settings(Path(data_dir), prefix, 1)
        try:
            async with (
                pg_schema() as (engine, _schema),
                bootstrap(settings, engine=engine, migrate=False) as app,
            ):
                actor = Actor("bench", "gallery-owner", "Owner", "en")
                await app.core.accept_terms(actor, age_confirmed=True)
                account_id = (await app.core.account(actor)).account_id
                await seed(app, account_id)
                link = await app.core.gallery.link(actor)
                transport = httpx.ASGITransport(app=create_web_app(app))
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as web:
                    opened = await web.get("/gallery/t/" + link.url.rsplit("/", 1)[1])
                    assert opened.status_code == 303, opened.status_code

                    async def page() -> None:
                        response = await web.get("/gallery")
                        assert response.status_code == 200
                        assert response.text.count('class="card"') == PAGE_SIZE

                    async with engine.connect() as conn:

                        async def query() -> None:
                            rows = (await conn.execute(page_query(account_id))).all()
                            assert len(rows) == PAGE_SIZE + 1

                        query_ms = await timed(query, ROUNDS)
                    page_ms = await timed(page, ROUNDS)
        finally:
            await drop_redis_keys(prefix)
    q, p = statistics.median(query_ms), statistics.median(page_ms)
    ratio = p / q
    print(f"images: {IMAGES}, page size: {PAGE_SIZE}, rounds: {ROUNDS}")
    print(f"query alone: median {q:.2f} ms (p90 {statistics.quantiles(query_ms, n=10)[-1]:.2f})")
    print(f"first page:  median {p:.2f} ms (p90 {statistics.quantiles(page_ms, n=10)[-1]:.2f})")
    verdict = "PASS" if ratio <= RATIO_TARGET else "FAIL"
    print(f"gallery_first_page_vs_query_ratio: {ratio:.2f} (target <= {RATIO_TARGET:g}) {verdict}")
    return ratio


def main() -> int:
    ratio = asyncio.run(run())
    return 0 if ratio <= RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
