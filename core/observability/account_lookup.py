"""One account as the operator dashboard shows it, found by a platform identity:
balance, debt, plan, ban state, identities, the latest ledger rows, jobs, consents and
operators' actions (``admin_audit``). Prompts are not part of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
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
    le = ledger_entries.c
    ledger = await conn.execute(
        select(
            le.id,
            le.amount_credits,
            le.balance_after_credits,
            le.reason,
            le.reference,
            le.note,
            le.created_at,
        )
        .where(le.account_id == account.id)
        .order_by(le.id.desc())
        .limit(rows)
    )
    j = jobs.c
    found_jobs = await conn.execute(
        select(
            j.id,
            j.status,
            j.model_id,
            j.image_count,
            j.cost_credits,
            j.provider_route,
            j.error_code,
            j.created_at,
            j.finished_at,
        )
        .where(j.account_id == account.id)
        .order_by(j.created_at.desc(), j.id.desc())
        .limit(rows)
    )
    c = consents.c
    found_consents = await conn.execute(
        select(c.kind, c.granted, c.policy_version, c.created_at)
        .where(c.account_id == account.id)
        .order_by(c.id.desc())
        .limit(rows)
    )
    a = admin_audit.c
    audit = await conn.execute(
        select(
            a.operator,
            a.action,
            a.note,
            a.amount_credits,
            a.ledger_reason,
            a.ledger_reference,
            a.created_at,
        )
        .where(a.account_id == account.id)
        .order_by(a.id.desc())
        .limit(rows)
    )
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
