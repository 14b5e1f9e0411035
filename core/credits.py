"""The credit ledger.

Every balance change is one ``ledger_entries`` row with a reason and a reference;
``(reason, reference)`` is unique, so a replayed payment or a retried refund is a
no-op. The cached ``accounts.balance_credits`` changes in the same transaction through
a guarded UPDATE (``... WHERE balance + amount >= 0``) and a CHECK constraint, so the
database itself refuses a negative balance; there is no read-then-write in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db import insert_for
from core.errors import InsufficientCredits, NotFound
from core.models import accounts, ledger_entries, utcnow
from core.types import CreditsView, LedgerEntryView


class Reason:
    """Ledger reasons. A reference is unique within its reason."""

    WELCOME = "welcome"  # reference: account id
    SPEND = "spend"  # reference: job id
    REFUND = "refund"  # reference: job id
    ADMIN_GRANT = "admin_grant"  # reference: caller-chosen or random
    ADMIN_DEBIT = "admin_debit"


@dataclass(frozen=True, slots=True)
class LedgerOutcome:
    applied: bool  # False when (reason, reference) was already in the ledger
    balance_credits: int


async def apply_entry(
    conn: AsyncConnection,
    *,
    account_id: int,
    amount_credits: int,
    reason: str,
    reference: str,
    note: str | None = None,
) -> LedgerOutcome:
    """Change a balance by ``amount_credits`` exactly once for ``(reason, reference)``.

    Runs inside the caller's transaction; the caller commits.

    Raises:
        InsufficientCredits: a debit larger than the balance (nothing changes).
        NotFound: no such account.
        ValueError: a zero amount.
    """
    if amount_credits == 0:
        raise ValueError("a ledger entry must move credits")
    new_balance = (
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .where(accounts.c.balance_credits + amount_credits >= 0)
            .values(balance_credits=accounts.c.balance_credits + amount_credits)
            .returning(accounts.c.balance_credits)
        )
    ).scalar_one_or_none()
    if new_balance is None:
        balance = await balance_of(conn, account_id)
        raise InsufficientCredits(balance_credits=balance, cost_credits=-amount_credits)
    inserted = (
        await conn.execute(
            insert_for(conn, ledger_entries)
            .values(
                account_id=account_id,
                amount_credits=amount_credits,
                balance_after_credits=new_balance,
                reason=reason,
                reference=reference,
                note=note,
                created_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["reason", "reference"])
            .returning(ledger_entries.c.id)
        )
    ).scalar_one_or_none()
    if inserted is None:
        # Already counted: undo our change to the (still locked) balance row.
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(balance_credits=accounts.c.balance_credits - amount_credits)
        )
        return LedgerOutcome(applied=False, balance_credits=new_balance - amount_credits)
    return LedgerOutcome(applied=True, balance_credits=new_balance)


async def balance_of(conn: AsyncConnection, account_id: int) -> int:
    """Raises: NotFound."""
    balance = (
        await conn.execute(select(accounts.c.balance_credits).where(accounts.c.id == account_id))
    ).scalar_one_or_none()
    if balance is None:
        raise NotFound(what="account")
    return int(balance)


async def ledger_sum(conn: AsyncConnection, account_id: int) -> int:
    total = await conn.scalar(
        select(func.coalesce(func.sum(ledger_entries.c.amount_credits), 0)).where(
            ledger_entries.c.account_id == account_id
        )
    )
    return int(total or 0)


async def credits_view(conn: AsyncConnection, account_id: int, *, limit: int = 10) -> CreditsView:
    rows = (
        await conn.execute(
            select(ledger_entries)
            .where(ledger_entries.c.account_id == account_id)
            .order_by(ledger_entries.c.id.desc())
            .limit(limit)
        )
    ).all()
    return CreditsView(
        balance_credits=await balance_of(conn, account_id),
        recent=[
            LedgerEntryView(
                amount_credits=r.amount_credits,
                reason=r.reason,
                reference=r.reference,
                balance_after_credits=r.balance_after_credits,
                created_at=r.created_at,
            )
            for r in rows
        ],
    )


async def conservation_gap(conn: AsyncConnection) -> int:
    """Sum of balances minus sum of ledger entries, over all accounts; 0 when sound."""
    balances = await conn.scalar(select(func.coalesce(func.sum(accounts.c.balance_credits), 0)))
    entries = await conn.scalar(select(func.coalesce(func.sum(ledger_entries.c.amount_credits), 0)))
    return int(balances or 0) - int(entries or 0)
