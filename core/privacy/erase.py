"""/forgetme: erase a user, after a typed confirmation code, and hand back a receipt.

Order (each step safe to repeat, so a failure is fixed by asking again with the same
code while it is valid):

1. one transaction: check the code; cancel and refund the user's queued *and running*
   jobs (a worker still drawing one finds its job no longer ``running`` and discards the
   result: nothing is stored or delivered afterwards); collect the :class:`Subject`.
2. external participants (storage objects in batches, Redis keys, a payment provider's
   customer) erase what the subject names.
3. one transaction: the database participants erase in order; payment records are
   pseudonymised; the account row goes last (a returning user is a new account).
4. external participants once more, for anything a racing worker wrote meanwhile.

Accounts that /link absorbed into the user's account (no identity left, only their
ledger history) are erased in the same steps, before it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.db.tables import accounts, jobs, privacy_confirmations
from core.errors import ConfirmationInvalid
from core.jobs import lifecycle as gen
from core.jobs.status import ACTIVE_STATUSES, JobStatus
from core.privacy.registry import ErasureContext, PrivacyRegistry, Subject, collect_subject

log = logging.getLogger("seedream.privacy")

ERASE = "erase"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to type back
ERASED_JOB_CODE = "erased"
PAYMENT_RECORDS = "payment_records"  # the receipt's "kept" key for pseudonymised payments


@dataclass(frozen=True, slots=True)
class ErasureChallenge:
    """Type ``code`` back (``/forgetme CODE``) within ``expires_in_s`` to erase."""

    code: str
    expires_in_s: int


@dataclass(frozen=True, slots=True)
class ErasureReceipt:
    """What an erasure removed. ``erased`` is False when there was nothing to erase
    (no account, or it was already erased): asking twice is harmless."""

    erasure_id: str
    erased: bool
    started_at: datetime
    finished_at: datetime
    counts: dict[str, int] = field(default_factory=dict)
    cancelled_jobs: int = 0
    refunded_credits: int = 0
    # What was kept on purpose (catalogue keys under ``privacy.kept``): payment records
    # the law makes us keep, pseudonymised; identity hashes kept for abuse prevention.
    kept: tuple[str, ...] = ()


def _hash(code: str) -> str:
    normal = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(normal.encode()).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


async def request_erasure(
    uow: UnitOfWorkFactory, account_id: int, *, ttl_s: int
) -> ErasureChallenge:
    """A fresh code for ``account_id`` (replacing any earlier one)."""
    code = new_code()
    now = utcnow()
    async with uow() as tx:
        await tx.conn.execute(
            delete(privacy_confirmations).where(
                privacy_confirmations.c.account_id == account_id,
                privacy_confirmations.c.action == ERASE,
            )
        )
        await tx.conn.execute(
            privacy_confirmations.insert().values(
                account_id=account_id,
                action=ERASE,
                code_sha256=_hash(code),
                created_at=now,
                expires_at=now + timedelta(seconds=ttl_s),
            )
        )
        await tx.commit()
    return ErasureChallenge(code=code, expires_in_s=ttl_s)


async def _check_code(conn: AsyncConnection, account_id: int, code: str) -> None:
    row = (
        await conn.execute(
            select(privacy_confirmations).where(
                privacy_confirmations.c.account_id == account_id,
                privacy_confirmations.c.action == ERASE,
            )
        )
    ).one_or_none()
    if (
        row is None
        or row.expires_at <= utcnow()
        or not hmac.compare_digest(row.code_sha256, _hash(code))
    ):
        raise ConfirmationInvalid()


async def _stop_jobs(conn: AsyncConnection, account_id: int) -> tuple[int, int]:
    """Cancel and refund every queued or running job; (jobs, credits refunded)."""
    ids = (
        await conn.execute(
            select(jobs.c.id).where(
                jobs.c.account_id == account_id, jobs.c.status.in_(ACTIVE_STATUSES)
            )
        )
    ).scalars()
    count = refunded = 0
    for job_id in list(ids):
        row = await gen.end_unsuccessfully(
            conn,
            job_id,
            status=JobStatus.CANCELLED,
            error_code=ERASED_JOB_CODE,
            from_states=ACTIVE_STATUSES,
            account_id=account_id,
            notified=True,  # the erasure receipt is the reply; nothing else is sent
        )
        if row is not None:
            count += 1
            refunded += row.cost_credits
    return count, refunded


async def erase_account(
    uow: UnitOfWorkFactory, registry: PrivacyRegistry, account_id: int, code: str
) -> ErasureReceipt:
    """Check ``code`` and erase ``account_id`` (see the module docstring).

    Raises:
        ConfirmationInvalid: the code is wrong or expired (nothing changed).
        Whatever a participant raises: the erasure stops there, and asking again with
        the same code (while valid) finishes it.
    """
    return await _erase(uow, registry, account_id, code=code, replay_of=None)


async def replay_erasure(
    uow: UnitOfWorkFactory, registry: PrivacyRegistry, account_id: int, *, erased_at: datetime
) -> tuple[ErasureReceipt, list[Subject]]:
    """Erase ``account_id`` again, without a code: the erasure journal recorded that its
    identities were erased at ``erased_at``, after the backup this database was restored
    from was taken (``core.privacy.journal``). Returns the receipt and the subjects erased
    (the account and those /link absorbed into it).

    Raises:
        Whatever a participant raises (the next start replays the journal again).
    """
    subjects: list[Subject] = []
    receipt = await _erase(
        uow, registry, account_id, code=None, replay_of=erased_at, erased=subjects
    )
    return receipt, subjects


async def _erase(
    uow: UnitOfWorkFactory,
    registry: PrivacyRegistry,
    account_id: int,
    *,
    code: str | None,
    replay_of: datetime | None,
    erased: list[Subject] | None = None,
) -> ErasureReceipt:
    started = utcnow()
    erasure_id = uuid.uuid4().hex
    async with uow() as tx:
        if replay_of is None:
            await _check_code(tx.conn, account_id, code or "")
        cancelled, refunded = await _stop_jobs(tx.conn, account_id)
        # (erasure id, subject): the absorbed accounts first, each its own erasure id
        # (its ledger's closing entry is keyed by it), the user's account last.
        subjects = [
            (f"{erasure_id}-{absorbed}", await collect_subject(tx.conn, absorbed, registry))
            for absorbed in await _absorbed_into(tx.conn, account_id)
        ]
        subjects.append((erasure_id, await collect_subject(tx.conn, account_id, registry)))
        await tx.commit()
    counts: dict[str, int] = {}
    for each_id, subject in subjects:
        await _run_external(registry, subject, each_id, counts)
    kept: set[str] = set()
    async with uow() as tx:
        for each_id, subject in subjects:
            ctx = ErasureContext(
                subject=subject, erasure_id=each_id, conn=tx.conn, now=started, replay_of=replay_of
            )
            for participant in registry.database_participants:
                _add(counts, await participant.erase(ctx))
            kept |= ctx.kept | ({PAYMENT_RECORDS} if ctx.pseudonymised else set())
        await tx.commit()
    for each_id, subject in subjects:
        await _run_external(registry, subject, each_id, {})
    finished = utcnow()
    log.info("erasure done id=%s in %.2fs", erasure_id, (finished - started).total_seconds())
    if erased is not None:
        erased.extend(subject for _, subject in subjects)
    return ErasureReceipt(
        erasure_id=erasure_id,
        erased=True,
        started_at=started,
        finished_at=finished,
        counts=counts,
        cancelled_jobs=cancelled,
        refunded_credits=refunded,
        kept=tuple(sorted(kept)),
    )


async def _absorbed_into(conn: AsyncConnection, account_id: int) -> list[int]:
    """Accounts /link merged into ``account_id``, directly or through another one,
    deepest first."""
    found: list[int] = []
    frontier = [account_id]
    while frontier:
        rows = await conn.execute(
            select(accounts.c.id).where(accounts.c.merged_into_account_id.in_(frontier))
        )
        frontier = list(rows.scalars())
        found.extend(frontier)
    return found[::-1]


def nothing_to_erase() -> ErasureReceipt:
    now = utcnow()
    return ErasureReceipt(erasure_id="", erased=False, started_at=now, finished_at=now)


async def _run_external(
    registry: PrivacyRegistry, subject: Subject, erasure_id: str, counts: dict[str, int]
) -> None:
    ctx = ErasureContext(subject=subject, erasure_id=erasure_id)
    for participant in registry.external_participants:
        _add(counts, await participant.erase(ctx))


def _add(counts: dict[str, int], more: dict[str, int]) -> None:
    for name, value in more.items():
        counts[name] = counts.get(name, 0) + int(value)
