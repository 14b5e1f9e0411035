"""Reference images from the accept step to the providers.

At submission (``core.jobs.submission``): the request's references are checked against
the deployment, the plan and the model (``check_reference_request``), sanitized
(``core.jobs.uploads``), then stored, each under ``uploads/<account>/<upload id>.<ext>``
with an ``uploads`` row (``store_uploads``), before the job is accepted with their ids in
``jobs.reference_upload_ids``. An accept that is refused takes them back
(``discard_uploads``), so a refusal changes nothing. A process that dies between the
two leaves uploads no job names: still the account's (in /mydata, under the plan's
retention, erased by /forgetme), never anyone else's.

At run time (``load_references``): the worker reads them back in order, as the
``SourceImage``s the providers draw from: bytes from storage and a signed link of ours.
An upload deleted, erased or purged while the job waited fails it, refunded.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence

from sqlalchemy import Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.catalog import ModelSpec, Plan
from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.db.tables import uploads
from core.errors import ProviderPermanent, ReferenceImageGone, ReferenceImageRefused
from core.jobs.claimed import ClaimedJob
from core.jobs.uploads import CleanImage
from core.providers.base import SourceImage
from core.storage.port import ObjectStore

log = logging.getLogger("seedream.core")

REFERENCE_LINK_TTL_S = 3600  # a service fetching a reference does so within the attempt
MAX_UPLOAD_ID_LEN = 24


def new_upload_id() -> str:
    return secrets.token_urlsafe(9)  # 12 characters, like image ids


def upload_key(account_id: int, upload_id: str, ext: str) -> str:
    return f"uploads/{account_id}/{upload_id}.{ext}"


def join_ids(upload_ids: Sequence[str]) -> str | None:
    """``jobs.reference_upload_ids`` for ``upload_ids`` (None for none)."""
    return ",".join(upload_ids) if upload_ids else None


def split_ids(column: str | None) -> tuple[str, ...]:
    """The upload ids in ``jobs.reference_upload_ids``, in order."""
    return tuple(part for part in (column or "").split(",") if part)


def check_reference_request(plan: Plan, model: ModelSpec, count: int) -> None:
    """Refuse ``count`` reference images for ``model`` on ``plan`` (the deployment's
    switch is checked before: ``uploads_enabled``).

    Raises:
        ReferenceImageRefused: ``paid_plans_only`` (the plan has no reference images),
            ``unsupported`` (the model takes none) or ``too_many`` (max_images, model_id).
    """
    if not plan.reference_images:
        raise ReferenceImageRefused(reason="paid_plans_only")
    if model.max_reference_images == 0:
        raise ReferenceImageRefused(reason="unsupported", model_id=model.id)
    if count > model.max_reference_images:
        raise ReferenceImageRefused(
            reason="too_many", max_images=model.max_reference_images, model_id=model.id
        )


async def store_uploads(
    uow: UnitOfWorkFactory, storage: ObjectStore, account_id: int, images: list[CleanImage]
) -> tuple[str, ...]:
    """Store sanitized uploads: objects first, then their rows in one transaction.
    Returns their ids, in order. A failure deletes the objects already written.

    Raises:
        Whatever the storage or the database raised (nothing is left behind).
    """
    ids = tuple(new_upload_id() for _ in images)
    keys = [upload_key(account_id, i, img.ext) for i, img in zip(ids, images, strict=True)]
    written: list[str] = []
    try:
        for key, img in zip(keys, images, strict=True):
            written.append(key)  # before the put: an interrupted put is cleaned up too
            await storage.put(key, img.data, img.mime)
        now = utcnow()
        async with uow() as tx:
            await tx.conn.execute(
                uploads.insert(),
                [
                    dict(
                        id=upload_id,
                        account_id=account_id,
                        storage_key=key,
                        mime=img.mime,
                        width_px=img.width_px,
                        height_px=img.height_px,
                        size_bytes=len(img.data),
                        created_at=now,
                    )
                    for upload_id, key, img in zip(ids, keys, images, strict=True)
                ],
            )
            await tx.commit()
    except BaseException:
        await _delete_objects(storage, written)
        raise
    return ids


async def discard_uploads(
    uow: UnitOfWorkFactory, storage: ObjectStore, upload_ids: Sequence[str]
) -> None:
    """Take back uploads stored for an accept that was refused: rows and objects."""
    if not upload_ids:
        return
    async with uow() as tx:
        keys = list(
            (
                await tx.conn.execute(
                    delete(uploads)
                    .where(uploads.c.id.in_(list(upload_ids)))
                    .returning(uploads.c.storage_key)
                )
            ).scalars()
        )
        await tx.commit()
    await _delete_objects(storage, keys)


async def adopt_uploads(
    uow: UnitOfWorkFactory, upload_ids: Sequence[str], *, from_account: int, to_account: int
) -> None:
    """Give uploads stored for ``from_account`` to ``to_account``: the accept landed on
    the account a /link merge joined it into in between (the merge moved the rest)."""
    async with uow() as tx:
        await tx.conn.execute(
            update(uploads)
            .where(uploads.c.id.in_(list(upload_ids)), uploads.c.account_id == from_account)
            .values(account_id=to_account)
        )
        await tx.commit()


async def require_present(
    conn: AsyncConnection, account_id: int, upload_ids: Sequence[str]
) -> None:
    """Raises: ReferenceImageRefused(``gone``) unless every one of ``upload_ids`` is an
    upload of ``account_id`` still there (a Reroll draws from the same ones)."""
    found = set(
        (
            await conn.execute(
                select(uploads.c.id).where(
                    uploads.c.id.in_(list(upload_ids)),
                    uploads.c.account_id == account_id,
                    uploads.c.deleted_at.is_(None),
                )
            )
        ).scalars()
    )
    if found != set(upload_ids):
        raise ReferenceImageRefused(reason="gone")


async def load_references(
    uow: UnitOfWorkFactory, storage: ObjectStore, job: ClaimedJob
) -> tuple[SourceImage, ...]:
    """The reference images of ``job``, in the order the user gave them (none for a job
    without).

    Raises:
        ReferenceImageGone: one was deleted, erased or purged since the job was queued,
            or its object is missing from storage.
    """
    upload_ids = split_ids(job.reference_upload_ids)
    if not upload_ids:
        return ()
    async with uow() as tx:
        rows = {
            row.id: row
            for row in await tx.conn.execute(
                select(uploads).where(
                    uploads.c.id.in_(list(upload_ids)),
                    uploads.c.account_id == job.account_id,
                    uploads.c.deleted_at.is_(None),
                )
            )
        }
    references = []
    for upload_id in upload_ids:
        row = rows.get(upload_id)
        if row is None:
            raise ReferenceImageGone(reason="reference image deleted")
        references.append(await stored_source_image(storage, row, gone=ReferenceImageGone))
    return tuple(references)


async def stored_source_image(
    storage: ObjectStore, row: Row, *, gone: type[ProviderPermanent]
) -> SourceImage:
    """A stored image (an ``uploads`` or ``images`` row) as providers take it: its bytes
    and a signed link of ours that outlives the attempt.

    Raises:
        ``gone``: the object is missing from storage.
    """
    try:
        data = await storage.get(row.storage_key)
    except KeyError as exc:
        raise gone(reason="image missing from storage") from exc
    url = await storage.url(row.storage_key, expires_s=REFERENCE_LINK_TTL_S)
    return SourceImage(data=data, mime=row.mime, url=url, width=row.width_px, height=row.height_px)


async def _delete_objects(storage: ObjectStore, keys: list[str]) -> None:
    """Best effort: a failure leaves objects under the account's ``uploads/`` folder,
    which erasure lists, so they are not lost track of; logged, not raised."""
    if not keys:
        return
    try:
        await storage.delete_many(keys)
    except Exception:
        log.warning("could not delete %d stored upload object(s)", len(keys), exc_info=True)
