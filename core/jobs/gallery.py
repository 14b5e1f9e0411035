"""/gallery: a personal link to a web page of the user's own images (``core.gallery`` on
the facade).

The chat command issues the link (``core.accounts.web_links``); the web adapter opens it
and then names the link, never an account, on every later call, so each read and each
deletion checks the link again (expired, revoked by a newer link or by /forgetme: refused).
Deleting goes through the same path as /delete (``PrivacyService.delete_image_of``).
"""

from __future__ import annotations

import functools
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select

from core.accounts import store as acc
from core.accounts import web_links as links
from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.db.tables import images, jobs, web_links
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
MODELS_TTL_S = 60.0  # how long a deletion made elsewhere may leave its model in the filter


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


Statement = tuple[Select, dict[str, Any]]  # a statement built once per shape, its values


def images_query(
    account_id: int,
    *,
    model: str | None = None,
    search: str | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int = PAGE_SIZE,
) -> Statement:
    """``account_id``'s visible images newest first (created_at, id), one more than
    ``limit`` to tell whether another page follows (``conn.execute(*statement)``)."""
    shape = (bool(model), bool(search), after is not None, limit)
    values = _filter_values(model, search, after)
    return _images_statement(*shape), {**values, "account_id": account_id}


def page_query(
    link_id: int,
    *,
    now: datetime,
    model: str | None = None,
    search: str | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int = PAGE_SIZE,
) -> Statement:
    """The one SELECT of a page: link ``link_id`` checked as of ``now`` (no rows unless
    it is valid) and its account's images as :func:`images_query` reads them. Each row
    also carries the link's ``link_expires_at``, the account's ``language`` and
    ``newest_at``, the time of the account's newest image, deleted or not (its cached
    model list's version)."""
    shape = (bool(model), bool(search), after is not None, limit)
    values = _filter_values(model, search, after)
    return _page_statement(*shape), {**values, "link_id": link_id, "now": now}


def _filter_values(
    model: str | None, search: str | None, after: tuple[datetime, str] | None
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if model:
        values["model"] = model
    if search:
        values["pattern"] = like_pattern(search)
    if after is not None:
        values["after_at"], values["after_id"] = after
    return values


# Built once per shape (filters used, page size): building a statement of this size
# and its cache key costs more CPU than the database spends answering it.
@functools.lru_cache(maxsize=256)
def _images_statement(by_model: bool, searched: bool, paged: bool, limit: int) -> Select:
    return _images_select(bindparam("account_id"), by_model, searched, paged, limit)


@functools.lru_cache(maxsize=256)
def _page_statement(by_model: bool, searched: bool, paged: bool, limit: int) -> Select:
    grant = links.grant_select(
        web_links.c.id == bindparam("link_id"), PURPOSE, bindparam("now")
    ).cte("grant")
    account = select(grant.c.account_id).scalar_subquery()
    latest = images.alias("latest")
    return _images_select(account, by_model, searched, paged, limit).add_columns(
        select(grant.c.expires_at).scalar_subquery().label("link_expires_at"),
        select(grant.c.language).scalar_subquery().label("language"),
        # The top entry of the index the page reads, not max(): a planner that thinks
        # the account has few rows would read them all for max().
        select(latest.c.created_at)
        .where(latest.c.account_id == account)
        .order_by(latest.c.created_at.desc(), latest.c.id.desc())
        .limit(1)
        .scalar_subquery()
        .label("newest_at"),
    )


def _images_select(
    account: ColumnElement[Any], by_model: bool, searched: bool, paged: bool, limit: int
) -> Select:
    query = (
        select(
            images.c.id,
            images.c.job_id,
            images.c.account_id,
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
        .where(images.c.account_id == account, images.c.deleted_at.is_(None))
        .order_by(images.c.created_at.desc(), images.c.id.desc())
        .limit(limit + 1)
    )
    if by_model:
        query = query.where(jobs.c.model_id == bindparam("model"))
    if searched:
        query = query.where(func.lower(jobs.c.prompt).like(bindparam("pattern"), escape="\\"))
    if paged:
        query = query.where(
            or_(
                images.c.created_at < bindparam("after_at"),
                and_(
                    images.c.created_at == bindparam("after_at"),
                    images.c.id < bindparam("after_id"),
                ),
            )
        )
    return query


def models_query(account_id: int) -> Select:
    """The models ``account_id``'s visible images were made with (the page's filter)."""
    return (
        select(jobs.c.model_id)
        .join(images, images.c.job_id == jobs.c.id)
        .where(images.c.account_id == account_id, images.c.deleted_at.is_(None))
        .group_by(jobs.c.model_id)
        .order_by(jobs.c.model_id)
    )


class ModelLists:
    """Each account's model list (the filter), kept per process between its pages: it
    takes a scan of all the account's images, the page itself only a few index entries.

    An entry is valid while the account's newest image (deleted or not) is the one it
    was read with, so a new image of a new model shows at once; this process's own
    deletions drop it; a deletion made elsewhere (/delete in chat, the retention, another
    web process) shows within ``ttl_s`` (until then the filter may offer a model whose
    images are all gone, and choosing it shows an empty page)."""

    def __init__(
        self,
        *,
        ttl_s: float = MODELS_TTL_S,
        max_accounts: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_accounts = max_accounts
        self._clock = clock
        self._lists: OrderedDict[int, tuple[datetime, float, list[str]]] = OrderedDict()

    def get(self, account_id: int, version: datetime) -> list[str] | None:
        """The list read at ``version`` (the account's newest image), if still fresh."""
        found = self._lists.get(account_id)
        if found is None:
            return None
        if found[0] != version or found[1] <= self._clock():
            del self._lists[account_id]  # read again by the caller, or let go
            return None
        self._lists.move_to_end(account_id)
        return list(found[2])

    def put(self, account_id: int, version: datetime, models: list[str]) -> None:
        self._lists[account_id] = (version, self._clock() + self.ttl_s, list(models))
        self._lists.move_to_end(account_id)
        while len(self._lists) > self.max_accounts:
            self._lists.popitem(last=False)

    def drop(self, account_id: int) -> None:
        self._lists.pop(account_id, None)


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
        self.model_lists = ModelLists()

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
        now = utcnow()
        statement = page_query(
            link_id, now=now, model=model, search=search, after=after, limit=limit
        )
        async with self._uow.read() as conn:
            rows = (await conn.execute(*statement)).all()
            if rows:
                first = rows[0]
                account_id, expires_at, language = (
                    first.account_id,
                    first.link_expires_at,
                    first.language,
                )
                model_ids = self.model_lists.get(account_id, first.newest_at)
            else:  # an invalid link, or nothing to show: which one?
                grant = await links.check_link(conn, link_id, PURPOSE, now=now)
                account_id, expires_at, language = (
                    grant.account_id,
                    grant.expires_at,
                    grant.language,
                )
                model_ids = None
            if model_ids is None:
                model_ids = list((await conn.execute(models_query(account_id))).scalars())
                if rows:
                    self.model_lists.put(account_id, rows[0].newest_at, model_ids)
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
            language=language,
            link_expires_at=expires_at,
        )

    async def delete(self, link_id: int, image_id: str) -> None:
        """Delete one of the link's account's images, as /delete does.

        Raises:
            WebLinkInvalid: the link expired or was revoked.
            NotFound: no such image, already deleted, or another account's.
        """
        grant = await self.check(link_id)
        await self._privacy.delete_image_of(grant.account_id, image_id)
        self.model_lists.drop(grant.account_id)


__all__ = [
    "Gallery",
    "GalleryItem",
    "GalleryLink",
    "GalleryPage",
    "ModelLists",
    "decode_cursor",
    "encode_cursor",
    "images_query",
    "like_pattern",
    "models_query",
    "page_query",
]
