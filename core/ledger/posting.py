"""Posting: the only writer of balances.

Every balance change is one ``ledger_entries`` row with a reason (``Reason``, checked by
the database) and a reference; ``(reason, reference)`` is unique, so a replayed payment
or a retried refund is a no-op. Posting is idempotent before it is conditional: an
entry already in the ledger answers "already applied" even when its debit would no
longer fit the balance. The cached ``accounts.balance_credits`` changes in the same
transaction through a guarded UPDATE (``... WHERE balance + amount >= 0``) and a CHECK
constraint, so the database itself refuses a negative balance; there is no
read-then-write in Python. Credits coming in for a reason that settles debts
(``SETTLES_DEBT``) pay an outstanding debt first.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.engine import insert_for
from core.db.tables import accounts, ledger_entries
from core.errors import InsufficientCredits, ItemKind, NotFound
from core.ledger.debts import add_debt, has_debt_row, locked_account
from core.ledger.reasons import SETTLES_DEBT, DebtReason, Reason
from core.types import CreditsView, LedgerEntryView


@dataclass(frozen=True, slots=True)
class LedgerOutcome:
    applied: bool  # False when (reason, reference) was already in the ledger
    balance_credits: int
    settled_credits: int = 0  # of an incoming credit, used to pay a debt first


@dataclass(frozen=True, slots=True)
class TakenBack:
    taken_credits: int  # from the balance
    debt_credits: int  # owed, because they were spent
    applied: bool = True  # False when this take-back was made before
    restored_credits: int = 0  # given back (a dispute won): owed ones first, then balance


async def apply_entry(
    conn: AsyncConnection,
    *,
    account_id: int,
    amount_credits: int,
    reason: Reason | str,
    reference: str,
    note: str | None = None,
) -> LedgerOutcome:
    """Change a balance by ``amount_credits`` exactly once for ``(reason, reference)``;
    an incoming credit whose reason settles debts pays the account's debt first (a
    ``debt_settled`` entry referenced ``<reason>:<reference>``).

    Runs inside the caller's transaction; the caller commits.

    Raises:
        InsufficientCredits: a new debit larger than the balance (nothing changes).
        NotFound: no such account.
        ValueError: a zero amount.
    """
    if amount_credits == 0:
        raise ValueError("a ledger entry must move credits")
    changed = (
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .where(accounts.c.balance_credits + amount_credits >= 0)
            .values(balance_credits=accounts.c.balance_credits + amount_credits)
            .returning(accounts.c.balance_credits, accounts.c.debt_credits)
        )
    ).one_or_none()
    if changed is None:
        balance = await balance_of(conn, account_id)
        if await _posted(conn, reason, reference):
            return LedgerOutcome(applied=False, balance_credits=balance)
        raise InsufficientCredits(balance_credits=balance, cost_credits=-amount_credits)
    new_balance, debt = int(changed.balance_credits), int(changed.debt_credits)
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
    settle = min(debt, amount_credits) if reason in SETTLES_DEBT else 0
    if settle <= 0:
        return LedgerOutcome(applied=True, balance_credits=new_balance)
    key = f"{reason}:{reference}"
    settled = await apply_entry(
        conn,
        account_id=account_id,
        amount_credits=-settle,
        reason=Reason.DEBT_SETTLED,
        reference=key,
    )
    await add_debt(conn, account_id, -settle, DebtReason.SETTLED, key)
    return LedgerOutcome(True, settled.balance_credits, settle)


async def take_back(
    conn: AsyncConnection,
    *,
    account_id: int,
    amount_credits: int,
    reason: Reason | str,
    reference: str,
) -> TakenBack:
    """Take ``amount_credits`` back once per ``(reason, reference)``: what is left of the
    balance, the rest as a debt (a ``debt`` row with the same reference). A repeated
    call finds its ledger entry or its debt row and changes nothing."""
    row = await locked_account(conn, account_id)
    if await _posted(conn, reason, reference) or await has_debt_row(
        conn, DebtReason.DEBT, reference
    ):
        return TakenBack(0, 0, applied=False)
    taken = min(int(row.balance_credits), amount_credits)
    if taken > 0:
        await apply_entry(
            conn, account_id=account_id, amount_credits=-taken, reason=reason, reference=reference
        )
    owed = amount_credits - taken
    if owed > 0:
        await add_debt(conn, account_id, owed, DebtReason.DEBT, reference)
    return TakenBack(taken, owed)


async def _posted(conn: AsyncConnection, reason: str, reference: str) -> bool:
    found = await conn.scalar(
        select(ledger_entries.c.id).where(
            ledger_entries.c.reason == reason, ledger_entries.c.reference == reference
        )
    )
    return found is not None


async def balance_of(conn: AsyncConnection, account_id: int) -> int:
    """Raises: NotFound."""
    balance = (
        await conn.execute(select(accounts.c.balance_credits).where(accounts.c.id == account_id))
    ).scalar_one_or_none()
    if balance is None:
        raise NotFound(what=ItemKind.ACCOUNT)
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
