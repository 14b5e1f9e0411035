"""Accounts and platform identities, terms acceptance, preferences and bans."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Row, RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.engine import insert_for
from core.db.tables import accounts, consents, identities
from core.errors import Banned, ItemKind, NotFound, TermsNotAccepted
from core.types import AccountView, Actor

MAX_PLATFORM_USER_ID_LEN = 64
MAX_DISPLAY_NAME_LEN = 128
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode's Cc: never in an identity


def clean_actor(actor: Actor) -> Actor:
    """The one spelling of an identity every lookup uses (both accept paths included):
    platform lower-cased, ids trimmed, control characters out of the display name.

    Raises: NotFound (an id that is empty, longer than 64 characters or holds a control
    character: no account can have it)."""
    uid = str(actor.platform_user_id).strip()
    if not uid or len(uid) > MAX_PLATFORM_USER_ID_LEN or _CONTROL.search(uid):
        raise NotFound(what=ItemKind.ACCOUNT)
    platform = actor.platform.strip().lower()
    name = _CONTROL.sub("", actor.display_name or "")[:MAX_DISPLAY_NAME_LEN] or None
    if (platform, uid, name) == (actor.platform, actor.platform_user_id, actor.display_name):
        return actor  # the usual case: adapters build clean actors
    return replace(actor, platform=platform, platform_user_id=uid, display_name=name)


async def find_account(conn: AsyncConnection, actor: Actor) -> Row | None:
    actor = clean_actor(actor)
    return (
        await conn.execute(
            select(accounts)
            .join(identities, identities.c.account_id == accounts.c.id)
            .where(identities.c.platform == actor.platform)
            .where(identities.c.platform_user_id == actor.platform_user_id)
        )
    ).one_or_none()


async def stored_language(conn: AsyncConnection, actor: Actor) -> str | None:
    """The language ``actor``'s account chose in /settings; None without a choice or
    without an account (none is created)."""
    actor = clean_actor(actor)
    return await conn.scalar(
        select(accounts.c.language)
        .join(identities, identities.c.account_id == accounts.c.id)
        .where(identities.c.platform == actor.platform)
        .where(identities.c.platform_user_id == actor.platform_user_id)
    )


async def private_reply_users(conn: AsyncConnection, platform: str) -> frozenset[str]:
    """The platform user ids on ``platform`` whose accounts prefer private replies."""
    found = await conn.execute(
        select(identities.c.platform_user_id)
        .join(accounts, identities.c.account_id == accounts.c.id)
        .where(identities.c.platform == platform, accounts.c.private_replies.is_(True))
    )
    return frozenset(found.scalars())


async def get_or_create_account(conn: AsyncConnection, actor: Actor) -> Row:
    """The account behind ``actor``, created on first contact (in the caller's transaction).

    Two first contacts racing for one identity end with one account: the identity's
    unique key decides, and the loser's fresh account row is removed again.
    """
    row = await find_account(conn, actor)
    if row is not None:
        return row
    actor = clean_actor(actor)
    now = utcnow()
    account_id = (
        await conn.execute(
            accounts.insert()
            .values(created_at=now, balance_credits=0, plan="free", language=None)
            .returning(accounts.c.id)
        )
    ).scalar_one()
    claimed = (
        await conn.execute(
            insert_for(conn, identities)
            .values(
                account_id=account_id,
                platform=actor.platform,
                platform_user_id=actor.platform_user_id,
                display_name=actor.display_name,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["platform", "platform_user_id"])
            .returning(identities.c.id)
        )
    ).scalar_one_or_none()
    if claimed is None:
        await conn.execute(accounts.delete().where(accounts.c.id == account_id))
    row = await find_account(conn, actor)
    assert row is not None
    return row


async def account_by_id(conn: AsyncConnection, account_id: int) -> Row:
    row = (await conn.execute(select(accounts).where(accounts.c.id == account_id))).one_or_none()
    if row is None:
        raise NotFound(what=ItemKind.ACCOUNT)
    return row


def require_usable(account: RowMapping | Mapping[str, Any], policy_version: str) -> None:
    """``account``: a row mapping (``row._mapping``) or a driver record.

    Raises: Banned, TermsNotAccepted (also when the policy version changed), NotFound
    (an account absorbed by /link: nothing acts on it any more)."""
    if account.get("merged_into_account_id") is not None:
        raise NotFound(what=ItemKind.ACCOUNT)
    if account["banned_at"] is not None:
        raise Banned(reason=account["ban_reason"] or "")
    if account["terms_version"] != policy_version or account["age_confirmed_at"] is None:
        raise TermsNotAccepted(policy_version=policy_version)


async def usable_account(conn: AsyncConnection, actor: Actor, policy_version: str) -> Row:
    """The account behind ``actor``, if it may use the bot.

    Raises: TermsNotAccepted (also when there is no account yet), Banned."""
    row = await find_account(conn, actor)
    if row is None:
        raise TermsNotAccepted(policy_version=policy_version)
    require_usable(row._mapping, policy_version)
    return row


async def record_acceptance(conn: AsyncConnection, account_id: int, policy_version: str) -> bool:
    """Record terms acceptance and the 13+ confirmation. True on the first acceptance ever."""
    row = await account_by_id(conn, account_id)
    if row.terms_version == policy_version and row.age_confirmed_at is not None:
        return False  # already on record: a second /accept adds no consent rows
    now = utcnow()
    await conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(terms_version=policy_version, terms_accepted_at=now, age_confirmed_at=now)
    )
    # The consent history (exported by /mydata): each acceptance with its policy version.
    await conn.execute(
        consents.insert(),
        [
            dict(
                account_id=account_id,
                kind=kind,
                granted=True,
                policy_version=policy_version,
                created_at=now,
            )
            for kind in ("terms", "age_13_plus")
        ],
    )
    return row.terms_accepted_at is None


async def set_preferences(conn: AsyncConnection, account_id: int, **values: object) -> None:
    allowed = {
        "default_model",
        "default_aspect",
        "language",
        "training_opt_in",
        "deliver_as_file",
        "private_replies",
    }
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"unknown preferences: {sorted(unknown)}")
    if values:
        await conn.execute(update(accounts).where(accounts.c.id == account_id).values(**values))


async def set_ban(conn: AsyncConnection, account_id: int, reason: str | None) -> None:
    """Ban (reason given) or unban (``None``)."""
    await conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(banned_at=utcnow() if reason is not None else None, ban_reason=reason)
    )


def to_view(row: Row) -> AccountView:
    return AccountView(
        account_id=row.id,
        balance_credits=row.balance_credits,
        language=row.language,
        default_model=row.default_model,
        default_aspect=row.default_aspect,
        terms_version=row.terms_version,
        terms_accepted_at=row.terms_accepted_at,
        banned=row.banned_at is not None,
        plan=row.plan,
        training_opt_in=bool(row.training_opt_in),
        deliver_as_file=bool(row.deliver_as_file),
        private_replies=bool(row.private_replies),
        analytics_opt_in=row.analytics_id is not None,
    )
