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

from core.db import insert_once
from core.ledger import (
    LedgerOutcome,
    Reason,
    TakenBack,
    apply_entry,
    debt_of,
    locked_account,
    take_back,
)
from core.models import payments, pending_reversals, utcnow

# Incoming credits are posted by ``core.ledger.apply_entry``, which settles a debt first.
Granted = LedgerOutcome
grant = apply_entry

__all__ = [
    "Granted",
    "TakenBack",
    "apply_held_reversals",
    "debt_of",
    "grant",
    "hold_reversal",
    "insert_once",
    "lock_payment_intent",
    "locked_account",
    "record_payment",
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


async def reverse_payment(
    conn: AsyncConnection, payment_reference: str, *, fraction: float, reason: str, reference: str
) -> TakenBack | None:
    """Take back ``fraction`` (0..1, cumulative) of a payment's credits, minus what was
    taken back before. None when no such payment is recorded."""
    row = (
        await conn.execute(
            select(payments).where(payments.c.reference == payment_reference).with_for_update()
        )
    ).one_or_none()
    if row is None:
        return None
    target = min(int(row.credits), round(int(row.credits) * max(0.0, min(1.0, fraction))))
    delta = target - int(row.reversed_credits)
    if delta <= 0:
        return TakenBack(0, 0)
    await conn.execute(
        update(payments)
        .where(payments.c.reference == payment_reference)
        .values(reversed_credits=target, reversed_at=utcnow())
    )
    return await take_back(
        conn, account_id=row.account_id, amount_credits=delta, reason=reason, reference=reference
    )


async def hold_reversal(
    conn: AsyncConnection, payment_intent: str, fraction: float, reference: str
) -> None:
    """Keep a reversal whose payment is not recorded yet (events arrive in any order)."""
    await insert_once(
        conn,
        pending_reversals,
        ["reference"],
        reference=reference,
        payment_intent=payment_intent,
        fraction_ppm=round(max(0.0, min(1.0, fraction)) * 1_000_000),
        created_at=utcnow(),
    )


async def apply_held_reversals(
    conn: AsyncConnection, payment_intent: str | None
) -> list[tuple[str, TakenBack]]:
    """Apply the reversals held for ``payment_intent`` now that its payment is recorded."""
    if not payment_intent:
        return []
    held = (
        await conn.execute(
            select(pending_reversals)
            .where(pending_reversals.c.payment_intent == payment_intent)
            .order_by(pending_reversals.c.fraction_ppm)
            .with_for_update()
        )
    ).all()
    payment_ref = await conn.scalar(
        select(payments.c.reference).where(payments.c.payment_intent == payment_intent)
    )
    done = []
    for row in held if payment_ref is not None else []:
        result = await reverse_payment(
            conn,
            payment_ref,
            fraction=row.fraction_ppm / 1_000_000,
            reason=Reason.PAYMENT_REVERSAL,
            reference=row.reference,
        )
        await conn.execute(
            pending_reversals.delete().where(pending_reversals.c.reference == row.reference)
        )
        if result is not None:
            done.append((row.reference, result))
    return done
