"""Real PostgreSQL under contention: the balance decides, never a Python read."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from bot.bootstrap import bootstrap
from core import ledger as credits
from core.catalog import load_catalog
from core.db.tables import jobs, ledger_entries
from core.errors import AlreadySubmitted, InsufficientCredits, TooManyQueued
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user


@pytest.fixture
async def pg_app(settings, pg_engine):
    # Plan limits are not what this test is about: let the balance alone decide.
    catalog = load_catalog()
    plans = {k: replace(v, max_queued_jobs=1000) for k, v in catalog.plans.items()}
    catalog = replace(catalog, plans=plans)
    async with bootstrap(settings, engine=pg_engine, migrate=False, catalog=catalog) as built:
        yield built


async def test_200_concurrent_submits_for_10_credits(pg_app):
    app = pg_app
    actor = Actor("test", unique_user())
    accepted = await app.core.accept_terms(actor, age_confirmed=True)
    account_id = accepted.account.account_id
    # Bring the balance to exactly 10 credits (1 credit per preview image).
    await app.core.admin_grant(
        actor, 10 - accepted.account.balance_credits, reason="setup", operator="test:ops"
    )
    target = ReplyTarget("test", {})

    async def submit():
        return await app.core.imagine(actor, ImagineRequest("a fox"), target)

    results = await asyncio.gather(*(submit() for _ in range(200)), return_exceptions=True)
    ok = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, InsufficientCredits)]
    others = [r for r in results if isinstance(r, BaseException) and r not in refused]
    assert others == []
    assert len(ok) == 10 and len(refused) == 190
    assert all(r.balance_credits == 0 and r.cost_credits == 1 for r in refused)
    async with app.uow() as uow:
        assert await credits.balance_of(uow.conn, account_id) == 0
        assert await credits.ledger_sum(uow.conn, account_id) == 0
        count = await uow.conn.scalar(
            select(func.count()).select_from(jobs).where(jobs.c.account_id == account_id)
        )
    assert count == 10


async def test_concurrent_duplicate_refunds_count_once(pg_app):
    app = pg_app
    actor = Actor("test", unique_user())
    await app.core.accept_terms(actor, age_confirmed=True)
    outcomes = await asyncio.gather(
        *(
            app.core.admin_grant(
                actor, 7, reason="r", reference="dup-" + actor.platform_user_id, operator="test:ops"
            )
            for _ in range(20)
        )
    )
    assert sum(o.applied for o in outcomes) == 1
    view = await app.core.account(actor)
    async with app.uow() as uow:
        assert await credits.ledger_sum(uow.conn, view.account_id) == view.balance_credits
    assert view.balance_credits == app.catalog.welcome_grant_credits + 7


async def _fifty_submits_split(app, actor: Actor) -> tuple[list, list[TooManyQueued]]:
    """50 concurrent /imagine of ``actor``: (accepted jobs, TooManyQueued refusals);
    any other outcome fails the test."""
    target = ReplyTarget("test", {})
    results = await asyncio.gather(
        *(app.core.imagine(actor, ImagineRequest("a fox"), target) for _ in range(50)),
        return_exceptions=True,
    )
    ok = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, TooManyQueued)]
    assert len(ok) + len(refused) == 50, [r for r in results if r not in ok + refused]
    return ok, refused


@pytest.mark.parametrize("path", ["driver", "sqlalchemy"])
async def test_50_concurrent_submits_respect_a_queued_limit_of_5(settings, pg_engine, path):
    catalog = load_catalog()
    plans = {k: replace(v, max_queued_jobs=5) for k, v in catalog.plans.items()}
    catalog = replace(catalog, plans=plans)
    async with bootstrap(settings, engine=pg_engine, migrate=False, catalog=catalog) as app:
        if path == "sqlalchemy":  # the statement-built path other dialects take
            app.core.submission.pg_accept = None
        actor = Actor("test", unique_user())
        account_id = (await app.core.accept_terms(actor, age_confirmed=True)).account.account_id
        await app.core.admin_grant(actor, 1000, reason="setup", operator="test:ops")
        ok, refused = await _fifty_submits_split(app, actor)
        assert len(ok) == 5 and len(refused) == 45
        async with app.uow() as uow:
            queued = await uow.conn.scalar(
                select(func.count())
                .select_from(jobs)
                .where(jobs.c.account_id == account_id, jobs.c.status == "queued")
            )
            assert queued == 5
            assert await credits.ledger_sum(uow.conn, account_id) == await credits.balance_of(
                uow.conn, account_id
            )


async def test_20_concurrent_deliveries_of_one_request_make_one_job(pg_app):
    actor = Actor("test", unique_user())
    await pg_app.core.accept_terms(actor, age_confirmed=True)
    before = (await pg_app.core.account(actor)).balance_credits
    target = ReplyTarget("test", {"chat": "1"})
    outcomes = await asyncio.gather(
        *(
            pg_app.core.imagine(actor, ImagineRequest("one heron"), target, request_key="t:9:1")
            for _ in range(20)
        ),
        return_exceptions=True,
    )
    accepted = [o for o in outcomes if not isinstance(o, BaseException)]
    replays = [o for o in outcomes if isinstance(o, AlreadySubmitted)]
    assert len(accepted) == 1 and len(replays) == 19
    assert {r.job_id for r in replays} == {accepted[0].job_id}
    account = await pg_app.core.account(actor)
    assert account.balance_credits == before - accepted[0].cost_credits
    async with pg_app.uow() as uow:
        assert await credits.ledger_sum(uow.conn, account.account_id) == account.balance_credits
        count = await uow.conn.scalar(
            select(func.count()).select_from(jobs).where(jobs.c.account_id == account.account_id)
        )
    assert count == 1


async def test_50_concurrent_submits_of_a_free_user_queue_exactly_3(settings, pg_engine):
    """The free plan's own limit (3 queued), credits for all 50, no worker: the account
    row's lock lines the submits up, so exactly 3 are debited and inserted."""
    async with bootstrap(settings, engine=pg_engine, migrate=False) as app:
        assert app.catalog.plan("free").max_queued_jobs == 3
        actor = Actor("test", unique_user())
        accepted = await app.core.accept_terms(actor, age_confirmed=True)
        account_id = accepted.account.account_id
        await app.core.admin_grant(
            actor, 50 - accepted.account.balance_credits, reason="setup", operator="test:ops"
        )
        ok, refused = await _fifty_submits_split(app, actor)
        assert len(ok) == 3 and len(refused) == 47
        assert all(r.max_queued_jobs == 3 for r in refused)
        assert sorted(r.balance_credits for r in ok) == [47, 48, 49]
        async with app.uow() as uow:
            c = uow.conn
            spends = (
                await c.execute(
                    select(ledger_entries.c.reference, ledger_entries.c.amount_credits).where(
                        ledger_entries.c.account_id == account_id,
                        ledger_entries.c.reason == "spend",
                    )
                )
            ).all()
            job_ids = set(
                (await c.execute(select(jobs.c.id).where(jobs.c.account_id == account_id)))
                .scalars()
                .all()
            )
            assert await credits.balance_of(c, account_id) == 47
            assert await credits.ledger_sum(c, account_id) == 47
        assert sorted(amount for _, amount in spends) == [-1, -1, -1]
        assert {ref for ref, _ in spends} == job_ids == {r.job_id for r in ok}
