"""Refunds and disputes of card payments, inside the transaction that marks their event
processed.

Each refund (by charge, with the charge's cumulative refunded amount) and each dispute
(with its amount and status) is kept in ``payment_reversals`` by its payment intent,
whether or not the payment it reverses is recorded yet. What a payment has lost is
then computed from those rows: refunded amounts plus the disputes not won, as a share
of the amount paid (``billing_ledger.reversal_target_credits``, in integers). So events
may arrive in any order and any number of times: a dispute won before its creation
arrives takes nothing, one won after gives back what it took, once, and the credits
taken back for a full refund are exactly the credits granted.

A subscription charge names its payment intent; its invoice does not (API version
2025-03-31.basil on). The link is made when the invoice is paid (the port asks which
payment paid it) or by an ``invoice_payment.paid`` event, whichever comes first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.billing.grants import (
    TakenBack,
    insert_once,
    lock_payment_intent,
    reverse_payment,
)
from core.billing.payments import PaymentEvent
from core.billing.types import Notice, Outcome
from core.catalog import Catalog
from core.clock import utcnow
from core.db.tables import payment_reversals, payments
from core.ledger import Reason

# A dispute in one of these states took no money from us (an inquiry closed, a dispute
# prevented or won): it takes no credits. Any other state counts, as the funds are gone.
NOT_LOST = frozenset({"won", "warning_closed", "prevented"})
CLOSED = NOT_LOST | {"lost"}


async def record_refund(
    conn: AsyncConnection, payment_intent: str, charge_id: str, refunded_minor: int
) -> None:
    """Keep the charge's cumulative refunded amount (the largest seen: events can come
    late)."""
    now = utcnow()
    if not await insert_once(
        conn,
        payment_reversals,
        ["reference"],
        reference=charge_id,
        payment_intent=payment_intent,
        kind="refund",
        amount_minor=refunded_minor,
        status="refunded",
        created_at=now,
        updated_at=now,
    ):
        await conn.execute(
            update(payment_reversals)
            .where(payment_reversals.c.reference == charge_id)
            .where(payment_reversals.c.amount_minor < refunded_minor)
            .values(amount_minor=refunded_minor, updated_at=now)
        )


async def record_dispute(
    conn: AsyncConnection, payment_intent: str, dispute_id: str, amount_minor: int, status: str
) -> None:
    """Keep a dispute and its status; a closed dispute's status is final."""
    now = utcnow()
    if not await insert_once(
        conn,
        payment_reversals,
        ["reference"],
        reference=dispute_id,
        payment_intent=payment_intent,
        kind="dispute",
        amount_minor=amount_minor,
        status=status[:32],
        created_at=now,
        updated_at=now,
    ):
        await conn.execute(
            update(payment_reversals)
            .where(payment_reversals.c.reference == dispute_id)
            .where(payment_reversals.c.status.not_in(CLOSED))
            .values(amount_minor=amount_minor, status=status[:32], updated_at=now)
        )


async def reversed_minor(conn: AsyncConnection, payment_intent: str) -> int:
    """What of the payment went back: refunds plus the disputes not won."""
    counted = (payment_reversals.c.kind == "refund") | payment_reversals.c.status.not_in(NOT_LOST)
    total = await conn.scalar(
        select(func.coalesce(func.sum(payment_reversals.c.amount_minor), 0))
        .where(payment_reversals.c.payment_intent == payment_intent)
        .where(counted)
    )
    return int(total or 0)


async def settle(
    conn: AsyncConnection, payment_intent: str | None, reference: str
) -> tuple[int, TakenBack] | None:
    """Bring the payment of ``payment_intent`` in line with its reversals, under the
    ledger ``reference``; (account id, what changed), or None when no payment with that
    intent is recorded (yet)."""
    if not payment_intent:
        return None
    await lock_payment_intent(conn, payment_intent)
    found = (
        await conn.execute(
            select(payments.c.reference, payments.c.account_id)
            .where(payments.c.payment_intent == payment_intent)
            .where(payments.c.provider == "stripe")
        )
    ).one_or_none()
    if found is None:
        return None
    result = await reverse_payment(
        conn,
        found.reference,
        reversed_minor=await reversed_minor(conn, payment_intent),
        reason=Reason.PAYMENT_REVERSAL,
        reference=reference,
    )
    return (int(found.account_id), result) if result is not None else None


async def link_invoice_payment(
    conn: AsyncConnection, invoice_payment: dict[str, Any]
) -> tuple[str, str] | None:
    """``invoice_payment.paid``: name the payment intent on the recorded invoice payment
    that has none yet; (payment intent, invoice id) when it did."""
    payment = invoice_payment.get("payment") or {}
    intent, invoice = _id(payment.get("payment_intent")), _id(invoice_payment.get("invoice"))
    if payment.get("type") != "payment_intent" or not intent or not invoice:
        return None
    await lock_payment_intent(conn, intent)
    linked = await conn.execute(
        update(payments)
        .where(payments.c.reference == invoice)
        .where(payments.c.provider == "stripe")
        .where(payments.c.payment_intent.is_(None))
        .values(payment_intent=intent)
    )
    return (intent, invoice) if linked.rowcount else None


# -- events ----------------------------------------------------------------------------


async def charge_refunded(conn, event: PaymentEvent, catalog: Catalog) -> Outcome:
    charge = event.data
    intent, charge_id = _id(charge.get("payment_intent")), _id(charge.get("id"))
    refunded = int(charge.get("amount_refunded") or 0)
    if not intent or not charge_id or refunded <= 0:
        return "ignored", []
    await record_refund(conn, intent, charge_id, refunded)
    reference = f"{charge_id}:refunded:{refunded}"
    return _reversed(await settle(conn, intent, reference), reference)


async def dispute_changed(conn, event: PaymentEvent, catalog: Catalog) -> Outcome:
    """``charge.dispute.created`` and ``.closed``: the disputed amount is taken back
    while the dispute is open or lost; a won one gives it back."""
    dispute = event.data
    intent, dispute_id = _id(dispute.get("payment_intent")), _id(dispute.get("id"))
    if not intent or not dispute_id:
        return "ignored:unknown_payment", []
    status = str(dispute.get("status") or "needs_response")
    await record_dispute(conn, intent, dispute_id, int(dispute.get("amount") or 0), status)
    reference = f"{dispute_id}:{status}" if event.type.endswith(".closed") else dispute_id
    return _reversed(await settle(conn, intent, reference), reference)


async def invoice_payment_paid(conn, event: PaymentEvent, catalog: Catalog) -> Outcome:
    linked = await link_invoice_payment(conn, event.data)
    if linked is None:
        return "ignored", []
    intent, invoice_id = linked
    return "linked", await apply_held(conn, intent, invoice_id)


def _reversed(settled: tuple[int, TakenBack] | None, reference: str) -> Outcome:
    if settled is None:  # arrived before the payment's own event: applied when it lands
        return "reversal_pending", []
    account_id, result = settled
    if result.restored_credits:
        notice = Notice(
            account_id, reference, "billing.payment_restored", {"credits": result.restored_credits}
        )
        return "restored", [notice]
    if result.taken_credits == 0 and result.debt_credits == 0:
        return "reversed:nothing", []
    notice = reversal_notice(account_id, reference, result.taken_credits, result.debt_credits)
    return "reversed", [notice]


async def apply_held(conn, payment_intent: str | None, payment_reference: str) -> list[Notice]:
    """The reversals that arrived before their payment was recorded (or linked)."""
    reference = f"{payment_reference}:reversals"
    settled = await settle(conn, payment_intent, reference)
    return _reversed(settled, reference)[1] if settled is not None else []


def reversal_notice(account_id: int, reference: str, taken: int, debt: int) -> Notice:
    key = "billing.payment_reversed_debt" if debt else "billing.payment_reversed"
    return Notice(account_id, reference, key, {"taken_credits": taken, "debt_credits": debt})


def _id(value: Any) -> str | None:
    """An id, whether the field is a plain id or an expanded object."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None
