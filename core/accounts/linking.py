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
  the survivor already has its own (``core.linking_merge.MERGE_RULES``, checked by a
  test against every table with an account reference);
* the absorbed account keeps only its ledger history (which sums to 0) and is marked
  ``merged_into_account_id``: it has no identity, so nothing can act on it.

Only a sha256 of a code is stored, never the code.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from core.accounts import store as acc
from core.accounts.merge import check_mergeable, merge
from core.billing.subscriptions import sync_plan
from core.catalog import Catalog
from core.clock import Clock, utcnow
from core.db.engine import UnitOfWorkFactory, insert_for
from core.db.tables import accounts, identities, link_codes
from core.errors import LinkRefused, LinkTooSoon
from core.messaging.limits import RateLimiter
from core.types import AccountView, Actor

# No 0/O, 1/I/L: a code is read on one screen and typed on another.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_CHARS = 8
CODE_TTL_S = 600
CODES_PER_HOUR = 5  # /link (new code) per account
ATTEMPTS_PER_WINDOW = 10  # /link CODE per platform identity, right or wrong
ATTEMPT_WINDOW_S = 600.0
RATE_SCOPE = "link"  # rate-limit windows are named "link" + platform identity


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
            recent_rows = (
                await conn.execute(
                    select(link_codes.c.created_at)
                    .where(link_codes.c.account_id == row.id, link_codes.c.created_at > hour_ago)
                    .order_by(link_codes.c.created_at)
                )
            ).scalars()
            recent = list(recent_rows)
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

    async def discard(self, code: str) -> bool:
        """Make an unused ``code`` useless at once (it was shown where others can read
        it, e.g. typed in a group chat). True if a live code was discarded."""
        if not well_formed(code):
            return False
        async with self._uow() as uow:
            now = self.clock()
            done = await uow.conn.execute(
                update(link_codes)
                .where(
                    link_codes.c.code_hash == code_hash(code),
                    link_codes.c.used_at.is_(None),
                    link_codes.c.expires_at > now,
                )
                .values(expires_at=now)
            )
            await uow.commit()
        return bool(done.rowcount)

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
            await check_mergeable(conn, survivor, absorbed)
            moved = await merge(conn, survivor, absorbed, f"link:{found.id}")
            await sync_plan(conn, survivor_id, self._catalog)
            await sync_plan(conn, absorbed_id, self._catalog)
            row = await acc.account_by_id(conn, survivor_id)
            sorted_platforms = (
                await conn.execute(
                    select(identities.c.platform)
                    .where(identities.c.account_id == survivor_id)
                    .order_by(identities.c.platform)
                )
            ).scalars()
            platforms = tuple(dict.fromkeys(sorted_platforms))
            await uow.commit()
        return LinkResult(account=acc.to_view(row), moved_credits=moved, platforms=platforms)
