"""Retention: what ``seedream purge`` and the worker's scheduled purge remove.

* images older than their owner's plan allows (``image_retention_days`` in the
  catalogue) leave history and storage; so do the reference images users brought
  (uploads: ``core.privacy.uploads``);
* soft-deleted images and uploads (``/delete``, retention) are removed for good once
  ``grace_days`` (at most 30) have passed since their deletion, their objects again;
* expired exports: object and row; unfinished ones after a day;
* expired erasure confirmations.

Objects are deleted before the rows that name them, so a failure leaves a row the next
pass retries, never an object nobody knows about.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Row

from core.catalog import Catalog
from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.db.tables import accounts, exports, images, privacy_confirmations
from core.privacy.uploads import expire_uploads, purge_deleted_uploads
from core.storage.port import ObjectStore

log = logging.getLogger("seedream.retention")

MAX_GRACE_DAYS = 30  # the privacy policy's promise
BATCH = 1000


@dataclass
class PurgeReport:
    images_expired: int = 0
    images_purged: int = 0
    uploads_expired: int = 0
    uploads_purged: int = 0
    exports_deleted: int = 0
    confirmations_deleted: int = 0
    storage_objects_deleted: int = 0
    at: datetime = field(default_factory=utcnow)

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if isinstance(v, int)}


async def purge_once(
    uow: UnitOfWorkFactory,
    storage: ObjectStore,
    catalog: Catalog,
    *,
    grace_days: int = 7,
    now: datetime | None = None,
) -> PurgeReport:
    """One purge pass (safe to run from several workers at once)."""
    if not 0 <= grace_days <= MAX_GRACE_DAYS:
        raise ValueError(f"grace_days must be 0..{MAX_GRACE_DAYS}, got {grace_days}")
    now = now or utcnow()
    report = PurgeReport(at=now)
    await _expire_images(uow, storage, catalog, now, report)
    await _purge_deleted_images(uow, storage, now - timedelta(days=grace_days), report)
    await _expire_and_purge_uploads(uow, storage, catalog, now, grace_days, report)
    await _delete_expired_exports(uow, storage, now, report)
    async with uow() as tx:
        result = await tx.conn.execute(
            delete(privacy_confirmations).where(privacy_confirmations.c.expires_at <= now)
        )
        report.confirmations_deleted = result.rowcount
        await tx.commit()
    log.info("purge done %s", report.as_dict())
    return report


def image_keys(row: Row) -> list[str]:
    """The objects of an ``images`` row: the original and its preview (if one was made)."""
    return [row.storage_key] + ([row.preview_key] if row.preview_key else [])


async def _expire_images(
    uow: UnitOfWorkFactory,
    storage: ObjectStore,
    catalog: Catalog,
    now: datetime,
    report: PurgeReport,
) -> None:
    default_days = catalog.plan("free").image_retention_days
    async with uow() as tx:
        plan_ids = list((await tx.conn.execute(select(accounts.c.plan).distinct())).scalars())
    for plan_id in plan_ids:
        days = (
            catalog.plans[plan_id].image_retention_days
            if plan_id in catalog.plans
            else default_days
        )
        cutoff = now - timedelta(days=days)
        while True:
            async with uow() as tx:
                rows = (
                    await tx.conn.execute(
                        select(images.c.id, images.c.storage_key, images.c.preview_key)
                        .join(accounts, accounts.c.id == images.c.account_id)
                        .where(
                            accounts.c.plan == plan_id,
                            images.c.deleted_at.is_(None),
                            images.c.created_at < cutoff,
                        )
                        .limit(BATCH)
                    )
                ).all()
            if not rows:
                break
            keys = [key for r in rows for key in image_keys(r)]
            await storage.delete_many(keys)
            report.storage_objects_deleted += len(keys)
            async with uow() as tx:
                result = await tx.conn.execute(
                    update(images)
                    .where(images.c.id.in_([r.id for r in rows]), images.c.deleted_at.is_(None))
                    .values(deleted_at=now)
                )
                await tx.commit()
            report.images_expired += result.rowcount
            if len(rows) < BATCH:
                break


async def _expire_and_purge_uploads(
    uow: UnitOfWorkFactory,
    storage: ObjectStore,
    catalog: Catalog,
    now: datetime,
    grace_days: int,
    report: PurgeReport,
) -> None:
    """Uploads follow their owner's plan's image retention, then the same grace."""
    days = {plan_id: plan.image_retention_days for plan_id, plan in catalog.plans.items()}
    expired, objects = await expire_uploads(
        uow, storage, days, catalog.plan("free").image_retention_days, now, batch=BATCH
    )
    report.uploads_expired += expired
    report.storage_objects_deleted += objects
    report.uploads_purged += await purge_deleted_uploads(
        uow, storage, now - timedelta(days=grace_days), batch=BATCH
    )


async def _purge_deleted_images(
    uow: UnitOfWorkFactory, storage: ObjectStore, cutoff: datetime, report: PurgeReport
) -> None:
    while True:
        async with uow() as tx:
            rows = (
                await tx.conn.execute(
                    select(images.c.id, images.c.storage_key, images.c.preview_key)
                    .where(images.c.deleted_at.is_not(None), images.c.deleted_at <= cutoff)
                    .limit(BATCH)
                )
            ).all()
        if not rows:
            return
        # Again: the delete at expiry or /delete may have failed.
        await storage.delete_many([key for r in rows for key in image_keys(r)])
        async with uow() as tx:
            result = await tx.conn.execute(
                delete(images).where(images.c.id.in_([r.id for r in rows]))
            )
            await tx.commit()
        report.images_purged += result.rowcount
        if len(rows) < BATCH:
            return


async def _delete_expired_exports(
    uow: UnitOfWorkFactory, storage: ObjectStore, now: datetime, report: PurgeReport
) -> None:
    stuck = now - timedelta(days=1)  # a build that died half-way
    while True:
        async with uow() as tx:
            rows = (
                await tx.conn.execute(
                    select(exports.c.id, exports.c.storage_key)
                    .where(
                        (exports.c.expires_at <= now)
                        | ((exports.c.status == "building") & (exports.c.created_at <= stuck))
                    )
                    .limit(BATCH)
                )
            ).all()
        if not rows:
            return
        await storage.delete_many([r.storage_key for r in rows])
        report.storage_objects_deleted += len(rows)
        async with uow() as tx:
            result = await tx.conn.execute(
                delete(exports).where(exports.c.id.in_([r.id for r in rows]))
            )
            await tx.commit()
        report.exports_deleted += result.rowcount
        if len(rows) < BATCH:
            return
