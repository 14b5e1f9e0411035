"""The reference images a user brought to /imagine (``uploads``): listed in the export
with their files, rows deleted on erasure (the objects, under ``uploads/<account>/``, go
with the storage participant)."""

from __future__ import annotations

from sqlalchemy import delete, select

from core.db.tables import uploads
from core.privacy.registry import ErasureContext, ExportContext, json_value


class UploadsParticipant:
    name = "uploads"
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
