"""The money core: posting is idempotent before it is conditional, a take-back counts
once on its own, and every incoming credit the rule names settles a debt first."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from core import ledger as credits
from core.billing.grants import take_back
from core.clock import utcnow
from core.db.tables import LEDGER_REASONS, ledger_entries
from core.errors import CreditDebt
from core.ledger import SETTLES_DEBT, Reason
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user

ROOT = Path(__file__).resolve().parents[2]


async def _account(app) -> tuple[Actor, int]:
    actor = Actor("console", unique_user("ledger"), "Ledger", "en")
    accepted = await app.core.accept_terms(actor, age_confirmed=True)
    return actor, accepted.account.account_id


async def _state(app, account_id: int) -> tuple[int, int, int]:
    async with app.uow() as tx:
        balance = await credits.balance_of(tx.conn, account_id)
        entries = await credits.ledger_sum(tx.conn, account_id)
        debt = await tx.conn.scalar(
            text("SELECT debt_credits FROM accounts WHERE id = :a"), {"a": account_id}
        )
    assert balance == entries
    return balance, int(debt), entries


async def test_a_replayed_debit_is_already_applied_even_when_the_balance_is_spent(app):
    actor, account_id = await _account(app)
    await app.core.admin_grant(actor, 20, reason="setup", operator="test:ops")
    debit = dict(
        account_id=account_id, amount_credits=-15, reason="admin_debit", reference="debit-1"
    )
    async with app.uow() as tx:
        first = await credits.apply_entry(tx.conn, **debit)
        await tx.commit()
    assert first.applied
    balance = (await app.core.account(actor)).balance_credits
    await app.core.admin_grant(actor, -(balance - 1), reason="spend it down", operator="test:ops")
    before = await _state(app, account_id)
    async with app.uow() as tx:
        again = await credits.apply_entry(tx.conn, **debit)
        await tx.commit()
    assert (again.applied, again.balance_credits) == (False, 1)
    assert await _state(app, account_id) == before


async def test_take_back_twice_with_the_same_reference_counts_once(app):
    actor, account_id = await _account(app)
    balance = (await app.core.account(actor)).balance_credits
    await app.core.admin_grant(
        actor, -balance, reason="spent", operator="test:ops"
    )  # nothing left: all a debt
    args = dict(account_id=account_id, amount_credits=10, reason="stars_refund")
    async with app.uow() as tx:
        first = await take_back(tx.conn, reference="charge-1", **args)
        await tx.commit()
    assert (first.taken_credits, first.debt_credits) == (0, 10)
    await app.core.admin_grant(
        actor, 30, reason="help", operator="test:ops"
    )  # settles the debt, 20 left
    before = await _state(app, account_id)
    async with app.uow() as tx:
        second = await take_back(tx.conn, reference="charge-1", **args)
        await tx.commit()
    assert (second.taken_credits, second.debt_credits) == (0, 0)
    assert await _state(app, account_id) == before


async def test_an_operator_grant_settles_a_debt_and_unblocks_imagine(app):
    actor, account_id = await _account(app)
    balance = (await app.core.account(actor)).balance_credits
    await app.core.admin_grant(actor, -balance, reason="spent", operator="test:ops")
    async with app.uow() as tx:
        await take_back(
            tx.conn,
            account_id=account_id,
            amount_credits=5,
            reason="stars_refund",
            reference="charge-2",
        )
        await tx.commit()
    request = ImagineRequest("a lighthouse", model_id="preview")
    with pytest.raises(CreditDebt):
        await app.core.imagine(actor, request, ReplyTarget("console", {}))
    await app.core.admin_grant(actor, 8, reason="goodwill", operator="test:ops")
    assert await _state(app, account_id) == (3, 0, 3)
    await app.core.admin_grant(actor, 50, reason="more", operator="test:ops")
    await app.core.imagine(actor, request, ReplyTarget("console", {}))


async def test_the_database_refuses_a_reason_it_does_not_know(app):
    _, account_id = await _account(app)
    row = dict(
        account_id=account_id,
        amount_credits=5,
        balance_after_credits=5,
        reference="x-1",
        created_at=utcnow(),
    )
    async with app.uow() as tx:
        await tx.conn.execute(ledger_entries.insert().values(reason=Reason.ADMIN_GRANT, **row))
        await tx.commit()  # a known reason goes in (the balance is not the point here)
    with pytest.raises(IntegrityError):
        async with app.uow() as tx:
            await tx.conn.execute(ledger_entries.insert().values(reason="gift", **row))
    with pytest.raises(IntegrityError):
        async with app.uow() as tx:
            await credits.apply_entry(
                tx.conn, account_id=account_id, amount_credits=5, reason="gift", reference="x-2"
            )
    async with app.uow() as tx:
        reasons = await tx.conn.scalars(
            select(ledger_entries.c.reason).where(ledger_entries.c.account_id == account_id)
        )
        assert "gift" not in set(reasons)


async def test_the_reason_enum_the_model_the_migration_and_the_database_agree(engine):
    path = ROOT / "migrations/versions/0011_ledger_reasons_stars_refunds.py"
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    enum = {r.value for r in Reason}
    assert enum == set(LEDGER_REASONS) == set(migration.REASONS)
    async with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            found = await conn.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = 'ledger_entries'")
            )
        else:
            found = await conn.scalar(
                text(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conname = 'ck_ledger_entries_reason_known' "
                    "AND connamespace = current_schema()::regnamespace"
                )
            )
    assert set(re.findall(r"'([a-z_]+)'", found)) == enum
    assert SETTLES_DEBT < set(Reason)
    assert not Reason.ERASURE_CLOSE.settles_debt and Reason.ADMIN_GRANT.settles_debt


async def test_a_job_paid_before_the_debt_arose_settles_it_when_refunded(app):
    actor, account_id = await _account(app)
    balance = (await app.core.account(actor)).balance_credits
    await app.core.imagine(
        actor, ImagineRequest("a kite", model_id="preview"), ReplyTarget("console", {})
    )
    left = (await app.core.account(actor)).balance_credits
    cost = balance - left
    async with app.uow() as tx:  # a reversal of everything granted: the job's cost owed
        await take_back(
            tx.conn,
            account_id=account_id,
            amount_credits=balance,
            reason="stars_refund",
            reference="charge-3",
        )
        await tx.commit()
    assert await _state(app, account_id) == (0, cost, 0)
    await app.core.cancel(actor)  # the refund pays the debt instead of the balance
    assert await _state(app, account_id) == (0, 0, 0)
