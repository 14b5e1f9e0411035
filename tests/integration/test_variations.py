"""Variations (V1..Vn) through the core, on SQLite and on the real PostgreSQL: charged and
queued like /imagine, refused with nothing changed, the source loaded by the worker, a
source deleted before the run failing and refunding once, and the export field."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import AsyncIterator
from dataclasses import fields, replace
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlalchemy import func, select

from bot.bootstrap import bootstrap
from core import ledger as credits
from core.catalog import Moderation, load_catalog
from core.db.tables import exports, jobs, ledger_entries
from core.errors import InsufficientCredits, NotFound, PromptRefused, VariationsUnsupported
from core.jobs.lifecycle import job_images
from core.jobs.moderation import Blocklist
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support.fakes import RecordingDelivery

TARGET = ReplyTarget("test", {"chat": "1"})


@pytest.fixture
async def app(settings, engine) -> AsyncIterator:
    """The shipped catalogue plus "sketch": the offline preview without variations."""
    catalog = load_catalog(settings.catalog_path)
    preview = catalog.models["preview"]
    assert preview.variations  # the shipped catalogue offers them on the preview
    sketch = replace(preview, id="sketch", label="Sketch", variations=False)
    catalog = replace(catalog, models={**catalog.models, "sketch": sketch})
    async with bootstrap(settings, engine=engine, migrate=False, catalog=catalog) as built:
        delivered = RecordingDelivery()
        built.events.register("test", delivered)
        # The app's parts, plus what was delivered to the "test" platform.
        yield SimpleNamespace(
            **{f.name: getattr(built, f.name) for f in fields(built)}, delivered=delivered
        )


async def _user(app) -> Actor:
    actor = Actor("test", unique_user(), "Tester", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor


async def _finished(app, actor: Actor, model_id: str = "preview", count: int = 2):
    job = await app.core.imagine(
        actor, ImagineRequest("a red fox", model_id=model_id, image_count=count), TARGET
    )
    await app.worker.run(burst=True)
    return await app.delivered.wait_for(job.job_id, "finished")


async def _state(app, actor: Actor) -> tuple[int, int, int]:
    """(balance, ledger sum, job count) of the actor's account."""
    view = await app.core.account(actor)
    async with app.uow() as uow:
        ledger = await credits.ledger_sum(uow.conn, view.account_id)
        count = await uow.conn.scalar(
            select(func.count()).select_from(jobs).where(jobs.c.account_id == view.account_id)
        )
    return view.balance_credits, ledger, count


async def _job_row(app, job_id: str):
    async with app.uow() as uow:
        return (await uow.conn.execute(select(jobs).where(jobs.c.id == job_id))).one()


async def _image_keys(app, job_id: str) -> list[str]:
    async with app.uow() as uow:
        return [r.storage_key for r in (await job_images(uow.conn, [job_id]))[job_id]]


async def _image_bytes(app, actor: Actor, job_id: str) -> list[bytes]:
    view = await app.core.job(actor, job_id)
    keys = await _image_keys(app, job_id)
    assert len(keys) == len(view.images)
    return [await app.storage.get(key) for key in keys]


async def test_a_variation_is_a_paid_job_of_the_same_grid_drawn_from_the_image(app):
    actor = await _user(app)
    original = await _finished(app, actor, count=2)
    assert original.can_vary is True
    source = original.images[1]
    before = (await _state(app, actor))[0]

    job = await app.core.vary(actor, source.image_id, TARGET)
    assert job.status == "queued" and job.image_count == 2 and job.cost_credits == 2
    assert job.model_id == "preview" and job.prompt == "a red fox"
    balance, ledger, _ = await _state(app, actor)
    assert balance == ledger == before - 2
    row = await _job_row(app, job.job_id)
    assert row.source_image_id == source.image_id
    assert row.seed is not None  # a new seed: two clicks give two different grids
    async with app.uow() as uow:
        spends = await uow.conn.scalar(
            select(func.count())
            .select_from(ledger_entries)
            .where(ledger_entries.c.reference == job.job_id)
        )
    assert spends == 1

    await app.worker.run(burst=True)
    done = await app.delivered.wait_for(job.job_id, "finished")
    assert app.delivered.kinds(job.job_id) == ["queued", "started", "finished"]
    assert done.can_vary is True and len(done.images) == 2
    assert {i.image_id for i in done.images}.isdisjoint(i.image_id for i in original.images)
    (source_png, *_) = (await _image_bytes(app, actor, original.job_id))[1:]
    variations = await _image_bytes(app, actor, job.job_id)
    assert source_png not in variations and variations[0] != variations[1]
    with Image.open(io.BytesIO(source_png)) as src, Image.open(io.BytesIO(variations[0])) as var:
        assert var.size == src.size
    assert (await _state(app, actor))[:2] == (before - 2, before - 2)  # charged once


async def test_another_users_image_is_not_found_and_nothing_changes(app):
    owner, other = await _user(app), await _user(app)
    image = (await _finished(app, owner, count=1)).images[0]
    owner_before, other_before = await _state(app, owner), await _state(app, other)
    with pytest.raises(NotFound) as caught:
        await app.core.vary(other, image.image_id, TARGET)
    assert caught.value.what == "image"
    assert await _state(app, owner) == owner_before
    assert await _state(app, other) == other_before


@pytest.mark.parametrize("image_id", ["", "   ", "nope", "x" * 200])
async def test_unknown_image_ids_are_not_found(app, image_id):
    actor = await _user(app)
    before = await _state(app, actor)
    with pytest.raises(NotFound):
        await app.core.vary(actor, image_id, TARGET)
    assert await _state(app, actor) == before


async def test_a_deleted_image_cannot_be_varied(app):
    actor = await _user(app)
    image = (await _finished(app, actor, count=1)).images[0]
    await app.privacy.delete_image(actor, image.image_id)
    before = await _state(app, actor)
    with pytest.raises(NotFound):
        await app.core.vary(actor, image.image_id, TARGET)
    assert await _state(app, actor) == before


async def test_a_model_without_variations_refuses_and_charges_nothing(app):
    actor = await _user(app)
    finished = await _finished(app, actor, model_id="sketch", count=1)
    assert finished.can_vary is False  # adapters show no V buttons
    before = await _state(app, actor)
    with pytest.raises(VariationsUnsupported) as caught:
        await app.core.vary(actor, finished.images[0].image_id, TARGET)
    assert caught.value.model_id == "sketch"
    assert app.messages.render(caught.value.key, "en", **caught.value.params).startswith(
        "The model sketch cannot make variations"
    )
    assert await _state(app, actor) == before


@pytest.mark.parametrize("how", ["deleted", "object_gone"])
async def test_a_source_gone_before_the_run_fails_and_refunds_once(app, how):
    actor = await _user(app)
    original = await _finished(app, actor, count=1)
    image = original.images[0]
    before = (await _state(app, actor))[0]
    job = await app.core.vary(actor, image.image_id, TARGET)
    if how == "deleted":
        await app.privacy.delete_image(actor, image.image_id)
    else:  # the object removed from storage behind the database's back
        await app.storage.delete_many(await _image_keys(app, original.job_id))
    assert (await _state(app, actor))[0] == before - 1

    await app.worker.run(burst=True)
    failed = await app.delivered.wait_for(job.job_id, "failed")
    assert failed.error_key == "error.source_image_gone" and failed.refunded_credits == 1
    balance, ledger, _ = await _state(app, actor)
    assert balance == ledger == before
    assert (await _job_row(app, job.job_id)).error_code == "source_gone"
    async with app.uow() as uow:
        refunds = await uow.conn.scalar(
            select(func.count())
            .select_from(ledger_entries)
            .where(ledger_entries.c.reason == "refund", ledger_entries.c.reference == job.job_id)
        )
    assert refunds == 1
    assert await app.worker.run_once() is None  # not retried


async def test_a_reroll_of_a_variation_varies_the_same_image(app):
    actor = await _user(app)
    image = (await _finished(app, actor, count=1)).images[0]
    variation = await app.core.vary(actor, image.image_id, TARGET)
    again = await app.core.reroll(actor, variation.job_id, TARGET)
    assert (await _job_row(app, again.job_id)).source_image_id == image.image_id
    plain = await app.core.reroll(actor, (await app.core.history(actor))[-1].job_id, TARGET)
    assert (await _job_row(app, plain.job_id)).source_image_id is None


async def test_the_export_names_the_varied_image(app):
    actor = await _user(app)
    image = (await _finished(app, actor, count=1)).images[0]
    variation = await app.core.vary(actor, image.image_id, TARGET)
    await app.worker.run(burst=True)
    result = await app.privacy.export(actor)
    async with app.uow() as uow:
        key = await uow.conn.scalar(
            select(exports.c.storage_key).where(exports.c.id == result.export_id)
        )
    archive = zipfile.ZipFile(io.BytesIO(await app.storage.get(key)))
    generations = json.loads(archive.read("generations.json"))["generations"]
    sources = {g["job_id"]: g["source_image_id"] for g in generations}
    assert sources[variation.job_id] == image.image_id
    assert list(sources.values()).count(None) == 1  # the original


async def test_the_accept_path_checks_apply_to_a_variation(app):
    """Moderation of the original prompt (the blocklist changed since) and the balance:
    refused like /imagine, nothing changed."""
    actor = await _user(app)
    image = (await _finished(app, actor, count=2)).images[0]
    app.core.submission.blocklist = Blocklist(Moderation(blocked_words=("fox",)))
    before = await _state(app, actor)
    with pytest.raises(PromptRefused):
        await app.core.vary(actor, image.image_id, TARGET)
    assert await _state(app, actor) == before

    app.core.submission.blocklist = Blocklist(Moderation())
    await app.core.admin_grant(
        actor, -(before[0] - 1), reason="test: leave one credit", operator="test:ops"
    )
    drained = await _state(app, actor)
    with pytest.raises(InsufficientCredits) as caught:
        await app.core.vary(actor, image.image_id, TARGET)  # a grid of 2 costs 2
    assert (caught.value.balance_credits, caught.value.cost_credits) == (1, 2)
    assert await _state(app, actor) == drained
