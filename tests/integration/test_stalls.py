"""Jobs end when providers flap and workers stall, on SQLite and PostgreSQL: a circuit
breaker's trial always settles (the provider is called again, no "providers busy"
loop), and a job still unfinished ``job_deadline_s`` after its creation fails once and
is refunded once, whoever notices first."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.bootstrap import bootstrap
from core.catalog import ProviderLimits, load_catalog
from core.clock import utcnow
from core.db.tables import images, jobs, ledger_entries
from core.errors import ProviderPermanent, ProviderRefused, ProviderTransient
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support.fakes import FlakyProvider, RecordingDelivery

TARGET = ReplyTarget("test", {})
CAP = "provider:local"


@pytest.fixture
async def flappy_app(settings, engine):
    """One transient failure opens the local provider's circuit; no cool-down, so the
    next request is at once the trial. One request at a time to the provider."""
    settings = settings.model_copy(
        update={
            "retry_base_delay_s": 0.0,
            "provider_failure_threshold": 1,
            "provider_cooldown_s": 0.0,
        }
    )
    catalog = load_catalog()
    local = catalog.provider_limits("local")
    catalog = replace(
        catalog,
        providers={
            **catalog.providers,
            "local": ProviderLimits(max_concurrency=1, timeout_s=local.timeout_s),
        },
    )
    async with bootstrap(settings, engine=engine, migrate=False, catalog=catalog) as app:
        yield app


async def _user(app):
    actor = Actor("test", unique_user(), locale="en")
    await app.core.accept_terms(actor, age_confirmed=True)
    await app.core.admin_grant(actor, 100, reason="test", operator="test:ops")
    return actor


async def _claimable_in(app, job_id: str, *, hours: float) -> None:
    """Set a queued job's wait (``not_before``); 0: claimable now, instead of sleeping
    through a retry's wait."""
    not_before = utcnow() + timedelta(hours=hours) if hours else None
    async with app.uow() as uow:
        await uow.conn.execute(
            update(jobs).where(jobs.c.id == job_id).values(not_before=not_before)
        )
        await uow.commit()


async def _claimable_now(app, job_id: str) -> None:
    await _claimable_in(app, job_id, hours=0)


async def _age(app, job_id: str, *, minutes: float) -> None:
    async with app.uow() as uow:
        await uow.conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(created_at=utcnow() - timedelta(minutes=minutes))
        )
        await uow.commit()


async def _refunds(app, job_id: str) -> int:
    async with app.uow() as uow:
        return await uow.conn.scalar(
            select(func.count())
            .select_from(ledger_entries)
            .where(ledger_entries.c.reason == "refund", ledger_entries.c.reference == job_id)
        )


@pytest.mark.parametrize("trial_ends", ["cap_full", "refused", "permanent"])
async def test_a_trial_that_ends_without_a_failure_does_not_block_the_provider(
    flappy_app, trial_ends
):
    app = flappy_app
    errors = {"cap_full": [], "refused": [ProviderRefused()], "permanent": [ProviderPermanent()]}
    flaky = FlakyProvider(
        app.providers["local"], failures=[ProviderTransient(), *errors[trial_ends]]
    )
    app.providers["local"] = flaky
    actor = await _user(app)

    opener = await app.core.imagine(actor, ImagineRequest("opens the circuit"), TARGET)
    assert await app.worker.run_once() == "retry"  # transient: the circuit is open
    caps = app.worker.runner._routes._caps
    if trial_ends == "cap_full":  # the trial is taken, then the provider's one slot is busy
        assert await caps.acquire(CAP, "someone-else", limit=1, lease_s=60)
        assert await app.worker.run_once() == "retry"
        await caps.release(CAP, "someone-else")
        assert flaky.calls == 1
    else:  # the trial reaches the provider, which answers (a refusal, a bad request)
        trial = await app.core.imagine(actor, ImagineRequest("the trial"), TARGET)
        await _claimable_in(app, opener.job_id, hours=1)  # the trial job goes first
        assert await app.worker.run_once() == "failed"
        assert (await app.core.job(actor, trial.job_id)).status == "failed"
        assert flaky.calls == 2
    await _claimable_now(app, opener.job_id)

    calls_before = flaky.calls
    assert await app.worker.run_once() == "succeeded"  # not "providers busy" forever
    assert flaky.calls == calls_before + 1
    assert (await app.core.job(actor, opener.job_id)).status == "succeeded"


async def test_a_busy_retry_past_the_deadline_fails_and_refunds_once(flappy_app, caplog):
    """A "providers busy" retry is not an attempt, so attempts never end such a job: the
    deadline does. A retry that would wait past it fails the job instead."""
    app = flappy_app
    delivered = RecordingDelivery()
    app.events.register("test", delivered)
    actor = await _user(app)
    before = (await app.core.account(actor)).balance_credits
    job = await app.core.imagine(actor, ImagineRequest("a cat", image_count=2), TARGET)
    caps = app.worker.runner._routes._caps
    assert await caps.acquire(CAP, "someone-else", limit=1, lease_s=60)  # busy for good

    assert await app.worker.run_once() == "retry"  # providers busy: not an attempt
    await _claimable_now(app, job.job_id)
    runner = app.worker.runner
    runner.settings = replace(runner.settings, busy_retry_delay_s=60.0)
    await _age(app, job.job_id, minutes=29.5)  # 30 s left: the next busy wait is longer
    assert await app.worker.run_once() == "failed"
    assert "failing it" in caplog.text and "providers_busy" in caplog.text

    view = await app.core.job(actor, job.job_id)
    assert (view.status, view.error_code) == ("failed", "deadline")
    assert (await app.core.account(actor)).balance_credits == before
    assert await _refunds(app, job.job_id) == 1
    event = await delivered.wait_for(job.job_id, "failed")
    assert event.error_key == "error.job_deadline" and event.refunded_credits == 2
    text = app.messages.render(event.error_key, "en", **event.error_params)
    assert "30 minutes" in text and "refunded" in text
    await app.worker.reconcile_once()
    assert await _refunds(app, job.job_id) == 1
    assert await app.worker.run_once() is None


async def test_reconcilers_fail_an_overdue_queued_job_once(flappy_app):
    """No worker claims it (here: none runs); every worker's reconciler sees it at once."""
    app = flappy_app
    delivered = RecordingDelivery()
    app.events.register("test", delivered)
    actor = await _user(app)
    young = await app.core.imagine(actor, ImagineRequest("young"), TARGET)
    before = (await app.core.account(actor)).balance_credits
    old = await app.core.imagine(actor, ImagineRequest("old"), TARGET)
    await _age(app, old.job_id, minutes=29)
    await app.worker.recover_once()
    assert (await app.core.job(actor, old.job_id)).status == "queued"  # not yet
    await _age(app, old.job_id, minutes=31)

    await asyncio.gather(*(app.worker.recover_once() for _ in range(4)))

    view = await app.core.job(actor, old.job_id)
    assert (view.status, view.error_code) == ("failed", "deadline")
    assert (await app.core.job(actor, young.job_id)).status == "queued"
    assert await _refunds(app, old.job_id) == 1
    assert (await app.core.account(actor)).balance_credits == before
    await delivered.wait_for(old.job_id, "failed")
    assert delivered.kinds(old.job_id).count("failed") == 1


async def test_an_attempt_running_past_the_deadline_does_not_finish_twice(flappy_app):
    """The reconciler fails a running job whose deadline passed while its provider was
    still working; the late success is discarded (its images too), refunded once."""
    app = flappy_app
    actor = await _user(app)
    before = (await app.core.account(actor)).balance_credits
    job = await app.core.imagine(actor, ImagineRequest("slow"), TARGET)
    inner = app.providers["local"]

    class OverrunningProvider:
        name = inner.name

        async def generate(self, spec):
            await _age(app, job.job_id, minutes=31)  # the deadline passes meanwhile...
            await app.worker.recover_once()  # ...and a reconciler notices
            return await inner.generate(spec)

    app.providers["local"] = OverrunningProvider()
    assert await app.worker.run_once() == "lost"

    view = await app.core.job(actor, job.job_id)
    assert (view.status, view.error_code) == ("failed", "deadline")
    assert (await app.core.account(actor)).balance_credits == before
    assert await _refunds(app, job.job_id) == 1
    async with app.uow() as uow:
        count = await uow.conn.scalar(
            select(func.count()).select_from(images).where(images.c.job_id == job.job_id)
        )
    assert count == 0
