"""The age-restricted rule (issue 14, defect 5) in the core, on SQLite and PostgreSQL:
the EFFECTIVE model of every paid request (an explicit model, the account's default,
the catalogue's default, Reroll, the V buttons) is checked against the flag the adapter
passes on the ``Actor`` (``nsfw_allowed``: where the request was made allows it), and
``set_preferences`` refuses an age-restricted default where it could not be used."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.bootstrap import bootstrap
from core import ledger as credits
from core.errors import AgeRestricted
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support.age_restricted import REFUSAL, catalog_with_spicy
from tests.support.fakes import RecordingDelivery

TARGET = ReplyTarget("test", {"chat": "1"})


@pytest.fixture
async def app(settings, engine) -> AsyncIterator:
    async with bootstrap(
        settings, engine=engine, migrate=False, catalog=catalog_with_spicy(settings.catalog_path)
    ) as a:
        yield a


@pytest.fixture
def delivered(app) -> RecordingDelivery:
    recorder = RecordingDelivery()
    app.events.register("test", recorder)
    return recorder


async def _users(app) -> tuple[Actor, Actor]:
    """One person speaking in a place that does not allow age-restricted models, and
    the same person where it does."""
    plain = Actor("test", unique_user(), "Tester", "en", chat_id="1")
    await app.core.accept_terms(plain, age_confirmed=True)
    return plain, replace(plain, chat_id="2", nsfw_allowed=True)


async def _money(app, actor: Actor) -> tuple[int, int, int]:
    """(balance, ledger sum, jobs in history)."""
    view = await app.core.account(actor)
    async with app.uow() as uow:
        ledger = await credits.ledger_sum(uow.conn, view.account_id)
    return view.balance_credits, ledger, len(await app.core.history(actor, limit=50))


async def _refused(app, actor: Actor, call) -> None:
    before = await _money(app, actor)
    with pytest.raises(AgeRestricted) as caught:
        await call()
    assert caught.value.params["model_id"] == "spicy"
    assert app.messages.render(caught.value.key, "en", **caught.value.params).startswith(REFUSAL)
    assert await _money(app, actor) == before  # nothing spent, no job


async def test_an_explicit_model_is_refused_where_not_allowed(app):
    plain, allowed = await _users(app)
    await _refused(
        app, plain, lambda: app.core.imagine(plain, ImagineRequest("x", "spicy"), TARGET)
    )
    job = await app.core.imagine(allowed, ImagineRequest("x", "spicy"), TARGET)
    assert job.model_id == "spicy"


async def test_the_default_model_from_a_preference_is_refused_where_not_allowed(app):
    plain, allowed = await _users(app)
    view = await app.core.set_preferences(allowed, model_id="spicy")  # allowed there
    assert view.default_model == "spicy"
    await _refused(app, plain, lambda: app.core.imagine(plain, ImagineRequest("x"), TARGET))
    job = await app.core.imagine(allowed, ImagineRequest("x"), TARGET)
    assert job.model_id == "spicy"


async def test_the_catalogue_default_is_refused_where_not_allowed(settings, engine):
    catalog = catalog_with_spicy(settings.catalog_path, default="spicy")
    async with bootstrap(settings, engine=engine, migrate=False, catalog=catalog) as app:
        plain, allowed = await _users(app)
        assert app.core.default_model_id == "spicy"
        await _refused(app, plain, lambda: app.core.imagine(plain, ImagineRequest("x"), TARGET))
        assert (await app.core.imagine(allowed, ImagineRequest("x"), TARGET)).model_id == "spicy"


async def test_reroll_and_vary_are_checked_where_clicked(app, delivered):
    plain, allowed = await _users(app)
    job = await app.core.imagine(allowed, ImagineRequest("x", "spicy"), TARGET)
    await app.worker.run(burst=True)
    done = await delivered.wait_for(job.job_id, "finished")
    image_id = done.images[0].image_id
    # Made in an age-restricted place, clicked where it is not allowed: refused.
    await _refused(app, plain, lambda: app.core.reroll(plain, job.job_id, TARGET))
    await _refused(app, plain, lambda: app.core.vary(plain, image_id, TARGET))
    assert (await app.core.reroll(allowed, job.job_id, TARGET)).model_id == "spicy"
    assert (await app.core.vary(allowed, image_id, TARGET)).model_id == "spicy"


async def test_settings_refuse_an_age_restricted_default_where_not_allowed(app):
    plain, _ = await _users(app)
    before = await app.core.account(plain)
    with pytest.raises(AgeRestricted):
        await app.core.set_preferences(plain, model_id="spicy", aspect_ratio="1:1")
    after = await app.core.account(plain)
    assert (after.default_model, after.default_aspect) == (before.default_model, None)


async def test_other_models_are_unaffected_and_the_flag_is_off_by_default(app):
    plain, _ = await _users(app)
    assert Actor("test", "someone").nsfw_allowed is False
    assert (await app.core.imagine(plain, ImagineRequest("x", "preview"), TARGET)).model_id
    assert (await app.core.set_preferences(plain, model_id="preview")).default_model == "preview"
