"""/imagine with reference images through the core, on SQLite and on the real PostgreSQL:
stored clean under the account and charged per image, handed to the provider in order;
hostile uploads and every refusal change nothing; a refused accept takes its uploads
back; a Reroll reuses them; one deleted before the run fails the job, refunded once."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from PIL import Image
from sqlalchemy import event, func, select, update

from core.db.tables import accounts, ledger_entries
from core.errors import AlreadySubmitted, InsufficientCredits, ReferenceImageRefused, TooManyQueued
from core.types import ImagineRequest, ReferenceUpload
from tests.support import upload_images as img
from tests.support.references import (
    REFERENCE_COST_CREDITS,
    TARGET,
    job_row,
    new_user,
    reference_app,
    state_of,
    upload_rows,
)


@pytest.fixture
async def app(settings, engine):
    async with reference_app(settings, engine) as built:
        yield built


def _request(*images: bytes, prompt: str = "a cat", **options) -> ImagineRequest:
    refs = tuple(ReferenceUpload(data, f"photo{i}.jpg") for i, data in enumerate(images))
    return ImagineRequest(prompt, reference_images=refs, **options)


async def test_references_are_stored_clean_charged_and_reach_the_provider_in_order(app):
    actor = await new_user(app)
    account_id = (await app.core.account(actor)).account_id
    before = await state_of(app, actor)
    photo, drawing = img.geotagged_jpeg((80, 40)), img.png((40, 30), mode="RGBA")

    job = await app.core.imagine(actor, _request(photo, drawing), TARGET)
    cost = 1 + 2 * REFERENCE_COST_CREDITS  # one image, two references
    assert job.cost_credits == cost and job.balance_credits == before.balance_credits - cost
    row = await job_row(app, job.job_id)
    ids = row.reference_upload_ids.split(",")
    by_id = {r.id: r for r in await upload_rows(app, actor)}
    assert sorted(by_id) == sorted(ids) and row.cost_credits == cost
    first, second = by_id[ids[0]], by_id[ids[1]]
    assert first.storage_key == f"uploads/{account_id}/{first.id}.jpg"
    assert second.storage_key == f"uploads/{account_id}/{second.id}.png"
    assert (first.mime, first.width_px, first.height_px) == ("image/jpeg", 40, 80)  # upright
    assert (second.mime, second.width_px, second.height_px) == ("image/png", 40, 30)
    stored = await app.storage.get(first.storage_key)
    assert first.size_bytes == len(stored)
    for secret in (b"Exif", img.CAMERA_SERIAL.encode(), b"seedream-xmp-secret", b"ICC_PROFILE"):
        assert secret not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif() and not image.getexif().get_ifd(0x8825)  # no GPS
    after = await state_of(app, actor)
    assert after.balance_credits == after.ledger_sum == before.balance_credits - cost
    assert after.upload_objects == tuple(sorted([first.storage_key, second.storage_key]))

    await app.worker.run(burst=True)
    await app.delivered.wait_for(job.job_id, "finished")
    (spec,) = app.provider.specs
    assert spec.model == "preview"
    assert [r.data for r in spec.reference_images] == [
        stored,
        await app.storage.get(second.storage_key),
    ]
    assert [(r.mime, r.width, r.height) for r in spec.reference_images] == [
        ("image/jpeg", 40, 80),
        ("image/png", 40, 30),
    ]
    assert all("/media/uploads/" in r.url for r in spec.reference_images)  # our signed links
    async with app.uow() as uow:
        spends = await uow.conn.scalar(
            select(func.count())
            .select_from(ledger_entries)
            .where(ledger_entries.c.reference == job.job_id)
        )
    assert spends == 1


HOSTILE = {
    "decompression-bomb": img.decompression_bomb_png,
    "huge-ihdr": img.huge_header_png,
    "text-named-png": lambda: img.NOT_AN_IMAGE,
    "0-byte": lambda: b"",
    "animated-gif": img.animated_gif,
    "animated-png": img.animated_png,
}
REASONS = {
    "decompression-bomb": "too_many_pixels",
    "huge-ihdr": "too_many_pixels",
    "text-named-png": "not_an_image",
    "0-byte": "empty",
    "animated-gif": "animated",
    "animated-png": "animated",
}


@pytest.mark.parametrize("kind", list(HOSTILE))
async def test_a_hostile_upload_is_refused_and_changes_nothing(app, kind):
    actor = await new_user(app)
    before = await state_of(app, actor)
    good = img.jpeg()  # taken on its own: nothing of it is kept either
    with pytest.raises(ReferenceImageRefused) as caught:
        await app.core.imagine(actor, _request(good, HOSTILE[kind]()), TARGET)
    assert caught.value.reason == REASONS[kind]
    assert await state_of(app, actor) == before
    assert app.messages.render_error(caught.value, "en").endswith("Nothing was charged.")


async def test_each_refusal_comes_before_anything_is_decoded_or_spent(app):
    actor = await new_user(app)
    account_id = (await app.core.account(actor)).account_id
    before = await state_of(app, actor)

    async def refused(request: ImagineRequest) -> ReferenceImageRefused:
        with pytest.raises(ReferenceImageRefused) as caught:
            await app.core.imagine(actor, request, TARGET)
        assert await state_of(app, actor) == before
        return caught.value

    too_many = await refused(_request(*[img.jpeg()] * 5))
    assert too_many.params == {"reason": "too_many", "max_images": 4, "model_id": "preview"}
    unsupported = await refused(_request(img.jpeg(), model_id="sketch"))
    assert unsupported.params == {"reason": "unsupported", "model_id": "sketch"}
    # Not even opened: a hostile file is refused for what the request is, first.
    assert (await refused(_request(b"", model_id="sketch"))).reason == "unsupported"
    async with app.uow() as uow:
        await uow.conn.execute(
            update(accounts).where(accounts.c.id == account_id).values(plan="lite")
        )
        await uow.commit()
    assert (await refused(_request(img.jpeg()))).reason == "paid_plans_only"
    app.core.settings = replace(app.core.settings, uploads_enabled=False)
    assert (await refused(_request(img.jpeg()))).reason == "disabled"
    # Without references the same account and switch change nothing for /imagine.
    plain = await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    assert plain.cost_credits == 1


async def test_a_balance_short_of_the_reference_cost_is_refused_first(app):
    actor = await new_user(app)
    balance = (await app.core.account(actor)).balance_credits
    await app.core.admin_grant(
        actor, -(balance - 4), reason="test: leave four credits", operator="test:ops"
    )
    before = await state_of(app, actor)
    with pytest.raises(InsufficientCredits) as caught:
        await app.core.imagine(actor, _request(img.jpeg(), img.jpeg()), TARGET)  # costs 5
    assert caught.value.params == {"balance_credits": 4, "cost_credits": 5}
    assert await state_of(app, actor) == before
    job = await app.core.imagine(actor, _request(img.jpeg()), TARGET)  # costs 3
    assert job.balance_credits == 1


async def test_an_accept_refused_after_storing_takes_the_uploads_back(app):
    actor = await new_user(app)
    for _ in range(app.catalog.plan("free").max_queued_jobs):
        await app.core.imagine(actor, ImagineRequest("waiting"), TARGET)
    before = await state_of(app, actor)
    with pytest.raises(TooManyQueued):
        await app.core.imagine(actor, _request(img.jpeg(), img.png()), TARGET)
    assert await state_of(app, actor) == before
    assert before.upload_rows == 0 and before.upload_objects == ()


async def test_a_replayed_request_stores_nothing_twice(app):
    actor = await new_user(app)
    first = await app.core.imagine(actor, _request(img.jpeg()), TARGET, request_key="tg:1:9")
    after_first = await state_of(app, actor)
    assert after_first.upload_rows == 1 and len(after_first.upload_objects) == 1
    with pytest.raises(AlreadySubmitted) as caught:  # found before the images are opened
        await app.core.imagine(actor, _request(b""), TARGET, request_key="tg:1:9")
    assert caught.value.job_id == first.job_id
    assert await state_of(app, actor) == after_first


async def test_a_reroll_draws_from_the_same_uploads_until_one_is_deleted(app):
    actor = await new_user(app)
    job = await app.core.imagine(actor, _request(img.jpeg(), img.png()), TARGET)
    ids = (await job_row(app, job.job_id)).reference_upload_ids
    stored = await state_of(app, actor)
    again = await app.core.reroll(actor, job.job_id, TARGET)
    assert again.cost_credits == job.cost_credits
    assert (await job_row(app, again.job_id)).reference_upload_ids == ids
    after = await state_of(app, actor)
    assert (after.upload_rows, after.upload_objects) == (2, stored.upload_objects)

    await app.privacy.delete_image(actor, ids.split(",")[1])
    before = await state_of(app, actor)
    with pytest.raises(ReferenceImageRefused) as caught:
        await app.core.reroll(actor, job.job_id, TARGET)
    assert caught.value.reason == "gone"
    assert await state_of(app, actor) == before


@pytest.mark.parametrize("how", ["deleted", "object_gone"])
async def test_an_upload_gone_before_the_run_fails_the_job_refunded_once(app, how):
    actor = await new_user(app)
    before = await state_of(app, actor)
    job = await app.core.imagine(actor, _request(img.jpeg(), img.png()), TARGET)
    second_id = (await job_row(app, job.job_id)).reference_upload_ids.split(",")[1]
    if how == "deleted":
        await app.privacy.delete_image(actor, second_id)
    else:  # the object removed behind the database's back
        (row,) = [r for r in await upload_rows(app, actor) if r.id == second_id]
        await app.storage.delete_many([row.storage_key])

    await app.worker.run(burst=True)
    failed = await app.delivered.wait_for(job.job_id, "failed")
    assert failed.error_key == "error.reference_image_gone"
    assert failed.refunded_credits == job.cost_credits
    assert app.provider.specs == []  # nothing was sent anywhere
    assert (await job_row(app, job.job_id)).error_code == "reference_gone"
    after = await state_of(app, actor)
    assert after.balance_credits == after.ledger_sum == before.balance_credits
    assert await app.worker.run_once() is None  # not retried
    text = app.messages.render(failed.error_key, "en", **failed.error_params)
    assert text.startswith("A reference image was deleted") and "refunded" in text


async def test_a_variation_sends_its_source_as_the_one_reference(app):
    actor = await new_user(app)
    job = await app.core.imagine(actor, _request(img.jpeg()), TARGET)
    await app.worker.run(burst=True)
    finished = await app.delivered.wait_for(job.job_id, "finished")
    variation = await app.core.vary(actor, finished.images[0].image_id, TARGET)
    assert variation.cost_credits == 1  # a variation brings no upload of its own
    assert (await job_row(app, variation.job_id)).reference_upload_ids is None
    await app.worker.run(burst=True)
    await app.delivered.wait_for(variation.job_id, "finished")
    source = app.provider.specs[-1].reference_images
    assert len(source) == 1 and source[0].data == await app.core.image_bytes(
        finished.images[0].image_id
    )


async def test_a_request_without_references_takes_the_accept_path_as_before(app):
    """No upload query, no extra transaction: on PostgreSQL the accept stays the one
    driver-level call (nothing through SQLAlchemy at all)."""
    actor = await new_user(app)
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(app.engine.sync_engine, "before_cursor_execute", record)
    try:
        await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", record)
    if app.engine.dialect.name == "postgresql":
        assert statements == []
    else:
        assert not any(re.search(r"\buploads\b", s) for s in statements), statements
        assert sum(s.startswith("BEGIN") for s in statements) <= 1, statements


async def test_the_upload_settings_reach_the_core(settings, engine):
    changed = settings.model_copy(
        update={"uploads_enabled": False, "upload_max_bytes": 1024, "upload_max_megapixels": 2.5}
    )
    async with reference_app(changed, engine) as app:
        core_settings = app.core.settings
        assert (core_settings.uploads_enabled, core_settings.upload_max_bytes) == (False, 1024)
        assert core_settings.upload_max_megapixels == 2.5
        with pytest.raises(ReferenceImageRefused) as caught:
            app.core.check_reference_size(10)
        assert caught.value.reason == "disabled"
