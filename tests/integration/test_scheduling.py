"""The production job path's rules, on SQLite and PostgreSQL: fairness, lanes, limits,
retries with backoff, dead workers, poison jobs, moderation, re-announcing lost events."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.bootstrap import bootstrap
from core import ledger as credits
from core.catalog import Moderation, load_catalog
from core.clock import utcnow
from core.db.tables import accounts, jobs
from core.errors import (
    ModelUnavailable,
    PromptRefused,
    ProviderRateLimited,
    ProviderTransient,
    RateLimited,
    TooManyQueued,
)
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support.fakes import CountingProvider, FlakyProvider, RecordingDelivery

TARGET = ReplyTarget("test", {})


def _catalog(**plan_changes):
    catalog = load_catalog()
    plans = {k: replace(v, **plan_changes) for k, v in catalog.plans.items()}
    return replace(catalog, plans=plans)


@pytest.fixture
async def roomy_app(settings, engine):
    """Plans with room for floods; retries without backoff so tests need no clock."""
    settings = settings.model_copy(update={"retry_base_delay_s": 0.0})
    async with bootstrap(
        settings, engine=engine, migrate=False, catalog=_catalog(max_queued_jobs=100)
    ) as app:
        yield app


async def _user(app, *, plan: str = "free", credits_: int = 100) -> Actor:
    actor = Actor("test", unique_user(), locale="en")
    view = (await app.core.accept_terms(actor, age_confirmed=True)).account
    await app.core.admin_grant(actor, credits_, reason="test", operator="test:ops")
    if plan != "free":
        async with app.uow() as uow:
            await uow.conn.execute(
                update(accounts).where(accounts.c.id == view.account_id).values(plan=plan)
            )
            await uow.commit()
    return actor


async def _owner_order(app, claimed: list) -> list[str]:
    async with app.uow() as uow:
        rows = (await uow.conn.execute(select(jobs.c.id, jobs.c.account_id))).all()
    owner = {r.id: r.account_id for r in rows}
    return [owner[j.id] for j in claimed]


async def test_a_flood_does_not_delay_a_light_user(roomy_app):
    app = roomy_app
    flooder, light = await _user(app), await _user(app)
    for i in range(6):
        await app.core.imagine(flooder, ImagineRequest(f"flood {i}"), TARGET)
    await app.core.imagine(light, ImagineRequest("just one"), TARGET)
    light_id = (await app.core.account(light)).account_id

    outcomes = []
    while (outcome := await app.worker.run_once()) is not None:
        outcomes.append(outcome)
    assert outcomes == ["succeeded"] * 7
    async with app.uow() as uow:
        order = (
            (await uow.conn.execute(select(jobs.c.account_id).order_by(jobs.c.started_at)))
            .scalars()
            .all()
        )
    assert order.index(light_id) <= 1, order  # after at most the flooder's first job


async def test_running_limit_per_user(roomy_app):
    app = roomy_app
    busy, other = await _user(app), await _user(app)
    for i in range(3):
        await app.core.imagine(busy, ImagineRequest(f"job {i}"), TARGET)
    await app.core.imagine(other, ImagineRequest("other"), TARGET)
    from core.jobs.scheduling import claim_next

    async with app.uow() as uow:
        first = await claim_next(uow.conn, worker_id="w1", lease_s=60, now=utcnow())
        second = await claim_next(uow.conn, worker_id="w2", lease_s=60, now=utcnow())
        third = await claim_next(uow.conn, worker_id="w3", lease_s=60, now=utcnow())
        await uow.commit()
    owners = await _owner_order(app, [first, second])
    assert owners[0] != owners[1]  # the free plan runs one job per user at a time
    assert third is None


async def test_priority_lane_goes_first(roomy_app):
    app = roomy_app
    free_user = await _user(app)
    for i in range(3):
        await app.core.imagine(free_user, ImagineRequest(f"early {i}"), TARGET)
    pro_user = await _user(app, plan="pro")
    pro_job = await app.core.imagine(pro_user, ImagineRequest("late but paid"), TARGET)
    from core.jobs.scheduling import claim_next

    async with app.uow() as uow:
        first = await claim_next(uow.conn, worker_id="w", lease_s=60, now=utcnow())
        await uow.commit()
    assert first.id == pro_job.job_id and first.lane == 1


async def test_queued_limit_refuses_before_spending(app):
    actor = await _user(app)
    limit = app.catalog.plan("free").max_queued_jobs
    for i in range(limit):
        await app.core.imagine(actor, ImagineRequest(f"job {i}"), TARGET)
    before = (await app.core.account(actor)).balance_credits
    with pytest.raises(TooManyQueued) as err:
        await app.core.imagine(actor, ImagineRequest("one too many"), TARGET)
    assert err.value.max_queued_jobs == limit
    assert (await app.core.account(actor)).balance_credits == before
    assert "jobs waiting" in app.messages.render_error(err.value)


async def test_blocklist_refuses_before_spending(settings, engine):
    catalog = replace(load_catalog(), moderation=Moderation(("gore",), (r"\bnsfw\w*",)))
    async with bootstrap(settings, engine=engine, migrate=False, catalog=catalog) as app:
        actor = await _user(app)
        before = (await app.core.account(actor)).balance_credits
        for prompt, negative in (("a GORE scene", None), ("nice", "nsfwish"), ("cat --no x", None)):
            request = ImagineRequest(prompt, negative_prompt=negative)
            if prompt.startswith("cat"):
                await app.core.imagine(actor, request, TARGET)  # a clean prompt passes
                before -= 1
                continue
            with pytest.raises(PromptRefused):
                await app.core.imagine(actor, request, TARGET)
        assert (await app.core.account(actor)).balance_credits == before


async def test_rate_limits_per_user_and_chat(settings, engine):
    settings = settings.model_copy(
        update={"user_requests_per_minute": 2, "chat_requests_per_minute": 3}
    )
    async with bootstrap(
        settings, engine=engine, migrate=False, catalog=_catalog(max_queued_jobs=100)
    ) as app:
        alice, carol, dave = await _user(app), await _user(app), await _user(app)
        in_group = lambda a: replace(a, chat_id="group-1")  # noqa: E731
        for _ in range(2):
            await app.core.imagine(in_group(alice), ImagineRequest("hi"), TARGET)
        with pytest.raises(RateLimited) as err:  # alice has had her 2 per minute
            await app.core.imagine(in_group(alice), ImagineRequest("hi"), TARGET)
        assert 0 < err.value.retry_after_s <= 60
        assert "try again in" in app.messages.render_error(err.value)
        await app.core.imagine(in_group(carol), ImagineRequest("hi"), TARGET)
        with pytest.raises(RateLimited):  # the group has had its 3 per minute
            await app.core.imagine(in_group(dave), ImagineRequest("hi"), TARGET)
        await app.core.imagine(dave, ImagineRequest("in private"), TARGET)


async def test_transient_failures_retry_then_succeed(roomy_app):
    app = roomy_app
    flaky = FlakyProvider(
        app.providers["local"], failures=[ProviderTransient(), ProviderRateLimited(retry_after_s=0)]
    )
    app.providers["local"] = flaky
    delivered = RecordingDelivery()
    app.events.register("test", delivered)
    actor = await _user(app)
    job = await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    outcomes = []
    while (outcome := await app.worker.run_once()) is not None:
        outcomes.append(outcome)
    assert outcomes == ["retry", "retry", "succeeded"]
    assert flaky.calls == 3
    assert delivered.kinds(job.job_id).count("finished") == 1
    view = await app.core.job(actor, job.job_id)
    assert view.status == "succeeded"


async def test_last_attempt_fails_and_refunds_once(roomy_app):
    app = roomy_app
    app.providers["local"] = FlakyProvider(
        app.providers["local"], failures=[ProviderTransient()] * 10
    )
    actor = await _user(app)
    before = (await app.core.account(actor)).balance_credits
    job = await app.core.imagine(actor, ImagineRequest("a cat", image_count=2), TARGET)
    outcomes = []
    while (outcome := await app.worker.run_once()) is not None:
        outcomes.append(outcome)
    assert outcomes == ["retry", "retry", "failed"]  # max_attempts = 3
    assert (await app.core.job(actor, job.job_id)).status == "failed"
    view = await app.core.account(actor)
    assert view.balance_credits == before
    async with app.uow() as uow:
        assert await credits.ledger_sum(uow.conn, view.account_id) == view.balance_credits


async def test_a_retry_without_backoff_is_claimable_whatever_the_wall_clock(roomy_app):
    """No backoff means no ``not_before`` at all: a timestamp of "now" would be compared
    with the next claimer's "now", and a wall clock stepping back in between (NTP, a
    loaded VM) would hide the job from every worker for that long."""
    app = roomy_app
    app.providers["local"] = FlakyProvider(app.providers["local"], failures=[ProviderTransient()])
    actor = await _user(app)
    job = await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)

    assert await app.worker.run_once() == "retry"

    async with app.uow() as uow:
        row = (
            await uow.conn.execute(
                select(jobs.c.status, jobs.c.not_before, jobs.c.attempts).where(
                    jobs.c.id == job.job_id
                )
            )
        ).one()
    assert (row.status, row.not_before, row.attempts) == ("queued", None, 1)
    assert await app.worker.run_once() == "succeeded"


async def test_dead_workers_job_is_requeued_and_run_once(roomy_app):
    app = roomy_app
    counting = CountingProvider(app.providers["local"])
    app.providers["local"] = counting
    actor = await _user(app)
    job = await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    from core.jobs.scheduling import claim_next

    async with app.uow() as uow:  # a worker claims it, then dies (no heartbeat)
        claimed = await claim_next(uow.conn, worker_id="dead", lease_s=60, now=utcnow())
        await uow.commit()
    assert claimed.id == job.job_id
    assert await app.worker.run_once() is None  # leased: nobody else may take it
    await _expire_lease(app, job.job_id)
    await app.worker.reconcile_once()
    assert await app.worker.run_once() == "succeeded"
    assert counting.calls == 1
    view = await app.core.job(actor, job.job_id)
    assert view.status == "succeeded"


async def test_poison_job_ends_failed_and_refunded(roomy_app):
    """A job whose worker dies on every attempt stops after max_attempts."""
    app = roomy_app
    actor = await _user(app)
    before = (await app.core.account(actor)).balance_credits
    job = await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    from core.jobs.scheduling import claim_next

    for attempt in range(3):
        async with app.uow() as uow:
            claimed = await claim_next(
                uow.conn, worker_id=f"dies-{attempt}", lease_s=60, now=utcnow()
            )
            await uow.commit()
        assert claimed is not None and claimed.attempts == attempt + 1
        await _expire_lease(app, job.job_id)
        await app.worker.reconcile_once()
    view = await app.core.job(actor, job.job_id)
    assert (view.status, view.error_code) == ("failed", "attempts_exhausted")
    assert (await app.core.account(actor)).balance_credits == before
    assert await app.worker.run_once() is None


async def test_heartbeat_keeps_the_lease(roomy_app):
    app = roomy_app
    actor = await _user(app)
    job = await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    claimed = await app.worker.runner.claim()
    assert claimed.id == job.job_id
    await _expire_lease(app, job.job_id, seconds_ago=0.0)
    await app.worker.heartbeat()
    async with app.uow() as uow:
        lease = await uow.conn.scalar(
            select(jobs.c.lease_expires_at).where(jobs.c.id == job.job_id)
        )
    assert lease > utcnow() + timedelta(seconds=app.worker.settings.lease_s / 2)


async def test_lost_terminal_event_is_announced_again(roomy_app):
    app = roomy_app
    delivered = RecordingDelivery()
    actor = await _user(app)
    job = await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    assert await app.worker.run_once() == "succeeded"  # no handler yet: event dropped
    async with app.uow() as uow:  # as if the worker died before recording the hand-over
        await uow.conn.execute(
            update(jobs)
            .where(jobs.c.id == job.job_id)
            .values(notified_at=None, finished_at=utcnow() - timedelta(minutes=5))
        )
        await uow.commit()
    app.events.register("test", delivered)
    await app.worker.reconcile_once()
    event = await delivered.wait_for(job.job_id, "finished")
    assert len(event.images) == 1
    await app.worker.reconcile_once()  # recorded now: not announced a third time
    assert delivered.kinds(job.job_id) == ["finished"]


async def _expire_lease(app, job_id: str, *, seconds_ago: float = 1.0) -> None:
    async with app.uow() as uow:
        await uow.conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=seconds_ago))
        )
        await uow.commit()


async def test_models_without_a_configured_provider_are_hidden(settings, engine):
    catalog = load_catalog()
    cloud = replace(catalog.models["preview"], id="cloud", routes=("openai:gpt-image-2",))
    catalog = replace(catalog, models={**catalog.models, "cloud": cloud})
    async with bootstrap(settings, engine=engine, migrate=False, catalog=catalog) as app:
        assert [m.id for m in app.core.models()] == ["preview"]  # no OPENAI_API_KEY here
        actor = await _user(app)
        before = (await app.core.account(actor)).balance_credits
        with pytest.raises(ModelUnavailable) as err:  # in the catalogue, not served here
            await app.core.imagine(actor, ImagineRequest("a cat", model_id="cloud"), TARGET)
        assert err.value.params["available"] == "preview"
        assert (await app.core.account(actor)).balance_credits == before
