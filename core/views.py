"""Rows → the typed views adapters render (with fresh links to stored images)."""

from __future__ import annotations

from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from core.generation import job_images
from core.storage import ObjectStore
from core.types import ImageView, JobView


async def image_views(rows: list[Row], storage: ObjectStore, *, link_ttl_s: int) -> list[ImageView]:
    return [
        ImageView(
            image_id=r.id,
            url=await storage.url(r.storage_key, expires_s=link_ttl_s),
            width=r.width_px,
            height=r.height_px,
            mime=r.mime,
        )
        for r in rows
    ]


async def job_views(
    conn: AsyncConnection,
    rows: list[Row],
    storage: ObjectStore,
    *,
    link_ttl_s: int,
    positions: dict[str, int] | None = None,
) -> list[JobView]:
    found = await job_images(conn, [r.id for r in rows])
    views = []
    for r in rows:
        views.append(
            JobView(
                job_id=r.id,
                status=r.status,
                model_id=r.model_id,
                prompt=r.prompt,
                aspect_ratio=r.aspect_ratio,
                seed=r.seed,
                image_count=r.image_count,
                cost_credits=r.cost_credits,
                created_at=r.created_at,
                finished_at=r.finished_at,
                error_code=r.error_code,
                images=await image_views(found[r.id], storage, link_ttl_s=link_ttl_s),
                queue_position=(positions or {}).get(r.id),
            )
        )
    return views
