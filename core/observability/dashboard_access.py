"""The operator dashboard's links and what its pages may do (``core.dashboard_links`` on
the facade).

An operator (``cli``, ``discord:<id>``, ``telegram:<id>``) asks for a short-lived link
(``seedream admin dashboard-link``, ``/admin dashboard``); the web adapter opens it and
then names the link, never the operator, on every later call, so each read and each
change checks the link again (expired, or revoked by a newer link: refused). Grants,
bans and unbans made from the page go through the same admin commands as the CLI's,
with the operator written as ``web:<operator>`` (``web:cli``, ``web:discord:<id>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.accounts import web_links as links
from core.accounts.audit import checked_operator
from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.ledger.posting import LedgerOutcome
from core.observability import dashboard as dash
from core.observability.account_lookup import AccountLookup, lookup_account
from core.settings import CoreSettings
from core.types import AccountView, Actor

PURPOSE = "dashboard"
WEB_OPERATOR_PREFIX = "web:"


@dataclass(frozen=True, slots=True)
class DashboardLink:
    """Open ``url`` before ``expires_at`` (it replaces the operator's earlier link)."""

    url: str
    expires_at: datetime
    ttl_s: int


class AdminCommands(Protocol):
    """The core's admin commands (``core.accounts.commands.AccountCommands``)."""

    async def admin_grant(
        self,
        actor: Actor,
        amount_credits: int,
        *,
        reason: str,
        operator: str,
        reference: str | None = None,
        create_account: bool = True,
    ) -> LedgerOutcome: ...

    async def admin_ban(
        self, actor: Actor, reason: str | None, *, operator: str, create_account: bool = True
    ) -> AccountView: ...


class DashboardAccess:
    def __init__(
        self, *, uow: UnitOfWorkFactory, settings: CoreSettings, admin: AdminCommands
    ) -> None:
        self._uow = uow
        self._admin = admin
        self.settings = settings

    async def link(self, operator: str) -> DashboardLink:
        """A new dashboard link for ``operator``; the operator's earlier ones stop working.
        The adapter decides who is an operator (an id in its settings, or the CLI).

        Raises:
            ValueError: ``operator`` is not ``cli`` or ``<platform>:<user id>``.
        """
        operator = checked_operator(operator)
        ttl_s = self.settings.dashboard_link_ttl_s
        async with self._uow() as uow:
            issued = await links.issue_operator_link(
                uow.conn, operator, PURPOSE, now=utcnow(), ttl_s=ttl_s
            )
            await uow.commit()
        base = self.settings.web_base_url.rstrip("/")
        return DashboardLink(
            url=f"{base}/dashboard/t/{issued.token}", expires_at=issued.expires_at, ttl_s=ttl_s
        )

    async def revoke(self, operator: str) -> int:
        """End ``operator``'s open dashboard links (and their sessions); how many."""
        operator = checked_operator(operator)
        async with self._uow() as uow:
            count = await links.revoke_operator_links(uow.conn, operator, PURPOSE, now=utcnow())
            await uow.commit()
        return count

    async def open(self, token: str) -> links.OperatorGrant:
        """The link behind ``token`` (a web session then names its ``link_id``).

        Raises:
            WebLinkInvalid: forged, expired or revoked.
        """
        async with self._uow() as uow:
            return await links.resolve_operator_token(uow.conn, token, PURPOSE, now=utcnow())

    async def check(self, link_id: int) -> links.OperatorGrant:
        """Raises: WebLinkInvalid (expired or revoked since it was opened)."""
        async with self._uow() as uow:
            return await links.check_operator_link(uow.conn, link_id, PURPOSE, now=utcnow())

    async def overview(self, link_id: int) -> dash.DashboardOverview:
        """The dashboard's first page (``core.observability.dashboard``).

        Raises:
            WebLinkInvalid: the link expired or was revoked.
        """
        async with self._uow() as uow:
            now = utcnow()
            await links.check_operator_link(uow.conn, link_id, PURPOSE, now=now)
            return await dash.overview(uow.conn, now)

    async def account(
        self, link_id: int, platform: str, platform_user_id: str
    ) -> AccountLookup | None:
        """One account by a platform identity; ``None`` if unknown.

        Raises:
            WebLinkInvalid: the link expired or was revoked.
        """
        async with self._uow() as uow:
            await links.check_operator_link(uow.conn, link_id, PURPOSE, now=utcnow())
            return await lookup_account(uow.conn, platform, platform_user_id)

    async def grant(
        self, link_id: int, actor: Actor, amount_credits: int, *, reason: str, reference: str
    ) -> LedgerOutcome:
        """``admin_grant`` from the page: to an existing account only, the ledger entry
        and the audit row naming ``web:<operator>``; ``reference`` (one per form shown)
        makes a resubmitted form a no-op.

        Raises:
            WebLinkInvalid: the link expired or was revoked.
            InvalidOption, NotFound, DebitExceedsBalance: as ``admin_grant``.
        """
        grant = await self.check(link_id)
        return await self._admin.admin_grant(
            actor,
            amount_credits,
            reason=reason,
            reference=reference,
            operator=WEB_OPERATOR_PREFIX + grant.operator,
            create_account=False,
        )

    async def ban(self, link_id: int, actor: Actor, reason: str | None) -> AccountView:
        """``admin_ban`` from the page (``None``: unban), audited as ``web:<operator>``.

        Raises:
            WebLinkInvalid: the link expired or was revoked.
            NotFound: ``actor`` has no account.
        """
        grant = await self.check(link_id)
        return await self._admin.admin_ban(
            actor, reason, operator=WEB_OPERATOR_PREFIX + grant.operator, create_account=False
        )


__all__ = ["PURPOSE", "WEB_OPERATOR_PREFIX", "DashboardAccess", "DashboardLink"]
