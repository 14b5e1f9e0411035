"""What an account owes: the ``credit_debts`` rows (cached in ``accounts.debt_credits``),
which block new spending until incoming credits settle them (see
``core.ledger.reasons.SETTLES_DEBT``). All functions run in the caller's transaction."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.engine import insert_once
from core.db.tables import accounts, credit_debts


async def locked_account(conn: AsyncConnection, account_id: int):
    """The account row, locked for this transaction (PostgreSQL; SQLite's writer lock
    already serialises). ``FOR NO KEY UPDATE``, the lock an UPDATE takes: a plain
    ``FOR UPDATE`` would also wait for the key-share locks that inserting a row which
    references the account takes, and deadlock against that transaction's own UPDATE."""
    return (
        await conn.execute(
            select(accounts.c.balance_credits, accounts.c.debt_credits)
            .where(accounts.c.id == account_id)
            .with_for_update(key_share=True)
        )
    ).one()


async def add_debt(
    conn: AsyncConnection, account_id: int, amount_credits: int, reason: str, reference: str
) -> bool:
    """Record ``amount_credits`` owed (negative: paid) once per ``(reason, reference)``;
    False when that row exists already."""
    if not await insert_once(
        conn,
        credit_debts,
        ["reason", "reference"],
        account_id=account_id,
        amount_credits=amount_credits,
        reason=reason,
        reference=reference,
        created_at=utcnow(),
    ):
        return False
    await conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(debt_credits=accounts.c.debt_credits + amount_credits)
    )
    return True


async def has_debt_row(conn: AsyncConnection, reason: str, reference: str) -> bool:
    found = await conn.scalar(
        select(credit_debts.c.id).where(
            credit_debts.c.reason == reason, credit_debts.c.reference == reference
        )
    )
    return found is not None


async def debt_of(conn: AsyncConnection, account_id: int) -> int:
    return int(
        await conn.scalar(select(accounts.c.debt_credits).where(accounts.c.id == account_id)) or 0
    )
