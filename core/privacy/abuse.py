"""Abuse prevention across erasure: keyed hashes of platform identities (issue 12).

A benefit given once per person (the welcome grant, each promo code) would be given again
after /forgetme, since erasure deletes the account and a returning user is a new one. So
for each identity that received one we keep ``HMAC-SHA256(secret, platform \\n user id)``
with the purpose (``welcome_grant``, ``promo:<CODE>``) in ``abuse_prevention_hashes``:
no account reference, so it survives erasure, and nothing else of the user does.

* Written in the transaction that grants the benefit (a grant without its hashes cannot
  commit), for every identity of the account; and once more at erasure for the purposes
  the account's rows show (welcome entry, promo redemptions), which covers users from
  before these hashes and identities joined by /link after the grant.
* Checked before granting: any identity of the account with the purpose's hash means the
  benefit was had already.
* Identities are hashed as stored in ``identities`` (``core.accounts.store`` normalised them:
  platform lower-case, user id stripped).

* At erasure, each identity of the account is kept once more with the reserved purpose
  ``erased`` and the erasure time (``erased_at``), and the same hashes and time go to the
  erasure journal outside the database (``core.privacy.journal``): after a restore of an
  older backup, ``core.privacy.replay`` erases those identities' accounts again.

The secret is ``SEEDREAM_ABUSE_HASH_SECRET``; rotating it forgets every hash (README), and
makes the erasure journal's entries unmatchable: keep it with the backups' keys.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.engine import insert_for
from core.db.tables import (
    abuse_prevention_hashes,
    accounts,
    identities,
    ledger_entries,
    promo_redemptions,
)
from core.ledger import Reason
from core.privacy.journal import ErasureJournal
from core.privacy.registry import ErasureContext, ExportContext, json_value

WELCOME_GRANT = "welcome_grant"
PROMO_PREFIX = "promo:"
ERASED = "erased"  # reserved: an identity erased at ``erased_at``
KEPT = "abuse_prevention"  # the erasure receipt's "kept" key (catalogue privacy.kept)


def promo_purpose(code: str) -> str:
    """The purpose of a redemption of ``code`` (already normalised upper-case)."""
    return f"{PROMO_PREFIX}{code}"


class AbuseHasher:
    """Hashes identities under the deployment's secret (never logged, never stored)."""

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("the abuse prevention hash secret must not be empty")
        self._secret = bytes(secret)

    def __repr__(self) -> str:
        return "AbuseHasher(<secret>)"

    def identity_hash(self, platform: str, platform_user_id: str) -> str:
        message = f"{platform}\n{platform_user_id}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def hashes(self, pairs: Iterable[tuple[str, str]]) -> list[str]:
        return sorted({self.identity_hash(p, u) for p, u in pairs})

    async def account_hashes(self, conn: AsyncConnection, account_id: int) -> list[str]:
        """The hashes of every identity of ``account_id``."""
        found = await conn.execute(
            select(identities.c.platform, identities.c.platform_user_id).where(
                identities.c.account_id == account_id
            )
        )
        return self.hashes((r.platform, r.platform_user_id) for r in found)

    async def already_had(self, conn: AsyncConnection, account_id: int, purpose: str) -> bool:
        """True when an identity of ``account_id`` already had ``purpose``."""
        hashes = await self.account_hashes(conn, account_id)
        return await _any_recorded(conn, hashes, purpose)

    async def record(self, conn: AsyncConnection, account_id: int, purpose: str) -> int:
        """Keep ``purpose`` for every identity of ``account_id``; returns rows added."""
        return await _record(conn, await self.account_hashes(conn, account_id), purpose)


async def record_erased(conn: AsyncConnection, hashes: list[str], erased_at: datetime) -> None:
    """Keep ``hashes`` as erased at ``erased_at`` (a later erasure of the same identity
    moves the time forward, an earlier one leaves it)."""
    now = utcnow()
    for identity_hash in hashes:
        statement = insert_for(conn, abuse_prevention_hashes).values(
            identity_hash=identity_hash, purpose=ERASED, created_at=now, erased_at=erased_at
        )
        await conn.execute(
            statement.on_conflict_do_update(
                index_elements=["identity_hash", "purpose"],
                set_={"erased_at": statement.excluded.erased_at},
                where=abuse_prevention_hashes.c.erased_at < statement.excluded.erased_at,
            )
        )


async def erasure_known(conn: AsyncConnection, hashes: list[str], erased_at: datetime) -> bool:
    """True when this database holds every one of ``hashes`` as erased at ``erased_at``
    or later: the erasure happened in it (not in a timeline a restore went back from)."""
    if not hashes:
        return True
    found = await conn.scalar(
        select(func.count()).where(
            abuse_prevention_hashes.c.identity_hash.in_(hashes),
            abuse_prevention_hashes.c.purpose == ERASED,
            abuse_prevention_hashes.c.erased_at >= erased_at,
        )
    )
    return int(found or 0) >= len(set(hashes))


async def _any_recorded(conn: AsyncConnection, hashes: list[str], purpose: str | None) -> bool:
    """True when one of ``hashes`` is kept for ``purpose`` (``None``: for any purpose)."""
    if not hashes:
        return False
    query = select(abuse_prevention_hashes.c.id).where(
        abuse_prevention_hashes.c.identity_hash.in_(hashes)
    )
    if purpose is not None:
        query = query.where(abuse_prevention_hashes.c.purpose == purpose)
    return await conn.scalar(query.limit(1)) is not None


async def _record(conn: AsyncConnection, hashes: list[str], purpose: str) -> int:
    added = 0
    now = utcnow()
    for identity_hash in hashes:
        result = await conn.execute(
            insert_for(conn, abuse_prevention_hashes)
            .values(identity_hash=identity_hash, purpose=purpose, created_at=now)
            .on_conflict_do_nothing(index_elements=["identity_hash", "purpose"])
        )
        added += result.rowcount or 0
    return added


class AbusePreventionParticipant:
    """Privacy participant for the hashes. They hold no account reference (``tables`` is
    empty: the coverage check has nothing to claim), so erasure keeps them; the
    participant runs first in the erasure transaction and records the purposes the
    account's rows show for all its identities (an account /link absorbed is hashed
    under the identities of the account it joined). It also keeps the account's own
    identities as ``erased`` with the erasure time and, unless the erasure replays the
    journal, appends them to the erasure ``journal`` (before the transaction commits: an
    entry whose erasure then fails is replayed at the next start, which erases what the
    user asked to have erased). /mydata lists the purposes and dates kept for the user's
    identities, never the hashes."""

    name = "abuse_prevention"
    count_keys: tuple[str, ...] = ()  # what erase() counts
    tables: tuple[str, ...] = ()
    external = False
    order = 1  # before the ledger and promo redemptions are erased

    def __init__(self, hasher: AbuseHasher, journal: ErasureJournal | None = None) -> None:
        self._hasher = hasher
        self._journal = journal

    async def export(self, ctx: ExportContext) -> None:
        hashes = self._hasher.hashes(ctx.subject.identities)
        rows = []
        if hashes:
            found = await ctx.conn.execute(
                select(
                    abuse_prevention_hashes.c.purpose,
                    abuse_prevention_hashes.c.created_at,
                )
                .where(abuse_prevention_hashes.c.identity_hash.in_(hashes))
                .order_by(abuse_prevention_hashes.c.created_at, abuse_prevention_hashes.c.id)
            )
            seen = set()
            for row in found:
                if row.purpose not in seen:  # one line per purpose (several identities)
                    seen.add(row.purpose)
                    rows.append({"purpose": row.purpose, "since": json_value(row.created_at)})
        ctx.add_json("account.json", "abuse_prevention", rows)

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        conn = ctx.conn
        assert conn is not None
        account_id = ctx.account_id
        purposes = [
            promo_purpose(code)
            for code in (
                await conn.execute(
                    select(promo_redemptions.c.code).where(
                        promo_redemptions.c.account_id == account_id
                    )
                )
            ).scalars()
        ]
        welcome = await conn.scalar(
            select(ledger_entries.c.id)
            .where(
                ledger_entries.c.account_id == account_id,
                ledger_entries.c.reason == Reason.WELCOME,
            )
            .limit(1)
        )
        if welcome is not None:
            purposes.append(WELCOME_GRANT)
        hashes = await self._hasher.account_hashes(conn, await _holder(conn, account_id))
        for purpose in purposes:
            await _record(conn, hashes, purpose)
        # The account's own identities (an absorbed account has none: its holder's
        # erasure, in the same run, records them).
        erased = self._hasher.hashes(ctx.subject.identities)
        if erased:
            erased_at = ctx.replay_of or ctx.now
            await record_erased(conn, erased, erased_at)
            if self._journal is not None and ctx.replay_of is None:
                await self._journal.append(erased_at, erased)
        if await _any_recorded(conn, hashes, None):
            ctx.kept.add(KEPT)  # the receipt says what was kept and why; nothing is removed
        return {}


async def _holder(conn: AsyncConnection, account_id: int) -> int:
    """The account holding ``account_id``'s identities: itself, or the one /link merged
    it into (followed to the end)."""
    seen = {account_id}
    while True:
        merged = await conn.scalar(
            select(accounts.c.merged_into_account_id).where(accounts.c.id == account_id)
        )
        if merged is None or merged in seen:
            return account_id
        seen.add(merged)
        account_id = merged
