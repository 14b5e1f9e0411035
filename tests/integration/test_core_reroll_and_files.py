"""Core additions for the chat adapters, on SQLite and PostgreSQL: ``reroll`` submits a
job again as a new paid job; the full-resolution files preference is kept."""

from __future__ import annotations

import pytest

from core.errors import InvalidOption, NotFound, TermsNotAccepted
from core.jobs.lifecycle import get_job
from core.jobs.requests import parse_settings_text
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user

TARGET = ReplyTarget("test", {"chat": "1"})


async def _accepted(app) -> Actor:
    actor = Actor("test", unique_user(), None, "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor


async def test_reroll_repeats_the_request_with_a_new_seed_and_charges_again(app):
    actor = await _accepted(app)
    request = ImagineRequest(
        "a fox", aspect_ratio="16:9", seed=5, negative_prompt="text", image_count=2
    )
    first = await app.core.imagine(actor, request, TARGET)
    again = await app.core.reroll(actor, first.job_id, TARGET)
    assert again.job_id != first.job_id
    async with app.uow() as uow:
        a = await get_job(uow.conn, first.job_id)
        b = await get_job(uow.conn, again.job_id)
    assert (b.prompt, b.negative_prompt, b.aspect_ratio, b.image_count, b.model_id) == (
        a.prompt,
        a.negative_prompt,
        a.aspect_ratio,
        a.image_count,
        a.model_id,
    )
    assert b.seed != 5 or b.seed is None
    assert (await app.core.account(actor)).balance_credits == 20 - 2 * first.cost_credits


async def test_reroll_of_someone_elses_job_is_not_found(app):
    owner, other = await _accepted(app), await _accepted(app)
    job = await app.core.imagine(owner, ImagineRequest("a fox"), TARGET)
    with pytest.raises(NotFound):
        await app.core.reroll(other, job.job_id, TARGET)
    with pytest.raises(TermsNotAccepted):
        await app.core.reroll(Actor("test", unique_user()), job.job_id, TARGET)
    assert (await app.core.account(other)).balance_credits == 20


async def test_full_resolution_files_preference(app):
    actor = await _accepted(app)
    assert not (await app.core.account(actor)).deliver_as_file
    view = await app.core.set_preferences(actor, **parse_settings_text("--file on"))
    assert view.deliver_as_file
    view = await app.core.set_preferences(actor, aspect_ratio="16:9")
    assert view.deliver_as_file  # untouched by other changes
    view = await app.core.set_preferences(actor, **parse_settings_text("--file off"))
    assert not view.deliver_as_file
    with pytest.raises(InvalidOption) as refused:
        parse_settings_text("--file sometimes")
    assert refused.value.reason == "not_on_off"


async def test_private_replies_preference(app):
    actor = await _accepted(app)
    assert not (await app.core.account(actor)).private_replies
    view = await app.core.set_preferences(actor, **parse_settings_text("--private on"))
    assert view.private_replies and not view.deliver_as_file
    view = await app.core.set_preferences(actor, language="en")
    assert view.private_replies  # untouched by other changes
    assert (await app.core.find_account(actor)).private_replies
    view = await app.core.set_preferences(actor, **parse_settings_text("--private off"))
    assert not view.private_replies
    with pytest.raises(InvalidOption) as refused:
        parse_settings_text("--private maybe")
    assert refused.value.reason == "not_on_off"
    assert not (await app.core.account(actor)).private_replies
