"""Money in and money taken back: grants that settle debts first, reversals that take
back unspent credits and record the spent ones as a debt.

Balances never go below zero (``core.credits.apply_entry``). When a refunded or
disputed payment's credits were already spent, the difference goes to the
``credit_debts`` ledger (cached in ``accounts.debt_credits``), which blocks new spending
until a later grant settles it. Every step is a row with a ``(reason, reference)`` that
is unique, so a replayed event changes nothing. All functions run in the caller's
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import credits
from core.db import insert_for
from core.models import accounts, credit_debts, payments, pending_reversals, utcnow


class BillingReason:
    """Ledger reasons for billing (``core.credits.Reason`` has the others)."""

    PURCHASE = "purchase"  # reference: Checkout Session id
    SUBSCRIPTION = "subscription"  # reference: invoice id
    STARS = "stars_purchase"  # reference: Telegram charge id
    PROMO = "promo"  # reference: CODE:account id
    REVERSAL = "payment_reversal"  # reference: charge id + refunded amount, or dispute id
    STARS_REFUND = "stars_refund"  # reference: Telegram charge id
    DEBT = "debt"  # credit_debts: a reversal found the credits spent
    DEBT_SETTLED = "debt_settled"  # reference: "<grant reason>:<grant reference>"


@dataclass(frozen=True, slots=True)
class Granted:
    applied: bool  # False when this (reason, reference) was already granted
    settled_credits: int  # of the grant, used to settle a debt
    balance_credits: int


@dataclass(frozen=True, slots=True)
class TakenBack:
    taken_credits: int  # from the balance
    debt_credits: int  # owed, because they were spent


async def insert_once(conn: AsyncConnection, table, key: list[str], **values) -> bool:
    """Insert a row unless one with the same ``key`` columns exists; True if inserted."""
    first = table.c[key[0]]
    inserted = await conn.execute(
        insert_for(conn, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=key)
        .returning(first)
    )
    return inserted.first() is not None


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


async def grant(
    conn: AsyncConnection,
    *,
    account_id: int,
    amount_credits: int,
    reason: str,
    reference: str,
    note: str | None = None,
) -> Granted:
    """Add ``amount_credits`` once for ``(reason, reference)``; an outstanding debt is
    settled from it first (a ``debt_settled`` ledger row with the same reference)."""
    outcome = await credits.apply_entry(
        conn,
        account_id=account_id,
        amount_credits=amount_credits,
        reason=reason,
        reference=reference,
        note=note,
    )
    if not outcome.applied:
        return Granted(False, 0, outcome.balance_credits)
    row = await locked_account(conn, account_id)
    settle = min(int(row.debt_credits), amount_credits)
    balance = outcome.balance_credits
    if settle > 0:
        key = f"{reason}:{reference}"
        settled = await credits.apply_entry(
            conn,
            account_id=account_id,
            amount_credits=-settle,
            reason=BillingReason.DEBT_SETTLED,
            reference=key,
        )
        await _add_debt(conn, account_id, -settle, BillingReason.DEBT_SETTLED, key)
        balance = settled.balance_credits
    return Granted(True, settle, balance)


async def take_back(
    conn: AsyncConnection, *, account_id: int, amount_credits: int, reason: str, reference: str
) -> TakenBack:
    """Take ``amount_credits`` back: what is left of the balance, the rest as a debt.

    The caller makes the call once per ``(reason, reference)`` (a replay would find the
    ledger row and record nothing, but the debt row is keyed the same way too)."""
    row = await locked_account(conn, account_id)
    taken = min(int(row.balance_credits), amount_credits)
    if taken > 0:
        outcome = await credits.apply_entry(
            conn, account_id=account_id, amount_credits=-taken, reason=reason, reference=reference
        )
        if not outcome.applied:
            return TakenBack(0, 0)
    owed = amount_credits - taken
    if owed > 0 and not await _add_debt(conn, account_id, owed, BillingReason.DEBT, reference):
        owed = 0
    return TakenBack(taken, owed)


async def _add_debt(
    conn: AsyncConnection, account_id: int, amount_credits: int, reason: str, reference: str
) -> bool:
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
            reason=BillingReason.REVERSAL,
            reference=row.reference,
        )
        await conn.execute(
            pending_reversals.delete().where(pending_reversals.c.reference == row.reference)
        )
        if result is not None:
            done.append((row.reference, result))
    return done


async def debt_of(conn: AsyncConnection, account_id: int) -> int:
    return int(
        await conn.scalar(select(accounts.c.debt_credits).where(accounts.c.id == account_id)) or 0
    )
