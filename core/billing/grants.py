"""Money in and money taken back: grants that settle debts first, reversals that take
back unspent credits and record the spent ones as a debt.

Balances never go below zero (``core.ledger.apply_entry``). When a refunded or
disputed payment's credits were already spent, the difference goes to the
``credit_debts`` ledger (cached in ``accounts.debt_credits``), which blocks new spending
until a later grant settles it. Every step is a row with a ``(reason, reference)`` that
is unique, so a replayed event changes nothing. All functions run in the caller's
transaction.
"""

from __future__ import annotations

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.engine import insert_once
from core.db.tables import payments
from core.ledger import (
    DebtReason,
    LedgerOutcome,
    TakenBack,
    add_debt,
    apply_entry,
    debt_of,
    locked_account,
    take_back,
)

# Incoming credits are posted by ``core.ledger.apply_entry``, which settles a debt first.
Granted = LedgerOutcome
grant = apply_entry

__all__ = [
    "Granted",
    "TakenBack",
    "debt_of",
    "grant",
    "insert_once",
    "lock_payment_intent",
    "locked_account",
    "record_payment",
    "reversal_target_credits",
    "reverse_payment",
    "take_back",
]


async def lock_payment_intent(conn: AsyncConnection, payment_intent: str | None) -> None:
    """Serialise the transactions about one payment (its recording and its reversals),
    so a reversal held for a payment not yet recorded is never missed by the
    transaction recording it. PostgreSQL: a transaction advisory lock; SQLite
    transactions are serial already."""
    if payment_intent and conn.dialect.name == "postgresql":
        await conn.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"payment:{payment_intent}"},
        )


async def record_payment(
    conn: AsyncConnection,
    *,
    reference: str,
    provider: str,
    account_id: int,
    kind: str,
    item_id: str,
    credits_granted: int,
    amount_minor: int,
    currency: str,
    payment_intent: str | None = None,
) -> bool:
    """Keep the payment that granted credits, so a refund can find them. False when it
    was already recorded."""
    await lock_payment_intent(conn, payment_intent)
    return await insert_once(
        conn,
        payments,
        ["reference"],
        reference=reference,
        provider=provider,
        account_id=account_id,
        kind=kind,
        item_id=item_id,
        credits=credits_granted,
        amount_minor=amount_minor,
        currency=currency,
        payment_intent=payment_intent,
        reversed_credits=0,
        created_at=utcnow(),
    )


def reversal_target_credits(credits: int, paid_minor: int, reversed_minor: int) -> int:
    """The credits a payment of ``paid_minor`` (cents, or Stars) that granted ``credits``
    has lost once ``reversed_minor`` of it went back (refunded, or disputed and not won).

    Rounding rule, in integers only: ``floor(credits * min(reversed, paid) / paid)``. A
    partial reversal never takes more than its share (a fraction of a credit stays with
    the buyer); the target only grows with the reversed amount; a full reversal takes
    back exactly the credits granted, never more. Callers store the target and take the
    difference from what was taken before, so partial refunds a1..ak add up to the same
    credits as one refund of their sum, and a repeated delivery takes nothing more. A
    payment of no money is lost whole by any reversal.
    """
    if reversed_minor <= 0 or credits <= 0:
        return 0
    if paid_minor <= 0:
        return credits
    return credits * min(reversed_minor, paid_minor) // paid_minor


async def reverse_payment(
    conn: AsyncConnection,
    payment_reference: str,
    *,
    reason: str,
    reference: str,
    reversed_minor: int | None = None,
) -> TakenBack | None:
    """Bring a payment's credits taken back to what ``reversed_minor`` (cumulative; None:
    all of it) calls for (``reversal_target_credits``): the difference is taken back
    under ``(reason, reference)``, or given back when less is reversed than before (a
    dispute won). None when no such payment is recorded."""
    row = (
        await conn.execute(
            select(payments).where(payments.c.reference == payment_reference).with_for_update()
        )
    ).one_or_none()
    if row is None:
        return None
    paid = int(row.amount_minor)
    reversed_minor = max(paid, 1) if reversed_minor is None else reversed_minor
    target = reversal_target_credits(int(row.credits), paid, reversed_minor)
    delta = target - int(row.reversed_credits)
    if delta == 0:
        return TakenBack(0, 0)
    await conn.execute(
        update(payments)
        .where(payments.c.reference == payment_reference)
        .values(reversed_credits=target, reversed_at=utcnow())
    )
    if delta < 0:
        await _give_back(conn, int(row.account_id), -delta, reason, reference)
        return TakenBack(0, 0, restored_credits=-delta)
    return await take_back(
        conn, account_id=row.account_id, amount_credits=delta, reason=reason, reference=reference
    )


async def _give_back(
    conn: AsyncConnection, account_id: int, amount_credits: int, reason: str, reference: str
) -> None:
    """Credits of a reversal undone (a dispute won): the debt still owed goes first
    (``debt_undone``), the rest comes back to the balance under ``(reason, reference)``."""
    row = await locked_account(conn, account_id)
    undo_debt = min(amount_credits, int(row.debt_credits))
    if undo_debt > 0:
        await add_debt(conn, account_id, -undo_debt, DebtReason.UNDONE, reference)
    back = amount_credits - undo_debt
    if back > 0:
        given = await apply_entry(
            conn, account_id=account_id, amount_credits=back, reason=reason, reference=reference
        )
        if not given.applied:  # a reference reused for a give-back: a bug, never silent
            raise RuntimeError(f"reversal reference already used: {reason}:{reference}")
