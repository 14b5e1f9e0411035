"""The reference images a user brought to /imagine (``uploads``), as personal data:
listed in the export with their files, rows deleted on erasure (the objects, under
``uploads/<account>/``, go with the storage participant), deleted one by one with
``/delete <upload id>``, and kept for the plan's image retention, then purged like
images (``core.privacy.retention``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.db.tables import accounts, uploads
from core.privacy.registry import ErasureContext, ExportContext, json_value
from core.storage.port import ObjectStore


class UploadsParticipant:
    name = "uploads"
    count_keys: tuple[str, ...] = ("uploads",)  # what erase() counts
    tables = ("uploads",)
    external = False
    order = 20

    async def export(self, ctx: ExportContext) -> None:
        found = (
            await ctx.conn.execute(
                select(uploads)
                .where(
                    uploads.c.account_id == ctx.subject.account_id,
                    uploads.c.deleted_at.is_(None),
                )
                .order_by(uploads.c.created_at, uploads.c.id)
            )
        ).all()
        listed = []
        for row in found:
            ext = row.storage_key.rsplit(".", 1)[-1]
            ref = ctx.add_object(
                f"uploads/{row.id}.{ext}", row.storage_key, size_bytes=row.size_bytes
            )
            listed.append(
                {
                    "upload_id": row.id,
                    "file": ref,
                    "mime": row.mime,
                    "width_px": row.width_px,
                    "height_px": row.height_px,
                    "size_bytes": row.size_bytes,
                    "created_at": json_value(row.created_at),
                }
            )
        ctx.add_json("uploads.json", "uploads", listed)

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        assert ctx.conn is not None
        gone = await ctx.conn.execute(delete(uploads).where(uploads.c.account_id == ctx.account_id))
        return {"uploads": gone.rowcount}


async def delete_upload(conn: AsyncConnection, account_id: int, upload_id: str) -> str | None:
    """Mark an upload of ``account_id`` deleted (``/delete`` with an upload id, as listed in
    the export); returns its storage key for the caller to delete after the commit, or
    None when there is no such upload or it is another account's (the caller answers
    "not found" to both)."""
    row = (
        await conn.execute(
            update(uploads)
            .where(
                uploads.c.id == upload_id,
                uploads.c.account_id == account_id,
                uploads.c.deleted_at.is_(None),
            )
            .values(deleted_at=utcnow())
            .returning(uploads.c.storage_key)
        )
    ).one_or_none()
    return None if row is None else row.storage_key


async def expire_uploads(
    uow: UnitOfWorkFactory,
    storage: ObjectStore,
    retention_days: dict[str, int],
    default_days: int,
    now: datetime,
    *,
    batch: int,
) -> tuple[int, int]:
    """Uploads older than their owner's plan keeps images (``retention_days`` by plan,
    else ``default_days``): objects deleted, rows marked deleted. Returns (uploads
    expired, objects deleted)."""
    async with uow() as tx:
        plan_ids = list((await tx.conn.execute(select(accounts.c.plan).distinct())).scalars())
    expired = objects = 0
    for plan_id in plan_ids:
        cutoff = now - timedelta(days=retention_days.get(plan_id, default_days))
        while True:
            async with uow() as tx:
                rows = (
                    await tx.conn.execute(
                        select(uploads.c.id, uploads.c.storage_key)
                        .join(accounts, accounts.c.id == uploads.c.account_id)
                        .where(
                            accounts.c.plan == plan_id,
                            uploads.c.deleted_at.is_(None),
                            uploads.c.created_at < cutoff,
                        )
                        .limit(batch)
                    )
                ).all()
            if not rows:
                break
            await storage.delete_many([r.storage_key for r in rows])  # objects first
            objects += len(rows)
            async with uow() as tx:
                result = await tx.conn.execute(
                    update(uploads)
                    .where(uploads.c.id.in_([r.id for r in rows]), uploads.c.deleted_at.is_(None))
                    .values(deleted_at=now)
                )
                await tx.commit()
            expired += result.rowcount
            if len(rows) < batch:
                break
    return expired, objects


async def purge_deleted_uploads(
    uow: UnitOfWorkFactory, storage: ObjectStore, cutoff: datetime, *, batch: int
) -> int:
    """Remove for good the uploads deleted before ``cutoff`` (their objects again, in case
    the first deletion failed). Returns how many rows went."""
    purged = 0
    while True:
        async with uow() as tx:
            rows = (
                await tx.conn.execute(
                    select(uploads.c.id, uploads.c.storage_key)
                    .where(uploads.c.deleted_at.is_not(None), uploads.c.deleted_at <= cutoff)
                    .limit(batch)
                )
            ).all()
        if not rows:
            return purged
        await storage.delete_many([r.storage_key for r in rows])
        async with uow() as tx:
            result = await tx.conn.execute(
                delete(uploads).where(uploads.c.id.in_([r.id for r in rows]))
            )
            await tx.commit()
        purged += result.rowcount
        if len(rows) < batch:
            return purged
