"""Promo codes: once per account, clear refusals, and on PostgreSQL 50 accounts racing
for a 10-use code → exactly 10 succeed."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core import ledger as credits
from core.clock import utcnow
from core.db.tables import promo_codes, promo_redemptions
from core.errors import InvalidOption, PromoRefused
from core.text.catalogue import Messages
from tests.support.billing_harness import balance_and_sum, new_customer


async def test_redeem_once_with_clear_refusals(app):
    billing = app.core.billing
    welcome = app.catalog.welcome_grant_credits
    await billing.create_promo("launch-25", amount_credits=25, max_redemptions=2, expires_at=None)
    soon = utcnow() + timedelta(seconds=60)
    await billing.create_promo("BRIEF", amount_credits=5, max_redemptions=5, expires_at=soon)
    first, second, third = [await new_customer(app) for _ in range(3)]

    done = await billing.redeem(first, "  Launch-25 ")
    assert (done.code, done.credits, done.balance_credits) == ("LAUNCH-25", 25, welcome + 25)
    messages = Messages()
    refusals = {
        "already_redeemed": (first, "LAUNCH-25"),
        "unknown": (first, "NOPE"),
    }
    await billing.redeem(second, "launch-25")
    refusals["exhausted"] = (third, "launch-25")
    for reason, (actor, code) in refusals.items():
        with pytest.raises(PromoRefused) as err:
            await billing.redeem(actor, code)
        assert err.value.reason == reason
        text = messages.render_error(err.value)
        assert code.upper() in text and "{" not in text
    assert "already redeemed" in messages.render_error(PromoRefused(reason="already_redeemed"))
    assert "used up" in messages.render_error(PromoRefused(reason="exhausted", code="X"))

    async with app.uow() as uow:  # let BRIEF expire
        await uow.conn.execute(
            promo_codes.update()
            .where(promo_codes.c.code == "BRIEF")
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await uow.commit()
    with pytest.raises(PromoRefused) as err:
        await billing.redeem(third, "brief")
    assert err.value.reason == "expired" and "expired" in messages.render_error(err.value)
    assert await balance_and_sum(app, third) == (welcome, welcome, 0)  # refusals change nothing
    async with app.uow() as uow:
        redeemed = await uow.conn.scalar(
            select(promo_codes.c.redeemed_count).where(promo_codes.c.code == "LAUNCH-25")
        )
        rows = await uow.conn.scalar(select(func.count()).select_from(promo_redemptions))
    assert (redeemed, rows) == (2, 2)


async def test_bad_promo_definitions_are_refused(app):
    billing = app.core.billing
    cases = [
        ("x", 5, 1, None, "promo_code_format"),
        ("with space", 5, 1, None, "promo_code_format"),
        ("GOOD", 0, 1, None, "out_of_range"),
        ("GOOD", 5, 0, None, "out_of_range"),
        ("GOOD", 5, 1, utcnow() - timedelta(days=1), "promo_expiry_past"),
    ]
    for code, amount, uses, expires, reason in cases:
        with pytest.raises(InvalidOption) as err:
            await billing.create_promo(
                code, amount_credits=amount, max_redemptions=uses, expires_at=expires
            )
        assert err.value.reason == reason
    await billing.create_promo("GOOD", amount_credits=5, max_redemptions=1, expires_at=None)
    with pytest.raises(InvalidOption) as err:
        await billing.create_promo("good", amount_credits=5, max_redemptions=1, expires_at=None)
    assert err.value.reason == "promo_code_exists"
    assert "GOOD already exists" in Messages().render_error(err.value)


@pytest.mark.parametrize("engine", ["postgres"], indirect=True)
async def test_50_accounts_race_for_a_10_use_code(app):
    billing = app.core.billing
    await billing.create_promo("RACE", amount_credits=7, max_redemptions=10, expires_at=None)
    actors = [await new_customer(app) for _ in range(50)]
    start = asyncio.Event()

    async def attempt(actor):
        await start.wait()
        try:
            return (await billing.redeem(actor, "RACE")).credits
        except PromoRefused as exc:
            return exc.reason

    tasks = [asyncio.create_task(attempt(a)) for a in actors]
    start.set()
    results = await asyncio.gather(*tasks)
    assert results.count(7) == 10
    assert results.count("exhausted") == 40
    async with app.uow() as uow:
        count = await uow.conn.scalar(
            select(promo_codes.c.redeemed_count).where(promo_codes.c.code == "RACE")
        )
        rows = await uow.conn.scalar(select(func.count()).select_from(promo_redemptions))
        assert await credits.conservation_gap(uow.conn) == 0
    assert (count, rows) == (10, 10)
    balances = [(await balance_and_sum(app, a))[0] for a in actors]
    welcome = app.catalog.welcome_grant_credits
    assert sorted(balances) == [welcome] * 40 + [welcome + 7] * 10
