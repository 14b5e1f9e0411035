"""The worker's two hot statements: claim the fairest job, record its success.

Every job passes through both, so on PostgreSQL they are spoken to the driver directly
(as ``core.jobs.accept_pg`` does for the accept path): building SQLAlchemy statements cost
about a millisecond of CPU each, and the success used to take four transactions (mark,
images, re-read, notified). Here the claim is one prepared statement and the success
ONE statement (mark succeeded + insert the images + stamp ``notified_at``), atomic as
any single statement is. SQLite runs the same steps through SQLAlchemy
(``core.jobs.scheduling.claim_next``, ``core.jobs.lifecycle.complete``); the worker tests
run both against the same expectations. The rarer transitions (retry, fail, refund)
stay on SQLAlchemy for both. The status guards of both statements are the moves
``core.jobs.status.TRANSITIONS`` allows (tests/unit/test_job_status.py checks them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core.db.engine import UnitOfWorkFactory
from core.db.tables import jobs
from core.jobs import lifecycle as gen
from core.jobs import scheduling as sched
from core.jobs.claimed import ClaimedJob

# $1 worker id, $2 now, $3 lease end. Same choice as core.jobs.scheduling.claim_next.
CLAIM_SQL = """
UPDATE jobs SET status = 'running', attempts = attempts + 1, worker_id = $1::varchar,
    lease_expires_at = $3::timestamptz, started_at = coalesce(started_at, $2::timestamptz),
    not_before = NULL
WHERE id = (
    SELECT j.id FROM jobs j
    WHERE j.status = 'queued' AND (j.not_before IS NULL OR j.not_before <= $2::timestamptz)
      AND (SELECT count(*) FROM jobs r
           WHERE r.account_id = j.account_id AND r.status = 'running') < j.max_running
    ORDER BY j.lane DESC, j.fair_vt, j.created_at
    LIMIT 1 FOR UPDATE SKIP LOCKED
) AND status = 'queued'
RETURNING *
"""

# $1 job, $2 worker, $3 now, $4 route; $5..$11 the images, one array per column;
# $12 the seed the images were made with; $13..$17 the images' previews (NULLs where
# none was made).
COMPLETE_SQL = """
WITH done AS (
    UPDATE jobs SET status = 'succeeded', finished_at = $3::timestamptz,
        provider_route = $4::varchar, lease_expires_at = NULL, notified_at = $3::timestamptz,
        seed_used = $12::bigint
    WHERE id = $1::varchar AND status = 'running' AND worker_id = $2::varchar
    RETURNING id, account_id
), stored AS (
    INSERT INTO images (id, job_id, account_id, position, storage_key, mime, width_px,
                        height_px, size_bytes, created_at, preview_key, preview_mime,
                        preview_width_px, preview_height_px, preview_size_bytes)
    SELECT i.id, done.id, done.account_id, i.position, i.storage_key, i.mime, i.width_px,
           i.height_px, i.size_bytes, $3::timestamptz, i.preview_key, i.preview_mime,
           i.preview_width_px, i.preview_height_px, i.preview_size_bytes
    FROM done, unnest($5::varchar[], $6::integer[], $7::varchar[], $8::varchar[],
                      $9::integer[], $10::integer[], $11::bigint[], $13::varchar[],
                      $14::varchar[], $15::integer[], $16::integer[], $17::bigint[])
        AS i(id, position, storage_key, mime, width_px, height_px, size_bytes, preview_key,
             preview_mime, preview_width_px, preview_height_px, preview_size_bytes)
)
SELECT count(*) FROM done
"""


class JobStore(Protocol):
    async def claim(self, *, worker_id: str, lease_s: float, now: datetime) -> ClaimedJob | None:
        """Lease the fairest claimable job to ``worker_id``: the job's row, or ``None``
        when nothing is claimable."""

    async def complete(
        self,
        job: ClaimedJob,
        *,
        worker_id: str,
        provider_route: str,
        stored: Sequence[gen.StoredImage],
        image_ids: Sequence[str],
        now: datetime,
        seed_used: int | None = None,
    ) -> bool:
        """Mark the job succeeded with its images (``image_ids`` in ``stored``'s order),
        the seed they were made with, and as handed to the event bus at ``now``. False,
        writing nothing, if this worker no longer holds the job."""


class SqlJobStore:
    """Both dialects through SQLAlchemy, one transaction per step."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def claim(self, *, worker_id: str, lease_s: float, now: datetime) -> ClaimedJob | None:
        async with self._uow() as uow:
            job = await sched.claim_next(uow.conn, worker_id=worker_id, lease_s=lease_s, now=now)
            await uow.commit()
        return job

    async def complete(
        self,
        job: ClaimedJob,
        *,
        worker_id: str,
        provider_route: str,
        stored: Sequence[gen.StoredImage],
        image_ids: Sequence[str],
        now: datetime,
        seed_used: int | None = None,
    ) -> bool:
        async with self._uow() as uow:
            won = await gen.complete(
                uow.conn,
                job,
                worker_id=worker_id,
                provider_route=provider_route,
                stored=list(stored),
                image_ids=list(image_ids),
                now=now,
                seed_used=seed_used,
            )
            if won:
                await uow.conn.execute(
                    update(jobs).where(jobs.c.id == job.id).values(notified_at=now)
                )
            await uow.commit()
        return won


async def _asyncpg(conn: AsyncConnection) -> Any:
    """The asyncpg connection under ``conn`` (a connected checkout always holds one)."""
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    return driver


class PgJobStore:
    """PostgreSQL through asyncpg on a pooled connection of the engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim(self, *, worker_id: str, lease_s: float, now: datetime) -> ClaimedJob | None:
        async with self._engine.connect() as conn:
            driver = await _asyncpg(conn)
            row = await driver.fetchrow(CLAIM_SQL, worker_id, now, now + timedelta(seconds=lease_s))
        return None if row is None else ClaimedJob.from_row(row)

    async def complete(
        self,
        job: ClaimedJob,
        *,
        worker_id: str,
        provider_route: str,
        stored: Sequence[gen.StoredImage],
        image_ids: Sequence[str],
        now: datetime,
        seed_used: int | None = None,
    ) -> bool:
        async with self._engine.connect() as conn:
            driver = await _asyncpg(conn)
            won = await driver.fetchval(
                COMPLETE_SQL,
                job.id,
                worker_id,
                now,
                provider_route,
                list(image_ids),
                [s.position for s in stored],
                [s.storage_key for s in stored],
                [s.mime for s in stored],
                [s.width_px for s in stored],
                [s.height_px for s in stored],
                [s.size_bytes for s in stored],
                seed_used,
                *_preview_arrays(stored),
            )
        return won == 1


def _preview_arrays(stored: Sequence[gen.StoredImage]) -> list[list[Any]]:
    """The preview columns of ``stored``, one list per column ($13..$17)."""
    rows = [gen.preview_columns(s.preview) for s in stored]
    return [[r[column] for r in rows] for column in gen.PREVIEW_COLUMNS]


def job_store_for(uow: UnitOfWorkFactory) -> JobStore:
    """The driver-level store on PostgreSQL, SQLAlchemy elsewhere."""
    if uow.engine.dialect.name == "postgresql":
        return PgJobStore(uow.engine)
    return SqlJobStore(uow)
