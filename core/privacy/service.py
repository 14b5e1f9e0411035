"""The privacy commands adapters call (``core.privacy`` on the facade): /mydata,
/forgetme, /delete, /privacy, the training-use and analytics settings, and the purge.

Each method takes the :class:`~core.types.Actor` an adapter built and returns a typed
result or raises a ``CoreError``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update

from core.accounts import store as acc
from core.catalog import Catalog
from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.db.tables import accounts, consents, images
from core.errors import ItemKind, NotFound, TermsNotAccepted
from core.observability.analytics import Analytics
from core.privacy import uploads as upload_records
from core.privacy.erase import (
    ErasureChallenge,
    ErasureReceipt,
    erase_account,
    nothing_to_erase,
    request_erasure,
)
from core.privacy.export import ExportResult, build_export
from core.privacy.registry import PrivacyRegistry
from core.privacy.retention import PurgeReport, image_keys, purge_once
from core.storage.port import ObjectStore
from core.types import AccountView, Actor

DEFAULT_POLICY_PATH = Path(__file__).resolve().parents[2] / "bot" / "privacy-policy.txt"
MAX_IMAGE_ID_LEN = 24


@dataclass(frozen=True, slots=True)
class PrivacySettings:
    policy_version: str
    policy_path: Path | None = None  # the operator's policy text; default: the shipped one
    export_link_ttl_s: int = 24 * 3600
    export_interval_s: int = 3600  # one /mydata per user per hour
    confirmation_ttl_s: int = 600  # a /forgetme code is valid this long
    purge_grace_days: int = 7  # soft-deleted data is purged this long after deletion
    spool_dir: str | None = None  # where exports are assembled (default: the system's)


class PrivacyService:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        registry: PrivacyRegistry,
        storage: ObjectStore,
        catalog: Catalog,
        settings: PrivacySettings,
        analytics: Analytics | None = None,
    ) -> None:
        self._uow = uow
        self._analytics = analytics or Analytics()
        self.registry = registry
        self._storage = storage
        self._catalog = catalog
        self.settings = settings

    def policy_text(self) -> str:
        """The operator's privacy policy.

        Raises:
            OSError: the configured file cannot be read (a start-up check reads it once).
        """
        path = self.settings.policy_path or DEFAULT_POLICY_PATH
        text = path.read_text(encoding="utf-8")
        return text.replace("{policy_version}", self.settings.policy_version)

    async def export(self, actor: Actor) -> ExportResult:
        """Build the user's data export and return an expiring link to it.

        Raises:
            NotFound: we hold no data about ``actor`` (no account).
            ExportTooSoon: an export was made less than an hour ago.
        """
        account_id = await self._account_id(actor)
        if account_id is None:
            raise NotFound(what=ItemKind.ACCOUNT)
        return await build_export(
            self._uow,
            self.registry,
            self._storage,
            account_id,
            interval_s=self.settings.export_interval_s,
            link_ttl_s=self.settings.export_link_ttl_s,
            spool_dir=self.settings.spool_dir,
        )

    async def forget(
        self, actor: Actor, code: str | None = None
    ) -> ErasureChallenge | ErasureReceipt:
        """Without ``code``: a confirmation code to type back. With it: erase everything
        about ``actor`` and return the receipt. With no account (never used, or already
        erased) the receipt says nothing was there; no account is created.

        Raises:
            ConfirmationInvalid: ``code`` is wrong or expired.
        """
        account_id = await self._account_id(actor)
        if account_id is None:
            return nothing_to_erase()
        if not code:
            return await request_erasure(
                self._uow, account_id, ttl_s=self.settings.confirmation_ttl_s
            )
        async with self._uow() as tx:
            analytics_id = await tx.conn.scalar(
                select(accounts.c.analytics_id).where(accounts.c.id == account_id)
            )
        receipt = await erase_account(self._uow, self.registry, account_id, code)
        if analytics_id is not None:  # the id's last event; the id went with the account
            self._analytics.record_erasure([analytics_id])
        return receipt

    async def delete_image(self, actor: Actor, image_id: str) -> None:
        """Remove one image from history at once and from storage: a generated image, or
        a reference image the user brought (an upload id, as listed in the export). Jobs
        that drew from a deleted upload keep their images; a Reroll of one is refused.

        Raises:
            NotFound: no such image or upload (or already deleted), or one that belongs to
                someone else: the same answer, so that it does not reveal the id exists
                (as /vary).
            TermsNotAccepted: ``actor`` has no account.
        """
        if not image_id.strip() or len(image_id.strip()) > MAX_IMAGE_ID_LEN:
            raise NotFound(what=ItemKind.IMAGE)
        async with self._uow() as tx:
            row = await acc.find_account(tx.conn, actor)
        if row is None:
            raise TermsNotAccepted(policy_version=self.settings.policy_version)
        await self.delete_image_of(row.id, image_id)

    async def delete_image_of(self, account_id: int, image_id: str) -> None:
        """``delete_image`` for the account ``account_id`` (the web gallery's delete,
        whose session names an account rather than a chat identity).

        Raises:
            NotFound: as ``delete_image``.
        """
        image_id = image_id.strip()
        if not image_id or len(image_id) > MAX_IMAGE_ID_LEN:
            raise NotFound(what=ItemKind.IMAGE)
        async with self._uow() as tx:
            image = (
                await tx.conn.execute(
                    select(images).where(images.c.id == image_id, images.c.deleted_at.is_(None))
                )
            ).one_or_none()
            if image is None:
                key = await self._delete_upload(tx, account_id, image_id)
                await tx.commit()
                await self._storage.delete_many([key])  # the purge retries a failure
                return
            if image.account_id != account_id:
                raise NotFound(what=ItemKind.IMAGE)
            await tx.conn.execute(
                update(images).where(images.c.id == image_id).values(deleted_at=utcnow())
            )
            await tx.commit()
        # After the commit: the purge deletes the objects again should this fail.
        await self._storage.delete_many(image_keys(image))

    @staticmethod
    async def _delete_upload(tx, account_id: int, upload_id: str) -> str:
        """Mark ``account_id``'s upload ``upload_id`` deleted; its storage key.

        Raises: NotFound (as ``delete_image``, also for someone else's upload)."""
        key = await upload_records.delete_upload(tx.conn, account_id, upload_id)
        if key is None:
            raise NotFound(what=ItemKind.IMAGE)
        return key

    async def set_training_opt_in(self, actor: Actor, allowed: bool) -> AccountView:
        """Allow (or withdraw) use of the user's prompts and images for training; the
        change is recorded as a consent with the current policy version.

        Raises:
            TermsNotAccepted, Banned.
        """
        return await self._consent(actor, "training_use", allowed, training_opt_in=allowed)

    async def set_analytics_opt_in(self, actor: Actor, allowed: bool) -> AccountView:
        """Turn product analytics on (a new random pseudonymous id, kept while it stays
        on) or off (the id is forgotten: turned on again, the events start under a new
        one); recorded as a consent with the current policy version.

        Raises:
            TermsNotAccepted, Banned.
        """
        kept_or_new = func.coalesce(accounts.c.analytics_id, uuid.uuid4().hex)
        analytics_id = kept_or_new if allowed else None
        return await self._consent(actor, "analytics", allowed, analytics_id=analytics_id)

    async def _consent(
        self, actor: Actor, kind: str, granted: bool, **values: object
    ) -> AccountView:
        """Set ``values`` on ``actor``'s account and record the consent ``kind``."""
        async with self._uow() as tx:
            row = await acc.find_account(tx.conn, actor)
            if row is None:
                raise TermsNotAccepted(policy_version=self.settings.policy_version)
            acc.require_usable(row._mapping, self.settings.policy_version)
            await tx.conn.execute(update(accounts).where(accounts.c.id == row.id).values(**values))
            await tx.conn.execute(
                consents.insert().values(
                    account_id=row.id,
                    kind=kind,
                    granted=granted,
                    policy_version=self.settings.policy_version,
                    created_at=utcnow(),
                )
            )
            row = await acc.account_by_id(tx.conn, row.id)
            await tx.commit()
        return acc.to_view(row)

    async def purge(self, *, now: datetime | None = None) -> PurgeReport:
        return await purge_once(
            self._uow,
            self._storage,
            self._catalog,
            grace_days=self.settings.purge_grace_days,
            now=now,
        )

    async def _account_id(self, actor: Actor) -> int | None:
        async with self._uow() as tx:
            row = await acc.find_account(tx.conn, actor)
        return row.id if row is not None else None
