"""The ledger on SQLite and PostgreSQL: exactly-once entries, no negative balance even
for a direct UPDATE, and conservation."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from core import ledger as credits
from core.accounts import store as acc
from core.db.tables import accounts
from core.errors import InsufficientCredits
from core.types import Actor
from tests.conftest import unique_user


async def _account(app) -> int:
    async with app.uow() as uow:
        row = await acc.get_or_create_account(uow.conn, Actor("test", unique_user()))
        await uow.commit()
    return row.id


async def _apply(app, account_id: int, amount: int, reason: str, reference: str):
    async with app.uow() as uow:
        outcome = await credits.apply_entry(
            uow.conn,
            account_id=account_id,
            amount_credits=amount,
            reason=reason,
            reference=reference,
        )
        await uow.commit()
    return outcome


async def _balance_and_sum(app, account_id: int) -> tuple[int, int]:
    async with app.uow() as uow:
        return (
            await credits.balance_of(uow.conn, account_id),
            await credits.ledger_sum(uow.conn, account_id),
        )


async def test_same_reason_and_reference_counts_once(app):
    account_id = await _account(app)
    first = await _apply(app, account_id, 50, "admin_grant", "ref-1")
    replay = await _apply(app, account_id, 50, "admin_grant", "ref-1")
    other = await _apply(app, account_id, 5, "admin_grant", "ref-2")
    assert (first.applied, replay.applied, other.applied) == (True, False, True)
    assert replay.balance_credits == 50
    assert await _balance_and_sum(app, account_id) == (55, 55)


async def test_debit_beyond_balance_is_refused_and_changes_nothing(app):
    account_id = await _account(app)
    await _apply(app, account_id, 3, "admin_grant", unique_user("g"))
    with pytest.raises(InsufficientCredits) as err:
        await _apply(app, account_id, -4, "spend", unique_user("j"))
    assert (err.value.balance_credits, err.value.cost_credits) == (3, 4)
    assert await _balance_and_sum(app, account_id) == (3, 3)


async def test_database_itself_refuses_negative_balance(app):
    account_id = await _account(app)
    async with app.uow() as uow:
        with pytest.raises(IntegrityError):
            await uow.conn.execute(
                update(accounts).where(accounts.c.id == account_id).values(balance_credits=-1)
            )


async def test_balance_after_is_recorded(app):
    account_id = await _account(app)
    await _apply(app, account_id, 10, "admin_grant", unique_user("g"))
    await _apply(app, account_id, -4, "spend", unique_user("j"))
    async with app.uow() as uow:
        view = await credits.credits_view(uow.conn, account_id)
    assert [(e.amount_credits, e.balance_after_credits) for e in view.recent] == [(-4, 6), (10, 10)]


async def test_zero_amount_is_a_programming_error(app):
    account_id = await _account(app)
    with pytest.raises(ValueError):
        await _apply(app, account_id, 0, "admin_grant", unique_user("g"))
