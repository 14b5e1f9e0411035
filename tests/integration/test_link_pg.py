"""/link under contention on the real PostgreSQL: one code, many redemptions at once;
and an /imagine racing a merge never debits the absorbed account after the move."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text

from bot.bootstrap import bootstrap
from core import ledger as credits
from core.db.tables import accounts, jobs, ledger_entries
from core.errors import LinkRefused
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user

TARGET = ReplyTarget("test", {"chat": "1"})
WAIT_LIMIT_S = 20.0


@pytest.fixture
async def pg_app(settings, pg_engine):
    async with bootstrap(settings, engine=pg_engine, migrate=False) as built:
        yield built


async def _user(app, platform: str) -> tuple[Actor, int]:
    actor = Actor(platform, unique_user(platform[:2]), "Tester", "en")
    return actor, (await app.core.accept_terms(actor, age_confirmed=True)).account.account_id


async def test_20_concurrent_redemptions_of_one_code_merge_once(pg_app):
    app = pg_app
    discord, d_id = await _user(app, "discord")
    await app.core.admin_grant(discord, 11, reason="setup", operator="test:ops")
    redeemers = [await _user(app, "telegram") for _ in range(20)]
    async with app.uow() as uow:
        total_before = await uow.conn.scalar(select(func.sum(accounts.c.balance_credits)))
    issued = await app.core.link_code(discord)

    results = await asyncio.gather(
        *(app.core.link_redeem(actor, issued.code) for actor, _ in redeemers),
        return_exceptions=True,
    )
    merged = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, LinkRefused)]
    assert len(merged) == 1 and len(refused) == 19, results
    assert all(r.reason == "invalid_code" for r in refused)
    async with app.uow() as uow:
        c = uow.conn
        assert await c.scalar(select(func.sum(accounts.c.balance_credits))) == total_before
        assert await credits.conservation_gap(c) == 0
        for account_id in [d_id] + [a for _, a in redeemers]:
            assert await credits.balance_of(c, account_id) == await credits.ledger_sum(
                c, account_id
            )
        merged_count = await c.scalar(
            select(func.count())
            .select_from(accounts)
            .where(accounts.c.merged_into_account_id.is_not(None))
        )
        moves = await c.scalar(
            select(func.count())
            .select_from(ledger_entries)
            .where(ledger_entries.c.reason == "link_in")
        )
    assert merged_count == 1 and moves == 1
    assert merged[0].account.balance_credits == (await app.core.account(discord)).balance_credits


async def _waiters(app, count: int) -> None:
    """Until ``count`` sessions wait for a row lock (a condition, polled)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND (query ILIKE '%FOR UPDATE%' OR query ILIKE '%seedream_accept_job%')"
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_LIMIT_S
    while True:
        async with app.engine.connect() as conn:
            if await conn.scalar(query) >= count:
                return
        assert loop.time() < deadline, "the sessions never queued for the lock"
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("merge_first", [True, False])
async def test_a_submit_racing_a_merge_never_debits_the_absorbed_account(pg_app, merge_first):
    """A lock held on the absorbed account row lines the two up: whoever queued first
    for it goes first. Merge first: the submit lands on the joined account. Submit
    first: the merge finds the queued job and refuses; nothing moves."""
    app = pg_app
    discord, d_id = await _user(app, "discord")
    telegram, t_id = await _user(app, "telegram")
    issued = await app.core.link_code(discord)
    before = (await app.core.account(discord)).balance_credits + (
        await app.core.account(telegram)
    ).balance_credits

    holder = await app.engine.connect()
    tx = await holder.begin()
    await holder.execute(select(accounts.c.id).where(accounts.c.id == t_id).with_for_update())
    merge = submit = None
    try:
        if merge_first:
            merge = asyncio.create_task(app.core.link_redeem(telegram, issued.code))
            await _waiters(app, 1)
            submit = asyncio.create_task(
                app.core.imagine(telegram, ImagineRequest("a fox"), TARGET)
            )
        else:
            submit = asyncio.create_task(
                app.core.imagine(telegram, ImagineRequest("a fox"), TARGET)
            )
            await _waiters(app, 1)
            merge = asyncio.create_task(app.core.link_redeem(telegram, issued.code))
        await _waiters(app, 2)
    finally:
        await tx.rollback()
        await holder.close()
    job = await submit
    merged = await asyncio.gather(merge, return_exceptions=True)
    async with app.uow() as uow:
        c = uow.conn
        owner = await c.scalar(select(jobs.c.account_id).where(jobs.c.id == job.job_id))
        for account_id in (d_id, t_id):
            assert await credits.balance_of(c, account_id) == await credits.ledger_sum(
                c, account_id
            )
        total = await c.scalar(
            select(func.sum(accounts.c.balance_credits)).where(accounts.c.id.in_((d_id, t_id)))
        )
    assert total == before - job.cost_credits
    if merge_first:
        assert not isinstance(merged[0], BaseException)
        assert owner == d_id  # the submit waited for the merge and landed on the survivor
        assert (await app.core.account(telegram)).account_id == d_id
        async with app.uow() as uow:
            assert await credits.balance_of(uow.conn, t_id) == 0
    else:
        assert isinstance(merged[0], LinkRefused) and merged[0].reason == "jobs_active"
        assert owner == t_id
