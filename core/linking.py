"""/link: join two platform identities (say Discord and Telegram) into one account.

``/link`` on one platform gives a one-time code, valid ten minutes; ``/link CODE`` on the
other redeems it. The account that issued the code survives; the redeemer's account is
absorbed into it, in ONE transaction:

* the code is claimed by a conditional UPDATE (unused and unexpired), so a replayed or
  concurrent redemption changes nothing; both account rows are locked in id order;
* the absorbed balance moves with two ledger entries sharing one reference
  (``link_out`` on the absorbed account, ``link_in`` on the survivor): the ledger's
  unique ``(reason, reference)`` makes a second move impossible, and balance == sum of
  entries holds for both accounts; debts move with their rows;
* every other row naming the absorbed account moves to the survivor or is dropped where
  the survivor already has its own (see :data:`MERGE_RULES`, checked by a test against
  every table with an account reference);
* the absorbed account keeps only its ledger history (which sums to 0) and is marked
  ``merged_into_account_id``: it has no identity, so nothing can act on it.

Only a sha256 of a code is stored, never the code.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import accounts as acc
from core.catalog import Catalog
from core.credits import apply_entry
from core.db import UnitOfWorkFactory, insert_for
from core.errors import LinkRefused, LinkTooSoon
from core.limits import RateLimiter
from core.models import (
    accounts,
    billing_customers,
    checkout_sessions,
    consents,
    credit_debts,
    exports,
    identities,
    images,
    jobs,
    link_codes,
    payments,
    privacy_confirmations,
    promo_redemptions,
    subscriptions,
    utcnow,
)
from core.subscriptions import ACTIVE_STATUSES, sync_plan
from core.types import AccountView, Actor

# No 0/O, 1/I/L: a code is read on one screen and typed on another.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_CHARS = 8
CODE_TTL_S = 600
CODES_PER_HOUR = 5  # /link (new code) per account
ATTEMPTS_PER_WINDOW = 10  # /link CODE per platform identity, right or wrong
ATTEMPT_WINDOW_S = 600.0
RATE_SCOPE = "link"  # rate-limit windows are named "link" + platform identity
LINK_OUT = "link_out"  # ledger reasons; reference: "link:<code row id>"
LINK_IN = "link_in"

# What a merge does with each table holding an account reference (tests check that this
# names every such table, so a new one cannot be forgotten):
#   move   - the absorbed account's rows go to the survivor
#   custom - handled by its own step in :func:`_merge`
MERGE_RULES: dict[str, str] = {
    "identities": "move",
    "jobs": "move",
    "images": "move",
    "exports": "move",
    "consents": "move",  # the whole consent history; the newest acceptance counts
    "checkout_sessions": "move",
    "payments": "move",  # refunds and disputes of earlier payments find the survivor
    "subscriptions": "move",  # refused when both have a live one; the plan re-syncs
    "credit_debts": "move",  # with accounts.debt_credits added up
    "ledger_entries": "custom",  # history stays; the balance moves by link_out/link_in
    "promo_redemptions": "custom",  # a code both redeemed: the survivor's row is kept
    "billing_customers": "custom",  # moved; refused when both have a customer
    "privacy_confirmations": "custom",  # a pending /forgetme code of the absorbed: dropped
    "link_codes": "custom",  # the absorbed's unused codes dropped, used ones moved
}
_MOVED = {
    "identities": identities,
    "jobs": jobs,
    "images": images,
    "exports": exports,
    "consents": consents,
    "checkout_sessions": checkout_sessions,
    "payments": payments,
    "subscriptions": subscriptions,
    "credit_debts": credit_debts,
}

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class LinkCode:
    """Type ``code`` with ``/link CODE`` on the other platform before ``expires_at``."""

    code: str  # ABCD-EFGH
    expires_at: datetime
    minutes: int


@dataclass(frozen=True, slots=True)
class LinkResult:
    """The joined account (the code issuer's) after the merge."""

    account: AccountView
    moved_credits: int  # the absorbed balance now on the joined account
    platforms: tuple[str, ...]  # every platform with an identity on the joined account


def normalise(code: str) -> str:
    """Upper case, without spaces or dashes: ``abcd efgh`` and ``ABCD-EFGH`` are one."""
    return "".join(code.split()).replace("-", "").upper()


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_CHARS))
    return f"{raw[:4]}-{raw[4:]}"


def well_formed(code: str) -> bool:
    normal = normalise(code)
    return len(normal) == CODE_CHARS and all(c in CODE_ALPHABET for c in normal)


class Linking:
    """The two /link commands. ``clock`` returns aware UTC datetimes (tests move it)."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        catalog: Catalog,
        rates: RateLimiter,
        policy_version: str,
        clock: Clock = utcnow,
    ) -> None:
        self._uow = uow
        self._catalog = catalog
        self._rates = rates
        self._policy_version = policy_version
        self.clock = clock

    async def issue(self, actor: Actor) -> LinkCode:
        """A new code for ``actor``'s account; earlier unused codes stop working.

        Raises:
            TermsNotAccepted, Banned; LinkTooSoon: more than five codes in an hour.
        """
        async with self._uow() as uow:
            conn = uow.conn
            row = await acc.usable_account(conn, actor, self._policy_version)
            now = self.clock()
            hour_ago = now - timedelta(hours=1)
            recent = (
                await conn.execute(
                    select(link_codes.c.created_at)
                    .where(link_codes.c.account_id == row.id, link_codes.c.created_at > hour_ago)
                    .order_by(link_codes.c.created_at)
                )
            ).scalars()
            recent = list(recent)
            if len(recent) >= CODES_PER_HOUR:
                wait = recent[-CODES_PER_HOUR] + timedelta(hours=1) - now
                raise LinkTooSoon(retry_after_s=max(1.0, wait.total_seconds()))
            mine = link_codes.c.account_id == row.id
            await conn.execute(
                update(link_codes)
                .where(mine, link_codes.c.used_at.is_(None), link_codes.c.expires_at > now)
                .values(expires_at=now)
            )
            # Housekeeping: codes past any use or rate window are of no further interest.
            stale = now - timedelta(days=1)
            await conn.execute(
                delete(link_codes).where(
                    mine, link_codes.c.used_at.is_(None), link_codes.c.expires_at < stale
                )
            )
            expires_at = now + timedelta(seconds=CODE_TTL_S)
            while True:  # a clash of two random codes is astronomically rare; draw again
                code = new_code()
                inserted = (
                    await conn.execute(
                        insert_for(conn, link_codes)
                        .values(
                            account_id=row.id,
                            platform=actor.platform,
                            code_hash=code_hash(code),
                            created_at=now,
                            expires_at=expires_at,
                        )
                        .on_conflict_do_nothing(index_elements=["code_hash"])
                        .returning(link_codes.c.id)
                    )
                ).scalar_one_or_none()
                if inserted is not None:
                    break
            await uow.commit()
        return LinkCode(code=code, expires_at=expires_at, minutes=CODE_TTL_S // 60)

    async def redeem(self, actor: Actor, code: str) -> LinkResult:
        """Join ``actor``'s account into the account that issued ``code``.

        Raises:
            LinkTooSoon: too many attempts by this identity (right or wrong).
            LinkRefused: invalid_code (unknown, expired or already used) | same_account |
                same_platform | banned | merged | jobs_active | both_subscribed |
                both_customers. Nothing changed.
            TermsNotAccepted, Banned: the redeemer may not use the bot.
        """
        subject = f"{actor.platform}:{actor.platform_user_id}"
        wait_s = await self._rates.hit(
            RATE_SCOPE, subject, limit=ATTEMPTS_PER_WINDOW, window_s=ATTEMPT_WINDOW_S
        )
        if wait_s is not None:
            raise LinkTooSoon(retry_after_s=wait_s)
        if not well_formed(code):
            raise LinkRefused(reason="invalid_code")
        async with self._uow() as uow:
            conn = uow.conn
            redeemer = await acc.usable_account(conn, actor, self._policy_version)
            now = self.clock()
            found = (
                await conn.execute(
                    select(link_codes).where(link_codes.c.code_hash == code_hash(code))
                )
            ).one_or_none()
            if found is None or found.used_at is not None or found.expires_at <= now:
                raise LinkRefused(reason="invalid_code")
            survivor_id, absorbed_id = int(found.account_id), int(redeemer.id)
            if survivor_id == absorbed_id:
                raise LinkRefused(reason="same_account")
            locked = {
                r.id: r
                for r in await conn.execute(
                    select(accounts)
                    .where(accounts.c.id.in_((survivor_id, absorbed_id)))
                    .order_by(accounts.c.id)
                    .with_for_update()
                )
            }
            # The claim comes first: of concurrent redemptions one wins, the others find
            # the code used (a refusal below rolls the claim back with everything else).
            claimed = (
                await conn.execute(
                    update(link_codes)
                    .where(
                        link_codes.c.id == found.id,
                        link_codes.c.used_at.is_(None),
                        link_codes.c.expires_at > now,
                    )
                    .values(used_at=now, used_by_account_id=absorbed_id)
                    .returning(link_codes.c.id)
                )
            ).scalar_one_or_none()
            if claimed is None or len(locked) != 2:
                raise LinkRefused(reason="invalid_code")
            survivor, absorbed = locked[survivor_id], locked[absorbed_id]
            await _check_mergeable(conn, survivor, absorbed)
            moved = await _merge(conn, survivor, absorbed, f"link:{found.id}")
            await sync_plan(conn, survivor_id, self._catalog)
            await sync_plan(conn, absorbed_id, self._catalog)
            row = await acc.account_by_id(conn, survivor_id)
            platforms = (
                await conn.execute(
                    select(identities.c.platform)
                    .where(identities.c.account_id == survivor_id)
                    .order_by(identities.c.platform)
                )
            ).scalars()
            platforms = tuple(dict.fromkeys(platforms))
            await uow.commit()
        return LinkResult(account=acc.to_view(row), moved_credits=moved, platforms=platforms)


async def _check_mergeable(conn: AsyncConnection, survivor, absorbed) -> None:
    for row in (survivor, absorbed):
        if row.banned_at is not None or row.erased_at is not None:
            raise LinkRefused(reason="banned")
        if row.merged_into_account_id is not None:
            raise LinkRefused(reason="merged")

    async def platforms(account_id: int) -> set[str]:
        found = await conn.execute(
            select(identities.c.platform).where(identities.c.account_id == account_id)
        )
        return set(found.scalars())

    shared = (await platforms(survivor.id)) & (await platforms(absorbed.id))
    if shared:
        raise LinkRefused(reason="same_platform", platform=sorted(shared)[0])
    active = await conn.scalar(
        select(func.count())
        .select_from(jobs)
        .where(jobs.c.account_id == absorbed.id, jobs.c.status.in_(("queued", "running")))
    )
    if active:
        raise LinkRefused(reason="jobs_active")

    async def count(table, *where) -> dict[int, int]:
        found = await conn.execute(
            select(table.c.account_id, func.count())
            .where(table.c.account_id.in_((survivor.id, absorbed.id)), *where)
            .group_by(table.c.account_id)
        )
        return {int(a): int(n) for a, n in found}

    if len(await count(subscriptions, subscriptions.c.status.in_(sorted(ACTIVE_STATUSES)))) == 2:
        raise LinkRefused(reason="both_subscribed")
    if len(await count(billing_customers)) == 2:
        # One account has one payment customer (the table's key); dropping one would
        # leave a customer at the provider that /forgetme could no longer delete.
        raise LinkRefused(reason="both_customers")


async def _merge(conn: AsyncConnection, survivor, absorbed, reference: str) -> int:
    """Move everything of ``absorbed`` to ``survivor`` (both rows locked). Returns the
    credits moved."""
    s_id, a_id = survivor.id, absorbed.id
    balance = int(absorbed.balance_credits)
    if balance > 0:
        await apply_entry(
            conn, account_id=a_id, amount_credits=-balance, reason=LINK_OUT, reference=reference
        )
        await apply_entry(
            conn, account_id=s_id, amount_credits=balance, reason=LINK_IN, reference=reference
        )
    # A promo code both redeemed: the survivor's redemption stands for the joined
    # account (both grants were made to separate accounts and stay in their ledgers).
    both = select(promo_redemptions.c.code).where(promo_redemptions.c.account_id == s_id)
    await conn.execute(
        delete(promo_redemptions).where(
            promo_redemptions.c.account_id == a_id, promo_redemptions.c.code.in_(both)
        )
    )
    await conn.execute(
        update(promo_redemptions)
        .where(promo_redemptions.c.account_id == a_id)
        .values(account_id=s_id)
    )
    await conn.execute(
        update(billing_customers)
        .where(billing_customers.c.account_id == a_id)
        .values(account_id=s_id)
    )
    await conn.execute(
        delete(privacy_confirmations).where(privacy_confirmations.c.account_id == a_id)
    )
    unused = and_(link_codes.c.account_id == a_id, link_codes.c.used_at.is_(None))
    await conn.execute(delete(link_codes).where(unused))
    await conn.execute(
        update(link_codes).where(link_codes.c.account_id == a_id).values(account_id=s_id)
    )
    for table in _MOVED.values():
        await conn.execute(update(table).where(table.c.account_id == a_id).values(account_id=s_id))
    survivor_values: dict[str, object] = {
        "debt_credits": accounts.c.debt_credits + int(absorbed.debt_credits)
    }
    newer = absorbed.terms_accepted_at is not None and (
        survivor.terms_accepted_at is None
        or absorbed.terms_accepted_at > survivor.terms_accepted_at
    )
    if newer:  # the newest acceptance of the terms counts for the joined account
        survivor_values.update(
            terms_version=absorbed.terms_version,
            terms_accepted_at=absorbed.terms_accepted_at,
            age_confirmed_at=absorbed.age_confirmed_at,
        )
    await conn.execute(update(accounts).where(accounts.c.id == s_id).values(**survivor_values))
    await conn.execute(
        update(accounts)
        .where(accounts.c.id == a_id)
        .values(debt_credits=0, merged_into_account_id=s_id, private_replies=False)
    )
    return balance
