"""The /imagine accept path on PostgreSQL, spoken to the driver directly.

Why a second path: accepting a request is the hottest write of the product, and
building SQLAlchemy statements costs about a millisecond of CPU per submit, which
capped one process at a tenth of what the database sustains. Here it is one short
transaction of two prepared statements on a pooled connection: the account read, which
locks the account row, then ONE statement that counts the owner's queued jobs, debits,
writes the ledger entry and inserts the job. The lock serialises one user's submits,
so the count each sees includes the jobs the others just queued: the plan's
queued-jobs limit holds under any concurrency (a statement's snapshot alone would not
see them). Every invariant stays in the
database (the guarded UPDATE, the balance CHECK, the unique ``(reason, reference)``).
SQLite uses the same steps through SQLAlchemy (``core.generation.insert_job``); the
integration tests run both paths against the same expectations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from core.credits import Reason
from core.errors import AlreadySubmitted, InsufficientCredits, TooManyQueued
from core.generation import JobPolicy, new_job_id
from core.models import utcnow
from core.requests import ResolvedRequest
from core.types import Actor, ReplyTarget

ACCOUNT_SQL = """
SELECT a.id, a.balance_credits, a.plan, a.language, a.default_model, a.default_aspect,
       a.terms_version, a.age_confirmed_at, a.banned_at, a.ban_reason, a.debt_credits,
       a.merged_into_account_id
FROM identities i JOIN accounts a ON a.id = i.account_id
WHERE i.platform = $1 AND i.platform_user_id = $2
FOR UPDATE OF a
"""

# $1 job id, $2 account, $3 cost, $4 now, $5 reason; $6..$18 the job's fields;
# $19 max queued, $20 max running, $21 lane, $22 the request key (unique: a replayed
# request fails the whole statement, so nothing is debited), $23 the varied image (or
# NULL). The job's virtual time is its rank in the owner's backlog (see
# core.generation.insert_job).
SUBMIT_SQL = """
WITH backlog AS (
    SELECT count(*) FILTER (WHERE status = 'queued') AS queued, count(*) AS active
    FROM jobs WHERE account_id = $2::bigint AND status IN ('queued', 'running')
), debit AS (
    UPDATE accounts SET balance_credits = balance_credits - $3::bigint
    WHERE id = $2::bigint AND balance_credits >= $3::bigint
      AND (SELECT queued FROM backlog) < $19::integer
    RETURNING id, balance_credits
), entry AS (
    INSERT INTO ledger_entries
        (account_id, amount_credits, balance_after_credits, reason, reference, created_at)
    SELECT id, -$3::bigint, balance_credits, $5::varchar, $1::varchar, $4::timestamptz
    FROM debit WHERE $3::bigint > 0
), job AS (
    INSERT INTO jobs
        (id, account_id, status, model_id, prompt, negative_prompt, enhance, aspect_ratio,
         width_px, height_px, seed, image_count, cost_credits, platform, reply_target,
         locale, max_attempts, attempts, created_at, max_running, lane, fair_vt,
         request_key, source_image_id)
    SELECT $1::varchar, id, 'queued', $6::varchar, $7::text, $8::text, $9::boolean,
           $10::varchar, $11::integer, $12::integer, $13::bigint, $14::integer, $3::bigint,
           $15::varchar, $16::text, $17::varchar, $18::integer, 0, $4::timestamptz,
           $20::integer, $21::smallint, (SELECT active FROM backlog) + 1, $22::varchar,
           $23::varchar
    FROM debit
)
SELECT (SELECT balance_credits FROM debit) AS balance, (SELECT queued FROM backlog) AS queued
"""

BALANCE_SQL = "SELECT balance_credits FROM accounts WHERE id = $1"
JOB_FOR_REQUEST_SQL = "SELECT id FROM jobs WHERE request_key = $1"


@dataclass(frozen=True, slots=True)
class Accepted:
    job_id: str
    account_id: int
    request: ResolvedRequest
    created_at: datetime
    balance_credits: int  # after the debit
    locale: str | None = None


class PgAcceptPath:
    """Runs the accept path's statements on one connection from the engine's pool."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

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

        Raises:
            TooManyQueued, InsufficientCredits: nothing written; whatever ``prepare`` raises.
            AlreadySubmitted: ``request_key`` already made a job; nothing written.
        """
        async with self._engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            try:
                async with driver.transaction():  # held from the account's lock to the insert
                    account = await driver.fetchrow(
                        ACCOUNT_SQL, actor.platform, actor.platform_user_id
                    )
                    if account is not None and account["merged_into_account_id"] is not None:
                        # A /link merge committed while we waited for the lock: the
                        # identity now leads to the joined account (a new statement sees it).
                        account = await driver.fetchrow(
                            ACCOUNT_SQL, actor.platform, actor.platform_user_id
                        )
                    request, policy = prepare(account)
                    assert account is not None  # prepare refuses a missing account
                    job_id, now = new_job_id(), utcnow()
                    outcome = await driver.fetchrow(
                        SUBMIT_SQL,
                        job_id,
                        account["id"],
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
                        actor.locale or account["language"],  # the job's locale
                        policy.max_attempts,
                        policy.max_queued,
                        policy.max_running,
                        policy.lane,
                        request_key,
                        request.source_image_id,
                    )
            except asyncpg.UniqueViolationError as exc:
                if request_key is None or exc.constraint_name != "uq_jobs_request_key":
                    raise
                existing = await driver.fetchval(JOB_FOR_REQUEST_SQL, request_key)
                raise AlreadySubmitted(job_id=existing) from None
            if outcome["balance"] is None:
                if outcome["queued"] >= policy.max_queued:
                    raise TooManyQueued(max_queued_jobs=policy.max_queued)
                current = await driver.fetchval(BALANCE_SQL, account["id"])
                raise InsufficientCredits(
                    balance_credits=int(current or 0), cost_credits=request.cost_credits
                )
        locale = actor.locale or account["language"]
        return Accepted(job_id, account["id"], request, now, outcome["balance"], locale)
