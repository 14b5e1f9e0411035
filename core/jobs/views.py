"""Rows → the typed views adapters render (with fresh links to stored images)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from core.jobs.lifecycle import job_images
from core.jobs.requests import ResolvedRequest
from core.jobs.status import JobStatus
from core.storage.port import ObjectStore
from core.types import AcceptedJob, ImageView, JobView


async def image_views(rows: list[Row], storage: ObjectStore, *, link_ttl_s: int) -> list[ImageView]:
    """``images`` rows → views with fresh links to the original and its preview (none for
    an image made before previews, or whose preview failed)."""
    return [
        ImageView(
            image_id=r.id,
            url=await storage.url(r.storage_key, expires_s=link_ttl_s),
            width=r.width_px,
            height=r.height_px,
            mime=r.mime,
            preview_url=await preview_url(storage, r.preview_key, link_ttl_s),
        )
        for r in rows
    ]


async def preview_url(storage: ObjectStore, preview_key: str | None, link_ttl_s: int) -> str | None:
    """A signed link to a preview, None without one."""
    if preview_key is None:
        return None
    return await storage.url(preview_key, expires_s=link_ttl_s)


async def job_views(
    conn: AsyncConnection,
    rows: list[Row],
    storage: ObjectStore,
    *,
    link_ttl_s: int,
) -> list[JobView]:
    found = await job_images(conn, [r.id for r in rows])
    views = []
    for r in rows:
        links = await image_views(found[r.id], storage, link_ttl_s=link_ttl_s)
        views.append(job_view(r, links))
    return views


def job_view(row: Row, links: list[ImageView], *, queue_position: int | None = None) -> JobView:
    return JobView(
        job_id=row.id,
        status=row.status,
        model_id=row.model_id,
        prompt=row.prompt,
        aspect_ratio=row.aspect_ratio,
        # A finished job reports the seed its images were made with, never one the
        # route ignored (see core.providers.capabilities.seed_used).
        seed=row.seed_used if row.status == JobStatus.SUCCEEDED else row.seed,
        image_count=row.image_count,
        cost_credits=row.cost_credits,
        created_at=row.created_at,
        finished_at=row.finished_at,
        error_code=row.error_code,
        images=links,
        queue_position=queue_position,
    )


def new_job_view(
    job_id: str,
    request: ResolvedRequest,
    created_at: datetime,
    queue_position: int,
    balance_credits: int,
    locale: str | None = None,
) -> AcceptedJob:
    """The view of a job just accepted, built without reading it back."""
    return AcceptedJob(
        job_id=job_id,
        status=JobStatus.QUEUED,
        model_id=request.model.id,
        prompt=request.prompt,
        aspect_ratio=request.aspect_ratio,
        seed=request.seed,
        image_count=request.image_count,
        cost_credits=request.cost_credits,
        created_at=created_at,
        finished_at=None,
        error_code=None,
        images=[],
        queue_position=queue_position,
        balance_credits=balance_credits,
        locale=locale,
    )
