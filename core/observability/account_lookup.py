"""One account as the operator dashboard shows it, found by a platform identity:
balance, debt, plan, ban state, identities, the latest ledger rows, jobs, consents and
operators' actions (``admin_audit``). Prompts are not part of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import Column, Row, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.accounts import store as acc
from core.db.tables import admin_audit, consents, identities, jobs, ledger_entries
from core.types import Actor

LOOKUP_ROWS = 20  # of each list


@dataclass(frozen=True, slots=True)
class LedgerRow:
    id: int
    amount_credits: int
    balance_after_credits: int
    reason: str
    reference: str
    note: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class JobRow:
    job_id: str
    status: str
    model_id: str
    image_count: int
    cost_credits: int
    provider_route: str | None
    error_code: str | None
    created_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class ConsentRow:
    kind: str  # terms | age_13_plus | training_use | analytics
    granted: bool
    policy_version: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuditRow:
    operator: str  # "cli" or "<platform>:<user id>"
    action: str  # ban | unban | grant | debit
    note: str | None
    amount_credits: int | None
    ledger_reason: str | None  # with ledger_reference: the grant's ledger entry
    ledger_reference: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AccountLookup:
    account_id: int
    created_at: datetime
    balance_credits: int
    debt_credits: int
    plan: str
    language: str | None
    terms_version: str | None
    banned_at: datetime | None
    ban_reason: str | None
    identities: tuple[tuple[str, str], ...]  # (platform, platform user id)
    ledger: tuple[LedgerRow, ...]  # newest first
    jobs: tuple[JobRow, ...]  # newest first
    consents: tuple[ConsentRow, ...]  # newest first
    audit: tuple[AuditRow, ...]  # newest first

    @property
    def banned(self) -> bool:
        return self.banned_at is not None


async def _newest(
    conn: AsyncConnection,
    table: Table,
    row_type: type,
    account_id: int,
    rows: int,
    *newest_first: Column,
    **column_of: str,
) -> Sequence[Row]:
    """The ``rows`` newest of ``account_id``'s rows in ``table``, with the columns named
    as ``row_type``'s fields (a field ``column_of`` renames reads that column)."""
    names = [column_of.get(f.name, f.name) for f in fields(row_type)]
    return (
        await conn.execute(
            select(*(table.c[name] for name in names))
            .where(table.c.account_id == account_id)
            .order_by(*(column.desc() for column in newest_first))
            .limit(rows)
        )
    ).all()


async def lookup_account(
    conn: AsyncConnection, platform: str, platform_user_id: str, *, rows: int = LOOKUP_ROWS
) -> AccountLookup | None:
    """The account behind ``platform:platform_user_id``, or ``None``."""
    account = await acc.find_account(conn, Actor(platform, platform_user_id))
    if account is None:
        return None
    found_identities = await conn.execute(
        select(identities.c.platform, identities.c.platform_user_id)
        .where(identities.c.account_id == account.id)
        .order_by(identities.c.platform, identities.c.platform_user_id)
    )
    ledger = await _newest(conn, ledger_entries, LedgerRow, account.id, rows, ledger_entries.c.id)
    found_jobs = await _newest(
        conn, jobs, JobRow, account.id, rows, jobs.c.created_at, jobs.c.id, job_id="id"
    )
    found_consents = await _newest(conn, consents, ConsentRow, account.id, rows, consents.c.id)
    audit = await _newest(conn, admin_audit, AuditRow, account.id, rows, admin_audit.c.id)
    return AccountLookup(
        account_id=account.id,
        created_at=account.created_at,
        balance_credits=account.balance_credits,
        debt_credits=account.debt_credits,
        plan=account.plan,
        language=account.language,
        terms_version=account.terms_version,
        banned_at=account.banned_at,
        ban_reason=account.ban_reason,
        identities=tuple((p, u) for p, u in found_identities),
        ledger=tuple(LedgerRow(*r) for r in ledger),
        jobs=tuple(JobRow(*r) for r in found_jobs),
        consents=tuple(ConsentRow(k, bool(g), v, at) for k, g, v, at in found_consents),
        audit=tuple(AuditRow(*r) for r in audit),
    )
