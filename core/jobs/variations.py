"""Variations (Midjourney's V1..Vn): a new job drawn from one finished image.

A variation is a normal job of the image's model, with the same options and image count
and a new seed, that also carries ``source_image_id``; it is charged and queued through
the same accept path as /imagine (``Core.vary``). The worker loads the source image from
storage when the job runs (``load_source``): an image deleted in between fails the job,
which is refunded like any other failure.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.catalog import Catalog
from core.db.engine import UnitOfWorkFactory
from core.db.tables import images, jobs
from core.errors import ItemKind, NotFound, SourceImageGone, VariationsUnsupported
from core.jobs.claimed import ClaimedJob
from core.jobs.references import stored_source_image
from core.jobs.requests import SEED_MAX
from core.providers.base import SourceImage
from core.storage.port import ObjectStore
from core.types import ImagineRequest

MAX_IMAGE_ID_LEN = 24


async def variation_request(
    conn: AsyncConnection, account_id: int, image_id: str, catalog: Catalog
) -> ImagineRequest:
    """The request for a variation of ``image_id``: its job's prompt and options, a new
    seed where the model takes one.

    Raises:
        NotFound: no such image, deleted, or another account's (the same answer, so a
            guessed id reveals nothing).
        VariationsUnsupported: the image's model offers no variations.
    """
    image_id = image_id.strip()
    if not image_id or len(image_id) > MAX_IMAGE_ID_LEN:
        raise NotFound(what=ItemKind.IMAGE)
    row = (
        await conn.execute(
            select(jobs)
            .join(images, images.c.job_id == jobs.c.id)
            .where(
                images.c.id == image_id,
                images.c.account_id == account_id,
                images.c.deleted_at.is_(None),
            )
        )
    ).one_or_none()
    if row is None:
        raise NotFound(what=ItemKind.IMAGE)
    model = catalog.model(row.model_id)
    if model is None or not model.variations:
        raise VariationsUnsupported(model_id=row.model_id)
    return ImagineRequest(
        prompt=row.prompt,
        model_id=row.model_id,
        aspect_ratio=row.aspect_ratio,
        seed=secrets.randbelow(SEED_MAX + 1) if model.supports_seed else None,
        negative_prompt=row.negative_prompt,
        image_count=row.image_count,
        enhance=bool(row.enhance),
    )


async def load_source(
    uow: UnitOfWorkFactory, storage: ObjectStore, job: ClaimedJob
) -> SourceImage | None:
    """The source image of a variation job (``None`` for any other job).

    Raises:
        SourceImageGone: the image was deleted, erased or purged since the job was queued.
    """
    if not job.source_image_id:
        return None
    async with uow() as tx:
        row = (
            await tx.conn.execute(
                select(images).where(
                    images.c.id == job.source_image_id,
                    images.c.account_id == job.account_id,
                    images.c.deleted_at.is_(None),
                )
            )
        ).one_or_none()
    if row is None:
        raise SourceImageGone(reason="source image deleted")
    return await stored_source_image(storage, row, gone=SourceImageGone)
