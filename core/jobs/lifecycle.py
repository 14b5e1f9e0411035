"""The job lifecycle: queued → running → succeeded | failed | cancelled (the moves
allowed are the table in ``core.jobs.status``).

Each transition is a conditional UPDATE on the job row (the row is the truth, the
queue only a wake-up call), so a job delivered twice has its effects once, and a
failed or cancelled job is refunded exactly once through the ledger's unique key.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.tables import accounts, images, jobs
from core.errors import ItemKind, NotFound, TooManyQueued
from core.jobs.claimed import ClaimedJob
from core.jobs.requests import ResolvedRequest
from core.jobs.status import ACTIVE_STATUSES, INITIAL_STATUS, JobStatus, status_update
from core.ledger import LedgerOutcome, Reason, apply_entry
from core.types import ReplyTarget

# The endings that give the job's cost back.
REFUNDED_STATUSES = (JobStatus.FAILED, JobStatus.CANCELLED)


def new_job_id() -> str:
    return uuid.uuid4().hex


def new_image_id() -> str:
    return secrets.token_urlsafe(9)  # 12 characters, URL- and callback-data-safe


@dataclass(frozen=True, slots=True)
class JobPolicy:
    """Per-job limits taken from the account's plan when the job is queued."""

    max_attempts: int = 3
    max_running: int = 1  # of the owner's jobs at once
    max_queued: int = 3  # of the owner's jobs waiting at once
    lane: int = 0  # 1 = priority lane


async def backlog_of(conn: AsyncConnection, account_id: int) -> tuple[int, int]:
    """(queued, queued + running) jobs of an account."""
    row = (
        await conn.execute(
            select(
                func.coalesce(func.sum(case((jobs.c.status == JobStatus.QUEUED, 1), else_=0)), 0),
                func.count(),
            ).where(jobs.c.account_id == account_id, jobs.c.status.in_(ACTIVE_STATUSES))
        )
    ).one()
    return int(row[0]), int(row[1])


async def insert_job(
    conn: AsyncConnection,
    *,
    account_id: int,
    request: ResolvedRequest,
    platform: str,
    reply_target: ReplyTarget | None,
    locale: str | None,
    policy: JobPolicy,
    request_key: str | None = None,
) -> tuple[Row, int]:
    """Debit the cost and insert the job, in the caller's transaction; returns the job's
    row and the balance after the debit.

    The job's virtual time is its rank in the owner's backlog: a user's n-th waiting
    job runs after every other user's (n-1)-th, whoever queued first.

    Raises:
        TooManyQueued: the owner already has ``policy.max_queued`` jobs waiting.
        InsufficientCredits: the balance does not cover ``request.cost_credits``.
    """
    # Lock the owner's row first (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the
    # database), so that concurrent submits of one user count each other's jobs.
    balance_credits = (
        await conn.execute(
            select(accounts.c.balance_credits).where(accounts.c.id == account_id).with_for_update()
        )
    ).scalar_one()
    queued, active = await backlog_of(conn, account_id)
    if queued >= policy.max_queued:
        raise TooManyQueued(max_queued_jobs=policy.max_queued)
    job_id = new_job_id()
    if request.cost_credits > 0:
        debited = await apply_entry(
            conn,
            account_id=account_id,
            amount_credits=-request.cost_credits,
            reason=Reason.SPEND,
            reference=job_id,
        )
        balance_credits = debited.balance_credits
    job = (
        await conn.execute(
            jobs.insert()
            .values(
                id=job_id,
                account_id=account_id,
                status=INITIAL_STATUS,
                model_id=request.model.id,
                prompt=request.prompt,
                negative_prompt=request.negative_prompt,
                enhance=request.enhance,
                aspect_ratio=request.aspect_ratio,
                width_px=request.width_px,
                height_px=request.height_px,
                seed=request.seed,
                image_count=request.image_count,
                cost_credits=request.cost_credits,
                platform=platform,
                reply_target=reply_target.to_json() if reply_target else None,
                locale=locale,
                max_attempts=policy.max_attempts,
                max_running=policy.max_running,
                lane=policy.lane,
                fair_vt=active + 1,
                source_image_id=request.source_image_id,
                reference_upload_ids=",".join(request.reference_upload_ids) or None,
                created_at=utcnow(),
                request_key=request_key,
            )
            .returning(jobs)
        )
    ).one()
    return job, balance_credits


@dataclass(frozen=True, slots=True)
class StoredImage:
    position: int
    storage_key: str
    mime: str
    width_px: int
    height_px: int
    size_bytes: int
    # Its chat preview (core.storage.derivatives), None when none was made.
    preview: StoredPreview | None = None

    @property
    def keys(self) -> list[str]:
        """Every object this image is made of: the original and its preview."""
        return [self.storage_key] + ([self.preview.storage_key] if self.preview else [])


@dataclass(frozen=True, slots=True)
class StoredPreview:
    storage_key: str
    mime: str
    width_px: int
    height_px: int
    size_bytes: int


PREVIEW_COLUMNS = (
    "preview_key",
    "preview_mime",
    "preview_width_px",
    "preview_height_px",
    "preview_size_bytes",
)


def preview_columns(preview: StoredPreview | None) -> dict[str, object]:
    """The ``images`` row's preview columns (all NULL without a preview)."""
    return dict(
        preview_key=preview.storage_key if preview else None,
        preview_mime=preview.mime if preview else None,
        preview_width_px=preview.width_px if preview else None,
        preview_height_px=preview.height_px if preview else None,
        preview_size_bytes=preview.size_bytes if preview else None,
    )


async def complete(
    conn: AsyncConnection,
    job: ClaimedJob,
    *,
    worker_id: str,
    provider_route: str,
    stored: list[StoredImage],
    image_ids: list[str] | None = None,
    now: datetime | None = None,
    seed_used: int | None = None,
) -> bool:
    """Mark a running job succeeded and record its images (with ``image_ids``, or new
    ones) and the seed they were made with (``seed_used``, None if not known). False if
    this worker no longer holds the job (its lease was taken over): then nothing is
    written."""
    now = now or utcnow()
    image_ids = image_ids or [new_image_id() for _ in stored]
    done = await conn.execute(
        status_update(JobStatus.SUCCEEDED, only_from=(JobStatus.RUNNING,))
        .where(jobs.c.id == job.id, jobs.c.worker_id == worker_id)
        .values(
            finished_at=now,
            provider_route=provider_route,
            lease_expires_at=None,
            seed_used=seed_used,
        )
    )
    if done.rowcount != 1:
        return False
    await conn.execute(
        images.insert(),
        [
            dict(
                id=image_id,
                job_id=job.id,
                account_id=job.account_id,
                position=img.position,
                storage_key=img.storage_key,
                mime=img.mime,
                width_px=img.width_px,
                height_px=img.height_px,
                size_bytes=img.size_bytes,
                created_at=now,
                **preview_columns(img.preview),
            )
            for img, image_id in zip(stored, image_ids, strict=True)
        ],
    )
    return True


async def end_unsuccessfully(
    conn: AsyncConnection,
    job_id: str,
    *,
    status: JobStatus,
    error_code: str,
    from_states: tuple[JobStatus, ...],
    account_id: int | None = None,
    worker_id: str | None = None,
    notified: bool = False,
    provider_route: str | None = None,
) -> Row | None:
    """Move a job to ``failed`` or ``cancelled`` if it is still in ``from_states``, and
    refund it. Returns the updated row, or ``None`` if the job was not in those states.
    ``notified``: the user is told by the caller's own reply (a cancel), so the event
    bus need not carry it.

    Raises:
        ValueError: ``status`` is not failed or cancelled.
        InvalidTransition: the status table forbids a move from ``from_states`` to
            ``status``.
    """
    if status not in REFUNDED_STATUSES:
        raise ValueError(f"{status} is not an unsuccessful ending")
    now = utcnow()
    stmt = status_update(status, only_from=from_states).where(jobs.c.id == job_id)
    if account_id is not None:
        stmt = stmt.where(jobs.c.account_id == account_id)
    if worker_id is not None:
        stmt = stmt.where(jobs.c.worker_id == worker_id)
    row = (
        await conn.execute(
            stmt.values(
                error_code=error_code,
                finished_at=now,
                lease_expires_at=None,
                notified_at=now if notified else None,
                delivered_at=now if notified else None,
                provider_route=func.coalesce(provider_route, jobs.c.provider_route),
            ).returning(jobs)
        )
    ).one_or_none()
    if row is not None:
        await refund(conn, row)
    return row


async def refund(conn: AsyncConnection, job: Row) -> LedgerOutcome | None:
    """Give back a job's cost once; a second call is a no-op. Only for failed or
    cancelled jobs.

    Raises:
        ValueError: the job did not end unsuccessfully.
    """
    if job.status not in REFUNDED_STATUSES:
        raise ValueError(f"job {job.id} is {job.status}; only failed or cancelled jobs refund")
    if job.cost_credits == 0:
        return None
    return await apply_entry(
        conn,
        account_id=job.account_id,
        amount_credits=job.cost_credits,
        reason=Reason.REFUND,
        reference=job.id,
    )


async def job_id_for_request(conn: AsyncConnection, request_key: str) -> str | None:
    """The job a platform request (see ``jobs.request_key``) already created, if any."""
    stmt = select(jobs.c.id).where(jobs.c.request_key == request_key)
    return (await conn.execute(stmt)).scalar_one_or_none()


async def get_job(conn: AsyncConnection, job_id: str, *, account_id: int | None = None) -> Row:
    """Raises: NotFound (also for another account's job)."""
    stmt = select(jobs).where(jobs.c.id == job_id)
    if account_id is not None:
        stmt = stmt.where(jobs.c.account_id == account_id)
    row = (await conn.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound(what=ItemKind.JOB)
    return row


async def job_images(conn: AsyncConnection, job_ids: list[str]) -> dict[str, list[Row]]:
    found: dict[str, list[Row]] = {jid: [] for jid in job_ids}
    if not job_ids:
        return found
    rows = await conn.execute(
        select(images)
        .where(images.c.job_id.in_(job_ids), images.c.deleted_at.is_(None))
        .order_by(images.c.job_id, images.c.position)
    )
    for row in rows:
        found[row.job_id].append(row)
    return found


async def image_storage_key(
    conn: AsyncConnection, image_id: str, *, preview: bool = False
) -> str | None:
    """Where a result image (not deleted), or with ``preview`` its chat preview, is
    stored; None when there is none."""
    column = images.c.preview_key if preview else images.c.storage_key
    return (
        await conn.execute(
            select(column).where(images.c.id == image_id, images.c.deleted_at.is_(None))
        )
    ).scalar_one_or_none()


async def recent_jobs(conn: AsyncConnection, account_id: int, *, limit: int) -> list[Row]:
    return list(
        (
            await conn.execute(
                select(jobs)
                .where(jobs.c.account_id == account_id)
                .order_by(jobs.c.created_at.desc(), jobs.c.id)
                .limit(limit)
            )
        ).all()
    )


async def latest_queued_job(conn: AsyncConnection, account_id: int) -> Row | None:
    return (
        await conn.execute(
            select(jobs)
            .where(jobs.c.account_id == account_id, jobs.c.status == JobStatus.QUEUED)
            .order_by(jobs.c.created_at.desc())
            .limit(1)
        )
    ).one_or_none()


async def set_enhanced_prompt(conn: AsyncConnection, job_id: str, prompt: str) -> None:
    await conn.execute(update(jobs).where(jobs.c.id == job_id).values(enhanced_prompt=prompt))
