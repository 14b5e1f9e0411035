"""The Stars refund outbox: the credits are taken back and committed before Telegram
is asked, Telegram's answer is recorded after, and a crash anywhere in between resumes
without refunding twice. Both backends."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from core.billing import stars_refunds
from core.billing.payments import StarsRefundRefused
from core.db.tables import ledger_entries, payments
from core.errors import PaymentRefused
from core.ledger import conservation_gap, ledger_sum
from core.types import Actor
from tests.conftest import unique_user


class FakeTelegramStars:
    """refundStarPayment as Telegram answers it: a charge is refunded once, a repeat is
    refused with CHARGE_ALREADY_REFUNDED (PTB hands the text over capitalised)."""

    def __init__(self) -> None:
        self.refunded: set[str] = set()
        self.calls: list[str] = []
        self.refuse: str | None = None  # answer every call with this error
        self.unreachable = False
        self.die_after_refund = False  # the process dies once Telegram has refunded

    async def refund_star_payment(self, platform_user_id: str, charge_id: str) -> None:
        self.calls.append(charge_id)
        if self.unreachable:
            raise ConnectionError("telegram unreachable")
        if self.refuse is not None:
            raise StarsRefundRefused(self.refuse)
        if charge_id in self.refunded:
            raise StarsRefundRefused("Charge_already_refunded")
        self.refunded.add(charge_id)
        if self.die_after_refund:
            raise asyncio.CancelledError


async def _paid(app, charge_id: str, *, left_credits: int) -> tuple[Actor, int]:
    """A Telegram user who paid 250 Stars for 100 credits and has ``left_credits``."""
    billing = app.core.billing
    actor = Actor("telegram", unique_user("tg"), "Star buyer", "en")
    accepted = await app.core.accept_terms(actor, age_confirmed=True)
    invoice = await billing.stars_invoice(actor, "small")
    paid = await billing.stars_paid(actor, invoice.payload, "XTR", 250, charge_id)
    if left_credits != paid.balance_credits:
        await app.core.admin_grant(
            actor, left_credits - paid.balance_credits, reason="spent", operator="test:ops"
        )
    return actor, accepted.account.account_id


async def _money(app, actor: Actor, account_id: int) -> tuple[int, int]:
    overview = await app.core.billing.overview(actor)
    async with app.uow() as tx:
        assert await ledger_sum(tx.conn, account_id) == overview.balance_credits
        assert await conservation_gap(tx.conn) == 0
    return overview.balance_credits, overview.debt_credits


async def _refund_entries(app, charge_id: str) -> list[tuple[str, int]]:
    async with app.uow() as tx:
        found = await tx.conn.execute(
            select(ledger_entries.c.reason, ledger_entries.c.amount_credits)
            .where(ledger_entries.c.reference == charge_id)
            .order_by(ledger_entries.c.id)
        )
        return [tuple(r) for r in found]


async def test_a_crash_after_telegram_refunded_resumes_without_a_second_refund(app):
    billing, telegram = app.core.billing, FakeTelegramStars()
    billing.stars_refunds = telegram
    actor, account_id = await _paid(app, "ch-crash", left_credits=30)
    telegram.die_after_refund = True
    with pytest.raises(asyncio.CancelledError):
        await billing.admin_refund_stars("ch-crash")
    assert await _money(app, actor, account_id) == (0, 70)  # taken back, committed
    assert (await billing.stars_refunds_open())[0].status == "pending"

    telegram.die_after_refund = False
    again = await billing.admin_refund_stars("ch-crash")  # the operator runs it again
    assert (again.status, again.error_code) == ("done", "CHARGE_ALREADY_REFUNDED")
    assert (again.taken_credits, again.debt_credits) == (30, 70)
    assert telegram.refunded == {"ch-crash"} and telegram.calls == ["ch-crash", "ch-crash"]
    assert await _money(app, actor, account_id) == (0, 70)
    assert await _refund_entries(app, "ch-crash") == [
        ("stars_purchase", 100),
        ("stars_refund", -30),
    ]
    with pytest.raises(PaymentRefused) as err:
        await billing.admin_refund_stars("ch-crash")
    assert err.value.reason == "already_refunded" and len(telegram.calls) == 2
    assert await billing.stars_refunds_open() == []


async def test_a_crash_before_telegram_was_asked_is_finished_by_the_resume_pass(app):
    billing, telegram = app.core.billing, FakeTelegramStars()
    actor, account_id = await _paid(app, "ch-early", left_credits=120)
    async with app.uow() as tx:  # the first step committed, then the process died
        await stars_refunds.begin(tx.conn, "ch-early")
        await tx.commit()
    assert await _money(app, actor, account_id) == (20, 0)
    assert await billing.resume_stars_refunds() == []  # no Telegram port here: waits
    billing.stars_refunds = telegram
    telegram.unreachable = True
    [still] = await billing.resume_stars_refunds()
    assert (still.status, still.error_code, still.attempts) == ("pending", "CONNECTIONERROR", 1)
    telegram.unreachable = False
    [done] = await billing.resume_stars_refunds()
    assert (done.status, done.attempts, telegram.refunded) == ("done", 2, {"ch-early"})
    assert await billing.resume_stars_refunds() == []
    assert await _money(app, actor, account_id) == (20, 0)


async def test_a_refund_telegram_refuses_gives_the_credits_back_and_is_reported(app):
    billing, telegram = app.core.billing, FakeTelegramStars()
    billing.stars_refunds = telegram
    actor, account_id = await _paid(app, "ch-no", left_credits=40)
    telegram.refuse = "Charge_not_found"
    failed = await billing.admin_refund_stars("ch-no")
    assert (failed.status, failed.error_code) == ("failed", "CHARGE_NOT_FOUND")
    assert (failed.taken_credits, failed.debt_credits) == (40, 60)
    assert await _money(app, actor, account_id) == (40, 0)  # as before the refund
    assert await _refund_entries(app, "ch-no") == [
        ("stars_purchase", 100),
        ("stars_refund", -40),
        ("stars_refund_undone", 40),
    ]
    async with app.uow() as tx:
        reversed_credits = await tx.conn.scalar(
            select(payments.c.reversed_credits).where(payments.c.reference == "ch-no")
        )
    assert reversed_credits == 0
    again = await billing.admin_refund_stars("ch-no")  # reported, not retried
    assert again.status == "failed" and len(telegram.calls) == 1
    assert [r.charge_id for r in await billing.stars_refunds_open()] == ["ch-no"]
    assert await billing.resume_stars_refunds() == []  # failed ones are not retried


async def test_a_refused_refund_whose_debt_was_paid_meanwhile_gives_that_back_too(app):
    billing, telegram = app.core.billing, FakeTelegramStars()
    billing.stars_refunds = telegram
    actor, account_id = await _paid(app, "ch-paid", left_credits=10)
    telegram.unreachable = True
    pending = await billing.admin_refund_stars("ch-paid")
    assert (pending.taken_credits, pending.debt_credits) == (10, 90)
    await app.core.admin_grant(
        actor, 100, reason="goodwill", operator="test:ops"
    )  # pays the 90 owed
    assert await _money(app, actor, account_id) == (10, 0)
    telegram.unreachable, telegram.refuse = False, "USER_BOT_BLOCKED"
    [failed] = await billing.resume_stars_refunds()
    assert failed.status == "failed"
    assert await _money(app, actor, account_id) == (110, 0)  # 10 taken + 90 paid, back


async def test_a_refund_pending_when_the_account_is_erased_is_closed_not_sent(app):
    billing, telegram = app.core.billing, FakeTelegramStars()
    billing.stars_refunds = telegram
    actor, _ = await _paid(app, "ch-gone", left_credits=100)
    telegram.unreachable = True
    assert (await billing.admin_refund_stars("ch-gone")).status == "pending"
    challenge = await app.privacy.forget(actor)
    await app.privacy.forget(actor, challenge.code)
    telegram.unreachable = False
    [closed] = await billing.resume_stars_refunds()
    assert (closed.status, closed.error_code) == ("failed", "ACCOUNT_ERASED")
    assert closed.platform_user_id is None and telegram.calls == ["ch-gone"]
    async with app.uow() as tx:
        assert await conservation_gap(tx.conn) == 0
