"""/gallery: a personal link to a web page of the user's own images (``core.gallery`` on
the facade).

The chat command issues the link (``core.accounts.web_links``); the web adapter opens it
and then names the link, never an account, on every later call, so each read and each
deletion checks the link again (expired, revoked by a newer link or by /forgetme: refused).
Deleting goes through the same path as /delete (``PrivacyService.delete_image_of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select

from core.accounts import store as acc
from core.accounts import web_links as links
from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.db.tables import images, jobs
from core.jobs.views import preview_url
from core.privacy.service import PrivacyService
from core.settings import CoreSettings
from core.storage.port import ObjectStore
from core.types import Actor

PURPOSE = "gallery"
PAGE_SIZE = 24
MAX_PAGE_SIZE = 60
MAX_SEARCH_CHARS = 200
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class GalleryLink:
    """Open ``url`` before ``expires_at`` (it replaces any earlier gallery link)."""

    url: str
    expires_at: datetime
    ttl_s: int


@dataclass(frozen=True, slots=True)
class GalleryItem:
    image_id: str
    job_id: str
    prompt: str
    model_id: str
    created_at: datetime
    width: int
    height: int
    size_bytes: int
    url: str  # the original, full size (a signed or public storage link)
    preview_url: str | None  # the chat-sized preview; None for images made before previews


@dataclass(frozen=True, slots=True)
class GalleryPage:
    items: list[GalleryItem]
    next_cursor: str | None  # pass back for the next (older) page; None on the last one
    models: list[str]  # the models the account's images were made with, for the filter
    language: str | None  # the account's /settings language, if it chose one
    link_expires_at: datetime


def encode_cursor(created_at: datetime, image_id: str) -> str:
    micros = (created_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{image_id}"


def decode_cursor(cursor: str) -> tuple[datetime, str] | None:
    """None for a malformed cursor (the first page is shown)."""
    micros, _, image_id = cursor.partition(".")
    if not micros.isdigit() or not image_id or len(image_id) > 24 or len(micros) > 20:
        return None
    return _EPOCH + timedelta(microseconds=int(micros)), image_id


def like_pattern(search: str) -> str:
    """``search`` as a LIKE pattern matching it anywhere, its wildcards escaped (``\\``)."""
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def page_query(
    account_id: int,
    *,
    model: str | None = None,
    search: str | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int = PAGE_SIZE,
):
    """The SELECT of one page: ``account_id``'s visible images newest first (created_at,
    id), one more than ``limit`` to tell whether another page follows."""
    query = (
        select(
            images.c.id,
            images.c.job_id,
            images.c.created_at,
            images.c.width_px,
            images.c.height_px,
            images.c.size_bytes,
            images.c.storage_key,
            images.c.preview_key,
            jobs.c.prompt,
            jobs.c.model_id,
        )
        .join(jobs, jobs.c.id == images.c.job_id)
        .where(images.c.account_id == account_id, images.c.deleted_at.is_(None))
        .order_by(images.c.created_at.desc(), images.c.id.desc())
        .limit(limit + 1)
    )
    if model:
        query = query.where(jobs.c.model_id == model)
    if search:
        query = query.where(func.lower(jobs.c.prompt).like(like_pattern(search), escape="\\"))
    if after is not None:
        at, image_id = after
        query = query.where(
            or_(
                images.c.created_at < at,
                and_(images.c.created_at == at, images.c.id < image_id),
            )
        )
    return query


class Gallery:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        storage: ObjectStore,
        privacy: PrivacyService,
        settings: CoreSettings,
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._privacy = privacy
        self.settings = settings

    async def link(self, actor: Actor) -> GalleryLink:
        """A new personal gallery link for ``actor``; earlier ones stop working.

        Raises:
            TermsNotAccepted, Banned: as every command that needs a usable account.
        """
        ttl_s = self.settings.gallery_link_ttl_s
        async with self._uow() as uow:
            row = await acc.usable_account(uow.conn, actor, self.settings.policy_version)
            issued = await links.issue_link(uow.conn, row.id, PURPOSE, now=utcnow(), ttl_s=ttl_s)
            await uow.commit()
        base = self.settings.web_base_url.rstrip("/")
        return GalleryLink(
            url=f"{base}/gallery/t/{issued.token}", expires_at=issued.expires_at, ttl_s=ttl_s
        )

    async def open(self, token: str) -> links.LinkGrant:
        """The link behind ``token`` (a web session then names its ``link_id``).

        Raises:
            WebLinkInvalid: forged, expired or revoked.
        """
        async with self._uow() as uow:
            return await links.resolve_token(uow.conn, token, PURPOSE, now=utcnow())

    async def check(self, link_id: int) -> links.LinkGrant:
        """Raises: WebLinkInvalid (expired or revoked since it was opened)."""
        async with self._uow() as uow:
            return await links.check_link(uow.conn, link_id, PURPOSE, now=utcnow())

    async def page(
        self,
        link_id: int,
        *,
        model: str | None = None,
        search: str | None = None,
        cursor: str | None = None,
        limit: int = PAGE_SIZE,
    ) -> GalleryPage:
        """One page of the link's account's images, newest first.

        Raises:
            WebLinkInvalid: the link expired or was revoked.
        """
        limit = max(1, min(limit, MAX_PAGE_SIZE))
        search = (search or "").strip()[:MAX_SEARCH_CHARS] or None
        after = decode_cursor(cursor) if cursor else None
        async with self._uow() as uow:
            grant = await links.check_link(uow.conn, link_id, PURPOSE, now=utcnow())
            account_id = grant.account_id
            rows = (
                await uow.conn.execute(
                    page_query(account_id, model=model, search=search, after=after, limit=limit)
                )
            ).all()
            models = (
                await uow.conn.execute(
                    select(jobs.c.model_id)
                    .join(images, images.c.job_id == jobs.c.id)
                    .where(images.c.account_id == account_id, images.c.deleted_at.is_(None))
                    .group_by(jobs.c.model_id)
                    .order_by(jobs.c.model_id)
                )
            ).scalars()
            model_ids = list(models)
        shown, more = rows[:limit], len(rows) > limit
        ttl_s = self.settings.link_ttl_s
        items = [
            GalleryItem(
                image_id=r.id,
                job_id=r.job_id,
                prompt=r.prompt,
                model_id=r.model_id,
                created_at=r.created_at,
                width=r.width_px,
                height=r.height_px,
                size_bytes=r.size_bytes,
                url=await self._storage.url(r.storage_key, expires_s=ttl_s),
                preview_url=await preview_url(self._storage, r.preview_key, ttl_s),
            )
            for r in shown
        ]
        last = shown[-1] if shown else None
        return GalleryPage(
            items=items,
            next_cursor=encode_cursor(last.created_at, last.id) if more and last else None,
            models=model_ids,
            language=grant.language,
            link_expires_at=grant.expires_at,
        )

    async def delete(self, link_id: int, image_id: str) -> None:
        """Delete one of the link's account's images, as /delete does.

        Raises:
            WebLinkInvalid: the link expired or was revoked.
            NotFound: no such image, already deleted, or another account's.
        """
        grant = await self.check(link_id)
        await self._privacy.delete_image_of(grant.account_id, image_id)


__all__ = [
    "Gallery",
    "GalleryItem",
    "GalleryLink",
    "GalleryPage",
    "decode_cursor",
    "encode_cursor",
    "like_pattern",
    "page_query",
]
