"""The core through bootstrap, on SQLite and on the real PostgreSQL: terms gating, the
welcome grant, submit → worker → images, failures refunded once, cancel, bad input."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from core import ledger as credits
from core.db.tables import jobs, ledger_entries
from core.errors import (
    AlreadySubmitted,
    Banned,
    InsufficientCredits,
    InvalidOption,
    NotCancellable,
    NotFound,
    ProviderPermanent,
    ProviderRefused,
    TermsNotAccepted,
    UnknownModel,
)
from core.jobs.lifecycle import get_job, job_images, refund
from core.jobs.requests import parse_imagine_text
from core.types import Actor, EffectiveSettings, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support.fakes import CountingProvider, FailingProvider, RecordingDelivery

TARGET = ReplyTarget("test", {"chat": "1"})


async def _accepted_actor(app, platform: str = "test") -> Actor:
    actor = Actor(platform, unique_user(), "Tester", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor


async def _state(app, actor: Actor) -> tuple[int, int, int]:
    """(balance, ledger sum, job count) of the actor's account."""
    view = await app.core.account(actor)
    async with app.uow() as uow:
        ledger = await credits.ledger_sum(uow.conn, view.account_id)
        count = await uow.conn.scalar(
            select(func.count()).select_from(jobs).where(jobs.c.account_id == view.account_id)
        )
    return view.balance_credits, ledger, count


async def test_nothing_works_before_terms(app):
    actor = Actor("test", unique_user())
    with pytest.raises(TermsNotAccepted):
        await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    with pytest.raises(TermsNotAccepted):
        await app.core.credits(actor)
    with pytest.raises(TermsNotAccepted):
        await app.core.history(actor)
    status = await app.core.terms(actor)  # reading the terms is always allowed
    assert status.accepted is False
    assert (await _state(app, actor)) == (0, 0, 0)


async def test_acceptance_needs_age_and_grants_welcome_once(app):
    actor = Actor("test", unique_user())
    with pytest.raises(InvalidOption) as err:
        await app.core.accept_terms(actor, age_confirmed=False)
    assert err.value.field == "age"
    first = await app.core.accept_terms(actor, age_confirmed=True)
    again = await app.core.accept_terms(actor, age_confirmed=True)
    assert first.welcome_credits == app.catalog.welcome_grant_credits > 0
    assert again.welcome_credits == 0
    assert (await _state(app, actor))[:2] == (app.catalog.welcome_grant_credits,) * 2


async def test_policy_change_asks_again(app):
    actor = await _accepted_actor(app)
    app.core.settings = replace(app.core.settings, policy_version="2099-01-01")
    with pytest.raises(TermsNotAccepted) as err:
        await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    assert err.value.policy_version == "2099-01-01"
    assert (await app.core.accept_terms(actor, age_confirmed=True)).welcome_credits == 0
    await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)


async def test_submit_run_and_deliver(app):
    delivered = RecordingDelivery()
    app.events.register("test", delivered)
    actor = await _accepted_actor(app)
    job = await app.core.imagine(
        actor, parse_imagine_text("a red fox --ar 16:9 --seed 7 --n 2 --no text"), TARGET
    )
    assert job.status == "queued" and job.queue_position >= 1
    assert job.cost_credits == 2 and job.aspect_ratio == "16:9" and job.seed == 7
    balance, ledger, _ = await _state(app, actor)
    assert balance == ledger == app.catalog.welcome_grant_credits - 2

    await app.worker.run(burst=True)
    event = await delivered.wait_for(job.job_id, "finished")
    assert delivered.kinds(job.job_id) == ["queued", "started", "finished"]
    queued = await delivered.wait_for(job.job_id, "queued")
    assert queued.queue_position == job.queue_position and queued.account_id == event.account_id
    assert len(event.images) == 2
    assert all(img.url.startswith("http://127.0.0.1:9/media/") for img in event.images)
    assert (event.images[0].width, event.images[0].height) == (1344, 768)
    done = await app.core.job(actor, job.job_id)
    assert done.status == "succeeded" and len(done.images) == 2
    async with app.uow() as uow:  # stored under this attempt's own folder of the job
        first = (await job_images(uow.conn, [job.job_id]))[job.job_id][0]
    account_id = (await app.core.account(actor)).account_id
    assert first.storage_key.startswith(f"images/{account_id}/{job.job_id}/1-")
    data = await app.storage.get(first.storage_key)
    assert data.startswith(b"\x89PNG")
    history = await app.core.history(actor)
    assert [j.job_id for j in history] == [job.job_id]


async def test_duplicate_wakeups_run_the_job_once(app):
    calls = CountingProvider(app.providers["local"])
    app.providers["local"] = calls
    actor = await _accepted_actor(app)
    job = await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    for _ in range(3):
        await app.queue.enqueue(job.job_id)  # at-least-once: the same wake-up again
    await app.worker.run(burst=True)
    assert await app.worker.run_once() is None  # nothing left: no second run
    assert calls.calls == 1
    assert (await app.core.job(actor, job.job_id)).status == "succeeded"


@pytest.mark.parametrize("error", [ProviderPermanent(reason="boom"), ProviderRefused()])
async def test_failure_refunds_exactly_once(app, error):
    provider = FailingProvider(error)
    app.providers["local"] = provider
    delivered = RecordingDelivery()
    app.events.register("test", delivered)
    actor = await _accepted_actor(app)
    before = (await _state(app, actor))[0]
    job = await app.core.imagine(actor, ImagineRequest("a cat", image_count=3), TARGET)
    assert (await _state(app, actor))[0] == before - 3

    await app.worker.run(burst=True)
    failed = await delivered.wait_for(job.job_id, "failed")
    assert failed.refunded_credits == 3 and failed.error_key == error.key
    assert provider.calls == 1
    balance, ledger, _ = await _state(app, actor)
    assert balance == ledger == before

    # A second refund attempt (a retried finalisation, a replay) changes nothing.
    async with app.uow() as uow:
        row = await get_job(uow.conn, job.job_id)
        outcome = await refund(uow.conn, row)
        await uow.commit()
    assert outcome is not None and outcome.applied is False
    assert (await _state(app, actor))[:2] == (before, before)
    async with app.uow() as uow:
        refunds = await uow.conn.scalar(
            select(func.count())
            .select_from(ledger_entries)
            .where(ledger_entries.c.reason == "refund", ledger_entries.c.reference == job.job_id)
        )
    assert refunds == 1
    assert (await app.core.job(actor, job.job_id)).error_code == error.code


async def test_cancel_refunds_and_worker_skips(app):
    actor = await _accepted_actor(app)
    before = (await _state(app, actor))[0]
    job = await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    cancelled = await app.core.cancel(actor)
    assert cancelled.job_id == job.job_id and cancelled.status == "cancelled"
    assert (await _state(app, actor))[:2] == (before, before)
    with pytest.raises(NotCancellable) as ended:  # no longer queued: it says so
        await app.core.cancel(actor, job.job_id)
    assert ended.value.reason == "ended"
    assert await app.worker.run_once() is None


async def test_other_users_job_is_not_found(app):
    owner = await _accepted_actor(app)
    other = await _accepted_actor(app)
    job = await app.core.imagine(owner, ImagineRequest("a cat"), TARGET)
    with pytest.raises(NotFound):
        await app.core.job(other, job.job_id)
    with pytest.raises(NotFound):
        await app.core.cancel(other, job.job_id)


@pytest.mark.parametrize(
    ("text", "error", "field"),
    [
        ("", InvalidOption, "prompt"),
        ("   \t  ", InvalidOption, "prompt"),
        ("x" * 10_000, InvalidOption, "prompt"),
        ("\x00\x07\x1b\x7f\u202e", InvalidOption, "prompt"),
        ("a fox --style raw", InvalidOption, "option"),
        ("a fox --ar 5:1", InvalidOption, "aspect"),
        ("a fox --n 9", InvalidOption, "count"),
        ("a fox --seed -3", InvalidOption, "seed"),
        ("a fox --seed", InvalidOption, "seed"),
        ("a fox --model nope", UnknownModel, None),
    ],
)
async def test_bad_input_changes_nothing(app, text, error, field):
    actor = await _accepted_actor(app)
    before = await _state(app, actor)
    with pytest.raises(error) as err:
        await app.core.imagine(actor, parse_imagine_text(text), TARGET)
    if field is not None:
        assert err.value.field == field
    message = app.messages.render_error(err.value)
    assert message and "{" not in message and "Traceback" not in message
    assert await _state(app, actor) == before


async def test_insufficient_credits_says_balance_and_cost(app):
    actor = await _accepted_actor(app)
    balance = (await _state(app, actor))[0]
    await app.core.admin_grant(actor, -balance + 1, reason="test drain", operator="test:ops")
    with pytest.raises(InsufficientCredits) as err:
        await app.core.imagine(actor, ImagineRequest("a cat", image_count=2), TARGET)
    assert (err.value.balance_credits, err.value.cost_credits) == (1, 2)
    assert "2" in app.messages.render_error(err.value)
    assert (await _state(app, actor))[2] == 0


async def test_banned_user_cannot_generate(app):
    actor = await _accepted_actor(app)
    await app.core.admin_ban(actor, "spam", operator="test:ops")
    with pytest.raises(Banned):
        await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    await app.core.admin_ban(actor, None, operator="test:ops")
    await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)


async def test_reconciler_requeues_lost_wakeups(app):
    actor = await _accepted_actor(app)
    job = await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    lost = await app.queue.receive(max_count=10, timeout_s=0.01)  # the wake-up is lost
    assert [m.job_id for m in lost] == [job.job_id]
    assert await app.queue.receive(timeout_s=0.01) == []
    await app.worker.run(burst=True)  # burst mode reconciles first
    assert (await app.core.job(actor, job.job_id)).status == "succeeded"


async def test_conservation_across_everything(app):
    async with app.uow() as uow:
        assert await credits.conservation_gap(uow.conn) == 0


async def test_preferences_become_defaults_and_are_validated(app):
    actor = await _accepted_actor(app)
    before = await app.core.account(actor)
    view = await app.core.set_preferences(actor, aspect_ratio="9:16", language="en")
    assert (view.default_aspect, view.language) == ("9:16", "en")
    job = await app.core.imagine(actor, ImagineRequest("a tower"), TARGET)
    assert job.aspect_ratio == "9:16"
    with pytest.raises(InvalidOption) as err:
        await app.core.set_preferences(actor, aspect_ratio="7:1")
    assert err.value.field == "aspect"
    with pytest.raises(InvalidOption):
        await app.core.set_preferences(actor, language="xx")
    with pytest.raises(UnknownModel):
        await app.core.set_preferences(actor, model_id="nope")
    after = await app.core.account(actor)
    assert (after.default_aspect, after.language) == ("9:16", "en")
    assert after.default_model == before.default_model


async def test_effective_settings_are_what_a_bare_imagine_gets(app):
    actor = await _accepted_actor(app)
    fresh = app.core.effective_settings(await app.core.account(actor))
    assert fresh.model_id == app.core.default_model_id and fresh.language == "en"
    view = await app.core.set_preferences(actor, aspect_ratio="9:16")
    effective = app.core.effective_settings(view)
    job = await app.core.imagine(actor, ImagineRequest("a tower"), TARGET)
    assert (effective.model_id, effective.aspect_ratio) == (job.model_id, job.aspect_ratio)
    # A stored preference the catalogue no longer offers: the one fallback rule.
    stale = replace(view, default_model="retired", default_aspect="5:1")
    model = app.core.catalog.models[app.core.default_model_id]
    assert app.core.effective_settings(stale) == EffectiveSettings(
        model.id, model.default_aspect, model.aspect_ratios, "en"
    )


async def test_a_replayed_request_key_finds_its_job_and_pays_once(app):
    actor = await _accepted_actor(app)
    balance, _, _ = await _state(app, actor)
    job = await app.core.imagine(actor, ImagineRequest("a heron"), TARGET, request_key="t:1:77")
    with pytest.raises(AlreadySubmitted) as replay:
        await app.core.imagine(actor, ImagineRequest("a heron"), TARGET, request_key="t:1:77")
    assert replay.value.job_id == job.job_id
    with pytest.raises(AlreadySubmitted):  # a reroll carrying the same request is a replay too
        await app.core.reroll(actor, job.job_id, TARGET, request_key="t:1:77")
    assert await _state(app, actor) == (balance - job.cost_credits, balance - job.cost_credits, 1)
    # Another request of the same user, and requests without a key, are new jobs.
    await app.core.imagine(actor, ImagineRequest("a heron"), TARGET, request_key="t:1:78")
    await app.core.imagine(actor, ImagineRequest("a heron"), TARGET)
    assert (await _state(app, actor))[2] == 3
