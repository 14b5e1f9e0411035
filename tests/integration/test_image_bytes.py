"""``Core.image_bytes``: the stored bytes of a result, for an adapter that must upload
them (Telegram takes documents by link only for GIF, PDF and ZIP), on SQLite and
PostgreSQL; nothing once the image is deleted."""

from __future__ import annotations

from sqlalchemy import update

from core.db.tables import images
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user

TARGET = ReplyTarget("test", {"chat": "1"})


async def test_image_bytes_reads_the_stored_result_and_nothing_once_deleted(app):
    actor = Actor("test", unique_user(), "Tester", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    job = await app.core.imagine(actor, ImagineRequest("a red fox", image_count=2), TARGET)
    await app.worker.run(burst=True)
    first, second = (await app.core.job(actor, job.job_id)).images

    data = await app.core.image_bytes(first.image_id)
    assert data is not None and data.startswith(b"\x89PNG")
    assert data != await app.core.image_bytes(second.image_id)

    await app.privacy.delete_image(actor, first.image_id)
    assert await app.core.image_bytes(first.image_id) is None
    assert await app.core.image_bytes("no-such-image") is None
    assert await app.core.image_bytes(second.image_id) is not None


async def test_image_bytes_of_a_preview_and_of_an_image_without_one(app):
    actor = Actor("test", unique_user(), "Tester", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    job = await app.core.imagine(actor, ImagineRequest("a red fox"), TARGET)
    await app.worker.run(burst=True)
    [image] = (await app.core.job(actor, job.job_id)).images

    preview = await app.core.image_bytes(image.image_id, preview=True)
    assert preview is not None and preview.startswith(b"\xff\xd8\xff")  # a JPEG
    assert preview != await app.core.image_bytes(image.image_id)
    async with app.uow() as uow:  # an image from before previews
        await uow.conn.execute(
            update(images).where(images.c.id == image.image_id).values(preview_key=None)
        )
        await uow.commit()
    assert await app.core.image_bytes(image.image_id, preview=True) is None


async def test_delivery_outcomes_are_counted_per_platform(app):
    app.core.record_delivery("telegram", "blocked")
    app.core.record_delivery("telegram", "blocked")
    sample = app.metrics.registry.get_sample_value(
        "seedream_deliveries_total", {"platform": "telegram", "outcome": "blocked"}
    )
    assert sample == 2.0
