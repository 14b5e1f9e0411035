"""The outbox of Telegram Stars refunds: Telegram is never called inside a transaction,
and a charge is never refunded twice.

1. :func:`begin` records the refund as ``pending`` and takes the payment's credits back
   (the spent part becomes a debt) in one transaction, which the caller commits.
2. The caller asks Telegram (``StarsRefunds.refund_star_payment``), holding no lock.
3. :func:`finish` records the answer: success, or ``CHARGE_ALREADY_REFUNDED`` (an
   earlier attempt went through, or the user was refunded another way) make it
   ``done``; any other refusal makes it ``failed`` and gives the credits back (the user
   keeps the Stars, so the credits stay theirs: nothing is lost silently, and the
   operator sees it in ``seedream admin stars-refunds``); a transient error (network,
   timeout) leaves it ``pending`` with the error, for the next attempt.

A crash between the steps leaves a ``pending`` row; running the refund again, or
:meth:`~core.billing.Billing.resume_stars_refunds`, asks Telegram again, which answers
the repeat of a refund that went through with ``CHARGE_ALREADY_REFUNDED``.

The credits are taken back under the ledger reason ``stars_refund`` with the charge id
as the reference (and a ``debt`` row with the same reference), so a Telegram
``refunded_payment`` update for the same charge, taken back the same way, counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.billing import stars
from core.clock import utcnow
from core.db.engine import insert_once
from core.db.tables import STARS_REFUND_STATUSES, payments, stars_refunds
from core.ledger import DebtReason, Reason, add_debt, apply_entry, locked_account

PENDING, DONE, FAILED = STARS_REFUND_STATUSES
ALREADY_REFUNDED = "CHARGE_ALREADY_REFUNDED"
ACCOUNT_ERASED = "ACCOUNT_ERASED"  # the Telegram user id went with an erasure
CODE_MAX_CHARS = 64


@dataclass(frozen=True, slots=True)
class StarsRefundView:
    charge_id: str
    account_id: int
    platform_user_id: str | None
    status: str  # pending | done | failed
    stars: int
    taken_credits: int  # from the balance
    debt_credits: int  # owed, because they were spent
    error_code: str | None
    attempts: int
    created_at: datetime
    updated_at: datetime


def refusal_code(message: str) -> str:
    """Telegram's error text as a code: ``Charge_already_refunded`` ->
    ``CHARGE_ALREADY_REFUNDED``."""
    return message.strip().upper().replace(" ", "_")[:CODE_MAX_CHARS] or "REFUSED"


async def begin(conn: AsyncConnection, charge_id: str) -> StarsRefundView:
    """The refund of ``charge_id``: the recorded one if any, else a new ``pending`` one
    with the credits taken back.

    Raises: PaymentRefused (not_found, already_refunded: no outbox row and the payment
    was taken back by other means)."""
    found = await get(conn, charge_id)
    if found is not None:
        return found
    account_id, user_id = await stars.refund_target(conn, charge_id)
    stars_paid = await conn.scalar(
        select(payments.c.amount_minor).where(payments.c.reference == charge_id)
    )
    result = await stars.take_back(conn, charge_id)
    now = utcnow()
    await insert_once(
        conn,
        stars_refunds,
        ["charge_id"],
        charge_id=charge_id,
        account_id=account_id,
        platform_user_id=user_id,
        stars=int(stars_paid or 0),
        taken_credits=result.taken_credits,
        debt_credits=result.debt_credits,
        status=PENDING,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    found = await get(conn, charge_id)
    assert found is not None
    return found


async def finish(
    conn: AsyncConnection, charge_id: str, error_code: str | None, *, final: bool
) -> tuple[StarsRefundView, bool]:
    """Record Telegram's answer to a pending refund: ``error_code`` None (refunded),
    a final refusal, or (``final`` False) a transient error. Returns the refund and
    whether this call moved it out of ``pending`` (once per refund)."""
    if error_code is None or error_code == ALREADY_REFUNDED:
        status = DONE
    else:
        status = FAILED if final else PENDING
    moved = await conn.execute(
        update(stars_refunds)
        .where(stars_refunds.c.charge_id == charge_id, stars_refunds.c.status == PENDING)
        .values(
            status=status,
            error_code=error_code,
            attempts=stars_refunds.c.attempts + 1,
            updated_at=utcnow(),
        )
    )
    changed = moved.rowcount == 1 and status != PENDING
    after = await get(conn, charge_id)
    assert after is not None
    if changed and status == FAILED and error_code != ACCOUNT_ERASED:
        await _give_back(conn, after)
    return after, changed


async def _give_back(conn: AsyncConnection, refund: StarsRefundView) -> None:
    """Undo the take-back of a refund Telegram refused: the debt it recorded goes (as
    far as it is still owed), and the credits taken, plus the part of the debt a later
    grant has paid, come back to the balance. The payment can be reversed again."""
    row = await locked_account(conn, refund.account_id)
    undo_debt = min(refund.debt_credits, int(row.debt_credits))
    if undo_debt > 0:
        await add_debt(conn, refund.account_id, -undo_debt, DebtReason.UNDONE, refund.charge_id)
    back = refund.taken_credits + refund.debt_credits - undo_debt
    if back > 0:
        await apply_entry(
            conn,
            account_id=refund.account_id,
            amount_credits=back,
            reason=Reason.STARS_REFUND_UNDONE,
            reference=refund.charge_id,
        )
    total = refund.taken_credits + refund.debt_credits
    await conn.execute(
        update(payments)
        .where(payments.c.reference == refund.charge_id)
        .values(reversed_credits=payments.c.reversed_credits - total)
    )


async def get(conn: AsyncConnection, charge_id: str) -> StarsRefundView | None:
    row = (
        await conn.execute(select(stars_refunds).where(stars_refunds.c.charge_id == charge_id))
    ).one_or_none()
    return None if row is None else _view(row)


async def listed(
    conn: AsyncConnection, statuses: tuple[str, ...], *, limit: int = 100
) -> list[StarsRefundView]:
    """Refunds in ``statuses``, oldest first."""
    rows = await conn.execute(
        select(stars_refunds)
        .where(stars_refunds.c.status.in_(statuses))
        .order_by(stars_refunds.c.created_at, stars_refunds.c.charge_id)
        .limit(limit)
    )
    return [_view(r) for r in rows]


def _view(row) -> StarsRefundView:
    return StarsRefundView(
        charge_id=row.charge_id,
        account_id=int(row.account_id),
        platform_user_id=row.platform_user_id,
        status=row.status,
        stars=int(row.stars),
        taken_credits=int(row.taken_credits),
        debt_credits=int(row.debt_credits),
        error_code=row.error_code,
        attempts=int(row.attempts),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
