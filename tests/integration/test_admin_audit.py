"""Operators' actions are audited (issue 18): every ban, unban, grant and take-back
writes one admin_audit row with the operator, in the transaction of the action; a
grant's row names its ledger entry, a replayed grant writes nothing. The CLI's rows are
in tests/e2e/test_cli.py, Discord's in tests/e2e/test_discord_commands.py. Runs on
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db.tables import admin_audit, ledger_entries
from core.errors import DebitExceedsBalance, NotFound
from core.types import Actor
from tests.conftest import unique_user


async def _user(app) -> Actor:
    actor = Actor("telegram", unique_user(), locale="en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor


async def test_bans_unbans_and_grants_are_audited_with_the_operator(app):
    actor = await _user(app)
    await app.core.admin_ban(actor, "spam", operator="discord:77")
    await app.core.admin_ban(actor, None, operator="cli")
    granted = await app.core.admin_grant(
        actor, 15, reason="support ticket", reference="t-1", operator="telegram:5"
    )
    again = await app.core.admin_grant(
        actor, 15, reason="support ticket", reference="t-1", operator="telegram:5"
    )
    await app.core.admin_grant(actor, -4, reason="double grant", operator="cli")
    assert granted.applied and not again.applied

    found = await app.core.dashboard_account(actor.platform, actor.platform_user_id)
    assert found is not None
    rows = [(a.operator, a.action, a.note, a.amount_credits) for a in reversed(found.audit)]
    assert rows == [
        ("discord:77", "ban", "spam", None),
        ("cli", "unban", None, None),
        ("telegram:5", "grant", "support ticket", 15),
        ("cli", "debit", "double grant", -4),
    ]
    grant, debit = found.audit[1], found.audit[0]
    assert (grant.ledger_reason, grant.ledger_reference) == ("admin_grant", "t-1")
    async with app.uow() as uow:  # each names the ledger entry that moved the credits
        for row in (grant, debit):
            amount = await uow.conn.scalar(
                select(ledger_entries.c.amount_credits).where(
                    ledger_entries.c.reason == row.ledger_reason,
                    ledger_entries.c.reference == row.ledger_reference,
                )
            )
            assert amount == row.amount_credits


async def test_refused_actions_leave_no_audit_row(app):
    actor = await _user(app)
    balance = (await app.core.account(actor)).balance_credits
    with pytest.raises(DebitExceedsBalance):
        await app.core.admin_grant(actor, -(balance + 1), reason="too much", operator="cli")
    with pytest.raises(NotFound):
        await app.core.admin_ban(
            Actor("telegram", unique_user()), "spam", operator="cli", create_account=False
        )
    for bad in ("", "someone", "discord:", ":5", "x:" + "9" * 80):
        with pytest.raises(ValueError):
            await app.core.admin_ban(actor, "spam", operator=bad)
    found = await app.core.dashboard_account(actor.platform, actor.platform_user_id)
    assert found is not None and found.audit == () and not found.banned


async def test_erasure_keeps_the_audit_on_the_pseudonym_without_the_reasons(app):
    actor = await _user(app)
    account_id = (await app.core.account(actor)).account_id
    await app.core.admin_grant(actor, 3, reason="sorry about Tuesday", operator="cli")
    await app.core.admin_ban(actor, "harassed someone", operator="discord:77")
    await app.core.admin_ban(actor, None, operator="discord:77")
    assert app.privacy is not None
    challenge = await app.privacy.forget(actor)
    receipt = await app.privacy.forget(actor, challenge.code)
    assert receipt.counts["admin_audit_pseudonymised"] == 3

    async with app.uow() as uow:
        rows = (await uow.conn.execute(select(admin_audit).order_by(admin_audit.c.id))).all()
    assert [(r.operator, r.action, r.note) for r in rows] == [
        ("cli", "grant", None),
        ("discord:77", "ban", None),
        ("discord:77", "unban", None),
    ]
    assert {r.account_id for r in rows} != {account_id} and len({r.account_id for r in rows}) == 1
