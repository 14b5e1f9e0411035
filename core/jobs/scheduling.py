"""Which job runs next, and what happens to jobs whose worker went away.

Workers do not take the job named in a queue message: the message only wakes them.
``claim_next`` picks the fairest claimable job in the database (priority lane first,
then the lowest virtual time, then age), skipping owners already at their running
limit and retries still in backoff, and leases it with one conditional UPDATE
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite serialises writers anyway).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from core.db.tables import jobs
from core.jobs.claimed import ClaimedJob
from core.jobs.status import ACTIVE_STATUSES, FINAL_STATUSES, JobStatus, status_update

_running = aliased(jobs, name="running_jobs")


def _claimable(now: datetime):
    running_of_owner = (
        select(func.count())
        .select_from(_running)
        .where(_running.c.account_id == jobs.c.account_id, _running.c.status == JobStatus.RUNNING)
        .scalar_subquery()
    )
    return and_(
        jobs.c.status == JobStatus.QUEUED,
        or_(jobs.c.not_before.is_(None), jobs.c.not_before <= now),
        running_of_owner < jobs.c.max_running,
    )


async def claim_next(
    conn: AsyncConnection, *, worker_id: str, lease_s: float, now: datetime
) -> ClaimedJob | None:
    """Lease the fairest claimable job to ``worker_id``; ``None`` when there is none."""
    pick = (
        select(jobs.c.id)
        .where(_claimable(now))
        .order_by(jobs.c.lane.desc(), jobs.c.fair_vt, jobs.c.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    row = (
        await conn.execute(
            status_update(JobStatus.RUNNING, only_from=(JobStatus.QUEUED,))
            .where(jobs.c.id == pick)
            .values(
                attempts=jobs.c.attempts + 1,
                worker_id=worker_id,
                lease_expires_at=now + timedelta(seconds=lease_s),
                started_at=func.coalesce(jobs.c.started_at, now),
                not_before=None,
            )
            .returning(jobs)
        )
    ).one_or_none()
    return None if row is None else ClaimedJob.from_row(row._mapping)


# A new job's place in the queue is counted up to this many jobs ahead of it: past
# that, "more than QUEUE_POSITION_CAP ahead" says enough, and the count stays cheap (an
# index range of ``ix_jobs_claim_order``) however long the backlog grows. Each job
# counted costs the accept a heap visit: with 100, benchmarks/accept.py lost ~7% of its
# throughput to the count when every submit had the cap ahead; with 20, ~2%.
QUEUE_POSITION_CAP = 20


async def queue_position(
    conn: AsyncConnection, *, lane: int, fair_vt: int, created_at: datetime
) -> int:
    """The place in the queue of a job queued with these keys: 1 + the queued jobs that
    ``claim_next``'s order puts before it (a higher lane, or the same lane and a lower
    virtual time, or the same and older), counted up to ``QUEUE_POSITION_CAP``; so at
    most ``QUEUE_POSITION_CAP + 1``, which means "more than the cap ahead".
    PostgreSQL's accept function (migration 0017) counts the same way; a test holds the
    two to the same answers."""
    higher_lane = jobs.c.lane > lane
    same_lane_before = and_(
        jobs.c.lane == lane,
        or_(
            jobs.c.fair_vt < fair_vt,
            and_(jobs.c.fair_vt == fair_vt, jobs.c.created_at < created_at),
        ),
    )
    ahead = 0
    for before in (higher_lane, same_lane_before):
        capped = (
            select(jobs.c.id)
            .where(jobs.c.status == JobStatus.QUEUED, before)
            .limit(QUEUE_POSITION_CAP - ahead)
            .subquery()
        )
        ahead += (await conn.execute(select(func.count()).select_from(capped))).scalar_one()
        if ahead >= QUEUE_POSITION_CAP:
            break
    return ahead + 1


async def extend_leases(
    conn: AsyncConnection, *, worker_id: str, job_ids: list[str], lease_s: float, now: datetime
) -> set[str]:
    """Heartbeat: push back the lease of this worker's running jobs. Returns the ids it
    still holds (a job missing here was taken over and must not be finished by us)."""
    if not job_ids:
        return set()
    rows = await conn.execute(
        update(jobs)
        .where(
            jobs.c.id.in_(job_ids),
            jobs.c.worker_id == worker_id,
            jobs.c.status == JobStatus.RUNNING,
        )
        .values(lease_expires_at=now + timedelta(seconds=lease_s))
        .returning(jobs.c.id)
    )
    return {r.id for r in rows}


async def release_for_retry(
    conn: AsyncConnection,
    job_id: str,
    *,
    worker_id: str,
    not_before: datetime | None,
    count_attempt: bool = True,
) -> bool:
    """Put a running job of ``worker_id`` back in the queue until ``not_before``
    (``None``: claimable at once).
    ``count_attempt=False`` gives the attempt back (the job never reached a provider)."""
    stmt = (
        status_update(JobStatus.QUEUED, only_from=(JobStatus.RUNNING,))
        .where(jobs.c.id == job_id, jobs.c.worker_id == worker_id)
        .values(worker_id=None, lease_expires_at=None, not_before=not_before)
    )
    if not count_attempt:
        stmt = stmt.values(attempts=jobs.c.attempts - 1)
    result = await conn.execute(stmt)
    return result.rowcount == 1


async def requeue_expired(conn: AsyncConnection, *, now: datetime) -> list[str]:
    """Running jobs whose lease expired (their worker died) and that have attempts left
    go back to the queue. Returns their ids."""
    rows = await conn.execute(
        status_update(JobStatus.QUEUED, only_from=(JobStatus.RUNNING,))
        .where(jobs.c.lease_expires_at < now, jobs.c.attempts < jobs.c.max_attempts)
        .values(worker_id=None, lease_expires_at=None)
        .returning(jobs.c.id)
    )
    return [r.id for r in rows]


async def exhausted_job_ids(conn: AsyncConnection, *, now: datetime) -> list[str]:
    """Running jobs whose lease expired on their last attempt: they must fail and refund
    (a poison job that kills its worker every time ends here)."""
    rows = await conn.execute(
        select(jobs.c.id).where(
            jobs.c.status == JobStatus.RUNNING,
            jobs.c.lease_expires_at < now,
            jobs.c.attempts >= jobs.c.max_attempts,
        )
    )
    return [r.id for r in rows]


async def overdue_job_ids(
    conn: AsyncConnection, *, created_before: datetime, limit: int = 100
) -> list[str]:
    """Queued or running jobs created before ``created_before`` (their deadline passed,
    whatever kept them: queue wait, busy services, retries, a stalled worker)."""
    rows = await conn.execute(
        select(jobs.c.id)
        .where(jobs.c.status.in_(ACTIVE_STATUSES), jobs.c.created_at < created_before)
        .order_by(jobs.c.created_at)
        .limit(limit)
    )
    return [r.id for r in rows]


async def claimable_ids(conn: AsyncConnection, *, now: datetime, limit: int) -> list[str]:
    """Jobs a worker could claim now, fairest first (at most ``limit``, to stay cheap)."""
    rows = await conn.execute(
        select(jobs.c.id)
        .where(_claimable(now))
        .order_by(jobs.c.lane.desc(), jobs.c.fair_vt, jobs.c.created_at)
        .limit(limit)
    )
    return [r.id for r in rows]


async def undelivered_finished(
    conn: AsyncConnection, *, now: datetime, grace_s: float, give_up_s: float, limit: int = 100
) -> list[Row]:
    """Ended jobs whose event no adapter has taken yet (a worker died before publishing,
    Redis lost the stream, the adapter was down): published again every ``grace_s``
    until ``give_up_s`` after the end. The adapter side claims delivery once."""
    stale = now - timedelta(seconds=grace_s)
    return list(
        (
            await conn.execute(
                select(jobs)
                .where(
                    jobs.c.status.in_(FINAL_STATUSES),
                    jobs.c.delivered_at.is_(None),
                    jobs.c.finished_at < stale,
                    jobs.c.finished_at > now - timedelta(seconds=give_up_s),
                    or_(jobs.c.notified_at.is_(None), jobs.c.notified_at < stale),
                )
                # Random: the workers sweeping at the same time pick different jobs.
                .order_by(func.random())
                .limit(limit)
            )
        ).all()
    )


async def mark_notified(conn: AsyncConnection, job_id: str, *, now: datetime) -> None:
    await conn.execute(update(jobs).where(jobs.c.id == job_id).values(notified_at=now))


async def claim_delivery(conn: AsyncConnection, job_id: str, *, now: datetime) -> bool:
    """Take the right to hand a job's terminal event to its chat; True exactly once."""
    result = await conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.delivered_at.is_(None))
        .values(delivered_at=now)
    )
    return result.rowcount == 1


async def claim_deliveries(conn: AsyncConnection, job_ids: list[str], *, now: datetime) -> set[str]:
    """``claim_delivery`` for many jobs in one statement; returns the ids won."""
    if not job_ids:
        return set()
    rows = await conn.execute(
        update(jobs)
        .where(jobs.c.id.in_(job_ids), jobs.c.delivered_at.is_(None))
        .values(delivered_at=now)
        .returning(jobs.c.id)
    )
    return {r.id for r in rows}


async def release_delivery(conn: AsyncConnection, job_id: str) -> None:
    """The hand-over failed: let a later attempt deliver."""
    await conn.execute(update(jobs).where(jobs.c.id == job_id).values(delivered_at=None))
