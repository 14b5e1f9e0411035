"""Personal web links: a random token in a URL that opens a web page until it expires or
is revoked: one account's gallery, or the operator dashboard for one operator.

Only a sha256 of the token is stored. Issuing a link revokes its holder's (account's or
operator's) earlier links of the same purpose; /forgetme deletes an account's with it. A
link is checked again on every request (:func:`check_link`), so a revocation ends its
web session at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db.tables import accounts, web_links
from core.errors import WebLinkInvalid

TOKEN_BYTES = 32  # 256 bits of randomness: a link cannot be guessed
MAX_TOKEN_CHARS = 64  # longer input is refused before it is hashed


@dataclass(frozen=True, slots=True)
class IssuedLink:
    """A new link's token (shown once, never stored) and its row's id and expiry."""

    link_id: int
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LinkGrant:
    """What a valid link (or its session) opens: one account, until ``expires_at``."""

    link_id: int
    account_id: int
    expires_at: datetime
    language: str | None = None  # the account's /settings language, if it chose one


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_link(
    conn: AsyncConnection, account_id: int, purpose: str, *, now: datetime, ttl_s: int
) -> IssuedLink:
    """A new link for ``account_id``; the account's earlier ``purpose`` links are revoked
    in the same transaction (the caller commits)."""
    return await _issue(conn, "account_id", account_id, purpose, now=now, ttl_s=ttl_s)


async def _issue(
    conn: AsyncConnection, holder: str, held_by, purpose: str, *, now: datetime, ttl_s: int
) -> IssuedLink:
    await conn.execute(
        update(web_links)
        .where(
            web_links.c[holder] == held_by,
            web_links.c.purpose == purpose,
            web_links.c.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires_at = now + timedelta(seconds=ttl_s)
    link_id = (
        await conn.execute(
            web_links.insert()
            .values(
                {
                    holder: held_by,
                    "purpose": purpose,
                    "token_sha256": token_sha256(token),
                    "created_at": now,
                    "expires_at": expires_at,
                }
            )
            .returning(web_links.c.id)
        )
    ).scalar_one()
    return IssuedLink(link_id=link_id, token=token, expires_at=expires_at)


def grant_select(where, purpose: str, now: datetime | ColumnElement[datetime]) -> Select:
    """The SELECT of the valid link ``where`` names (its id, account, expiry and the
    account's language): not revoked, not expired, its account neither banned, erased
    nor merged into another. Other statements embed it to check a link in the same
    round trip (the gallery's page)."""
    return (
        select(web_links.c.id, web_links.c.account_id, web_links.c.expires_at, accounts.c.language)
        .join(accounts, accounts.c.id == web_links.c.account_id)
        .where(
            where,
            web_links.c.purpose == purpose,
            web_links.c.revoked_at.is_(None),
            web_links.c.expires_at > now,
            accounts.c.banned_at.is_(None),
            accounts.c.erased_at.is_(None),
            accounts.c.merged_into_account_id.is_(None),
        )
    )


async def _grant(conn: AsyncConnection, where, purpose: str, now: datetime) -> LinkGrant:
    row = (await conn.execute(grant_select(where, purpose, now))).one_or_none()
    if row is None:
        raise WebLinkInvalid()
    return LinkGrant(
        link_id=row.id, account_id=row.account_id, expires_at=row.expires_at, language=row.language
    )


async def resolve_token(
    conn: AsyncConnection, token: str, purpose: str, *, now: datetime
) -> LinkGrant:
    """The grant of a link's token.

    Raises:
        WebLinkInvalid: unknown (forged), expired or revoked, or the account is banned.
    """
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise WebLinkInvalid()
    return await _grant(conn, web_links.c.token_sha256 == token_sha256(token), purpose, now)


async def check_link(
    conn: AsyncConnection, link_id: int, purpose: str, *, now: datetime
) -> LinkGrant:
    """The grant of a link by its id (a web session names it), checked again.

    Raises:
        WebLinkInvalid: as :func:`resolve_token`.
    """
    return await _grant(conn, web_links.c.id == link_id, purpose, now)


# -- operator links (the dashboard): held by an operator, not an account -------------------


@dataclass(frozen=True, slots=True)
class OperatorGrant:
    """What a valid dashboard link (or its session) opens: the dashboard, for
    ``operator`` (``cli`` or ``<platform>:<user id>``), until ``expires_at``."""

    link_id: int
    operator: str
    expires_at: datetime


async def issue_operator_link(
    conn: AsyncConnection, operator: str, purpose: str, *, now: datetime, ttl_s: int
) -> IssuedLink:
    """A new link for ``operator``; the operator's earlier ``purpose`` links are revoked
    in the same transaction (the caller commits)."""
    return await _issue(conn, "operator", operator, purpose, now=now, ttl_s=ttl_s)


async def _operator_grant(
    conn: AsyncConnection, where, purpose: str, now: datetime
) -> OperatorGrant:
    row = (
        await conn.execute(
            select(web_links.c.id, web_links.c.operator, web_links.c.expires_at).where(
                where,
                web_links.c.purpose == purpose,
                web_links.c.operator.is_not(None),
                web_links.c.revoked_at.is_(None),
                web_links.c.expires_at > now,
            )
        )
    ).one_or_none()
    if row is None:
        raise WebLinkInvalid()
    return OperatorGrant(link_id=row.id, operator=row.operator, expires_at=row.expires_at)


async def resolve_operator_token(
    conn: AsyncConnection, token: str, purpose: str, *, now: datetime
) -> OperatorGrant:
    """Raises: WebLinkInvalid (unknown or forged, expired, revoked)."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise WebLinkInvalid()
    return await _operator_grant(
        conn, web_links.c.token_sha256 == token_sha256(token), purpose, now
    )


async def check_operator_link(
    conn: AsyncConnection, link_id: int, purpose: str, *, now: datetime
) -> OperatorGrant:
    """Raises: WebLinkInvalid (expired or revoked since it was opened)."""
    return await _operator_grant(conn, web_links.c.id == link_id, purpose, now)


async def revoke_operator_links(
    conn: AsyncConnection, operator: str, purpose: str, *, now: datetime
) -> int:
    """Revoke ``operator``'s open ``purpose`` links; how many were open."""
    result = await conn.execute(
        update(web_links)
        .where(
            web_links.c.operator == operator,
            web_links.c.purpose == purpose,
            web_links.c.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)
