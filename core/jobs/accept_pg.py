"""The /imagine accept path on PostgreSQL, spoken to the driver directly.

Why a second path: accepting a request is the hottest write of the product. Through
SQLAlchemy it costs about a millisecond of CPU per submit, and as one transaction
(BEGIN, the account locked, the debit and insert, COMMIT) four round trips. Here it is
two statements on a pooled connection, in autocommit: the account read (no lock), then
ONE call of ``seedream_accept_job`` (migrations 0014, 0016, 0017), a PL/pgSQL function
that locks the account row, checks that nothing the checks read has changed since,
counts the owner's queued jobs, debits, writes the ledger entry, inserts the job and
counts its place in the queue, committed with the call. The lock serialises one user's
submits, and each statement of the function takes a fresh snapshot, so the count sees
the jobs the previous holder just queued: the plan's queued-jobs limit holds under any
concurrency. When the account changed in between (a /link merge moved its identities, a
ban, a debt, a new plan), the function writes nothing and the submit reads again, so it
lands on the joined account.
Every invariant stays in the database (the balance CHECK, the unique
``(reason, reference)``, the unique request key).

Pool connections are kept between submits (``KeptConnections``): checking one out of
SQLAlchemy's pool and back costs two greenlet switches and the pool's bookkeeping, about
a third of the Python time of a submit. The path keeps the connections its concurrent
submits used, up to a bound, and hands them back when no submit is running (all but
one), after ``KEEP_FOR_S`` (so the pool's recycling still applies) or at ``aclose``.

The account as last read is kept per identity (``RecentAccounts``): a user's next submit
skips the read and goes straight to the function, which compares the same fingerprint
under the lock, so a stale copy can only cost a read, never a wrong verdict. A refusal
is never made from a kept copy: the account is read again and checked afresh.

SQLite uses the same steps through SQLAlchemy (``core.generation.insert_job``);
tests/integration/test_accept_parity.py plays the same inputs on both.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.util import greenlet_spawn

from core.clock import utcnow
from core.errors import AlreadySubmitted, CoreError, InsufficientCredits, TooManyQueued
from core.jobs.lifecycle import JobPolicy, new_job_id
from core.jobs.requests import ResolvedRequest
from core.jobs.scheduling import QUEUE_POSITION_CAP
from core.ledger import Reason
from core.text.catalogue import effective_locale
from core.types import Actor, ReplyTarget

# The account as the checks see it; ``seen`` is compared under the lock (migration 0014).
ACCOUNT_SQL = """
SELECT a.id, a.balance_credits, a.plan, a.language, a.default_model, a.default_aspect,
       a.terms_version, a.age_confirmed_at, a.banned_at, a.ban_reason, a.debt_credits,
       a.merged_into_account_id, seedream_account_seen(a) AS seen
FROM identities i JOIN accounts a ON a.id = i.account_id
WHERE i.platform = $1 AND i.platform_user_id = $2
"""

# $1 account, $2 seen, $3 job id, $4 cost, $5 now, $6 reason; $7..$19 the job's fields;
# $20 max queued, $21 max running, $22 lane, $23 the request key (unique: a replayed
# request fails the whole statement, so nothing is debited), $24 the varied image, $25
# the reference uploads (comma-separated ids; migration 0016), $26 the cap of the queue
# position's count (migration 0017).
ACCEPT_SQL = """
SELECT verdict, balance_now, position_now FROM seedream_accept_job(
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
    $20, $21, $22, $23, $24, $25, $26)
"""

JOB_FOR_REQUEST_SQL = "SELECT id FROM jobs WHERE request_key = $1"

# A submit reads the account again when it changed between its read and its lock (a
# /link merge, a ban, a new plan...). Each retry follows a commit by someone else, so
# running out means a storm of changes to one account, not a livelock.
MAX_READS = 8


class RecentAccounts:
    """The account rows last read, by identity, at most ``max_entries`` (least recently
    used dropped first). Only a hint: ``seedream_accept_job`` checks the fingerprint."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._rows: OrderedDict[tuple[str, str], asyncpg.Record] = OrderedDict()
        self._max_entries = max_entries

    def get(self, key: tuple[str, str]) -> asyncpg.Record | None:
        row = self._rows.get(key)
        if row is not None:
            self._rows.move_to_end(key)
        return row

    def put(self, key: tuple[str, str], row: asyncpg.Record) -> None:
        self._rows[key] = row
        self._rows.move_to_end(key)
        if len(self._rows) > self._max_entries:
            self._rows.popitem(last=False)

    def forget(self, key: tuple[str, str]) -> None:
        self._rows.pop(key, None)


@dataclass(frozen=True, slots=True)
class Accepted:
    job_id: str
    account_id: int
    request: ResolvedRequest
    created_at: datetime
    balance_credits: int  # after the debit
    locale: str | None = None
    queue_position: int = 1  # see core.jobs.scheduling.queue_position


# A kept connection goes back to the pool after this long, where ``pool_recycle`` applies.
KEEP_FOR_S = 300.0


class KeptConnections:
    """Connections of the engine's pool that the accept path holds between submits.

    At most ``max_kept`` are held while submits run; when the last running submit ends,
    all but one go back. Only a connection that ended its submit cleanly (no open
    transaction, not closed, no driver error or cancellation) is kept.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        pool_size = getattr(engine.pool, "size", lambda: 0)()
        # Leave the rest of the process at least two of the pool's steady connections.
        self.max_kept = max(1, pool_size - 2)
        self._kept: list[tuple[PoolProxiedConnection, float]] = []
        self.running = 0

    def __len__(self) -> int:
        return len(self._kept)

    async def take(self) -> tuple[PoolProxiedConnection, float]:
        """A kept connection (newest first) or one from the pool, with when it was taken.
        A kept connection the server has closed meanwhile is dropped, not used."""
        while self._kept:
            pooled, taken_at = self._kept.pop()
            driver = pooled.driver_connection
            if driver is not None and not driver.is_closed():
                return pooled, taken_at
            await greenlet_spawn(pooled.invalidate)
        return await self._engine.raw_connection(), time.monotonic()

    async def give_back(
        self, pooled: PoolProxiedConnection, taken_at: float, *, clean: bool
    ) -> None:
        """After a submit (``running`` already counts it out): keep ``pooled`` or return
        it, then trim the kept ones when nothing runs. Sync pool calls run in a greenlet."""
        driver = pooled.driver_connection
        if driver is None or driver.is_closed():
            await greenlet_spawn(pooled.invalidate)
        elif (
            clean
            and not driver.is_in_transaction()
            and time.monotonic() - taken_at < KEEP_FOR_S
            and len(self._kept) < self.max_kept
        ):
            self._kept.append((pooled, taken_at))
        else:
            await greenlet_spawn(pooled.close)
        if self.running == 0:
            while len(self._kept) > 1:
                extra, _ = self._kept.pop(0)
                await greenlet_spawn(extra.close)

    async def aclose(self) -> None:
        """Every kept connection back to the pool (before the engine is disposed)."""
        while self._kept:
            pooled, _ = self._kept.pop()
            await greenlet_spawn(pooled.close)


class PgAcceptPath:
    """Runs the accept path's statements on one connection from the engine's pool."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.connections = KeptConnections(engine)
        self.recent = RecentAccounts()

    async def aclose(self) -> None:
        await self.connections.aclose()

    async def submit(
        self,
        actor: Actor,
        prepare: Callable[[Mapping[str, Any] | None], tuple[ResolvedRequest, JobPolicy]],
        *,
        reply_target: ReplyTarget | None,
        request_key: str | None = None,
    ) -> Accepted:
        """Read the account, let ``prepare`` check it and resolve the request and its
        limits (it raises the user's error), then debit and insert the job atomically.

        Concurrent submits by one user queue behind the account row's lock, so neither
        the queued-jobs limit nor the balance can be exceeded; a submit that waited for
        a /link merge lands on the joined account, never on the absorbed one.
        ``actor`` is already clean (``core.accounts.clean_actor``).

        Raises:
            TooManyQueued, InsufficientCredits: nothing written; whatever ``prepare`` raises.
            AlreadySubmitted: ``request_key`` already made a job; nothing written.
            RuntimeError: the account changed under ``MAX_READS`` reads in a row.
        """
        # The pool's raw connection, not an AsyncConnection: a third of the CPU per checkout.
        kept = self.connections
        kept.running += 1
        clean = False
        try:
            pooled, taken_at = await kept.take()
        except BaseException:
            kept.running -= 1
            raise
        try:
            driver = pooled.driver_connection
            assert driver is not None  # None only once the pool has detached or dropped it
            try:
                accepted = await self._accept(driver, actor, prepare, reply_target, request_key)
            except CoreError:  # a refusal: the connection is as clean as after a success
                clean = True
                raise
            clean = True
            return accepted
        finally:  # kept, back to the pool, or dropped when it died
            kept.running -= 1
            await kept.give_back(pooled, taken_at, clean=clean)

    async def _accept(
        self,
        driver: asyncpg.Connection,
        actor: Actor,
        prepare: Callable[[Mapping[str, Any] | None], tuple[ResolvedRequest, JobPolicy]],
        reply_target: ReplyTarget | None,
        request_key: str | None,
    ) -> Accepted:
        key = (actor.platform, actor.platform_user_id)
        account = self.recent.get(key)
        for _ in range(MAX_READS):
            kept = account is not None
            if account is None:
                account = await driver.fetchrow(ACCOUNT_SQL, *key)
            try:
                request, policy = prepare(account)
            except CoreError:
                if not kept:
                    raise
                self.recent.forget(key)  # refuse only on what the database says now
                account = None
                continue
            assert account is not None  # prepare refuses a missing account
            job_id, now = new_job_id(), utcnow()
            locale = effective_locale(account["language"], actor.locale)  # the job's
            try:
                verdict, balance_credits, position = await driver.fetchrow(
                    ACCEPT_SQL,
                    account["id"],
                    account["seen"],
                    job_id,
                    request.cost_credits,
                    now,
                    Reason.SPEND,
                    request.model.id,
                    request.prompt,
                    request.negative_prompt,
                    request.enhance,
                    request.aspect_ratio,
                    request.width_px,
                    request.height_px,
                    request.seed,
                    request.image_count,
                    actor.platform,
                    reply_target.to_json() if reply_target else None,
                    locale,
                    policy.max_attempts,
                    policy.max_queued,
                    policy.max_running,
                    policy.lane,
                    request_key,
                    request.source_image_id,
                    ",".join(request.reference_upload_ids) or None,
                    QUEUE_POSITION_CAP,
                )
            except asyncpg.UniqueViolationError as exc:
                if request_key is None or exc.constraint_name != "uq_jobs_request_key":
                    raise
                existing = await driver.fetchval(JOB_FOR_REQUEST_SQL, request_key)
                raise AlreadySubmitted(job_id=existing) from None
            if verdict == "changed":
                self.recent.forget(key)
                account = None
                continue
            self.recent.put(key, account)
            if verdict == "accepted":
                return Accepted(
                    job_id, account["id"], request, now, balance_credits, locale, position
                )
            if verdict == "too_many_queued":
                raise TooManyQueued(max_queued_jobs=policy.max_queued)
            if verdict == "insufficient":
                raise InsufficientCredits(
                    balance_credits=balance_credits, cost_credits=request.cost_credits
                )
            raise AssertionError(f"unknown verdict {verdict!r}")
        raise RuntimeError(f"account changed under {MAX_READS} submits in a row")
