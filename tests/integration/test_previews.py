"""Chat previews through bootstrap, on SQLite and on the real PostgreSQL (whose success
is the raw-SQL path of core.jobs.store): made once per image next to its original, linked
from every image view and the finished event, deleted, purged and exported with it; a
preview that cannot be made leaves the job a success without one."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import timedelta

from PIL import Image
from sqlalchemy import select, update

import core.jobs.attempts as attempts_module
from core.clock import utcnow
from core.db.tables import exports, images
from core.providers import GeneratedImage, GenerationResult
from core.storage.derivatives import PREVIEW_MAX_SIDE_PX
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support.fakes import RecordingDelivery

TARGET = ReplyTarget("test", {"chat": "1"})
PROMPT = "a lighthouse in a storm"


class LargePngProvider:
    """Serves the ``local`` routes with 2048 x 1536 PNGs with an alpha channel."""

    name = "local"

    def __init__(self) -> None:
        image = Image.new("RGBA", (2048, 1536), (30, 120, 200, 255))
        image.paste((0, 0, 0, 0), (0, 0, 512, 1536))  # a transparent band
        out = io.BytesIO()
        image.save(out, "PNG")
        self.data = out.getvalue()

    async def generate(self, spec) -> GenerationResult:
        return GenerationResult(
            [GeneratedImage(self.data, "image/png", 2048, 1536)] * spec.image_count
        )


async def _user(app) -> Actor:
    actor = Actor("test", unique_user(), "Tester", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor


async def _generate(app, actor: Actor, count: int = 1) -> str:
    job = await app.core.imagine(actor, ImagineRequest(PROMPT, image_count=count), TARGET)
    await app.worker.run(burst=True)
    return job.job_id


async def _rows(app, job_id: str):
    async with app.uow() as uow:
        return (
            await uow.conn.execute(
                select(images).where(images.c.job_id == job_id).order_by(images.c.position)
            )
        ).all()


def _media_key(url: str) -> str:
    """The object key behind a signed local link (``…/media/<key>?…``)."""
    return url.split("/media/", 1)[1].split("?", 1)[0]


async def test_each_image_gets_a_preview_next_to_its_original_linked_everywhere(app):
    app.providers["local"] = LargePngProvider()
    delivered = RecordingDelivery()
    app.events.register("test", delivered)
    actor = await _user(app)
    job_id = await _generate(app, actor, count=2)

    rows = await _rows(app, job_id)
    assert len(rows) == 2
    for row in rows:
        folder = row.storage_key.rsplit("/", 1)[0]
        assert row.preview_key == f"{folder}/{row.position}.preview.jpg"
        preview = Image.open(io.BytesIO(await app.storage.get(row.preview_key)))
        assert preview.format == "JPEG"
        assert (row.preview_width_px, row.preview_height_px) == preview.size
        assert preview.size == (PREVIEW_MAX_SIDE_PX, 960)
        assert row.preview_mime == "image/jpeg"
        assert row.preview_size_bytes == len(await app.storage.get(row.preview_key))
        assert row.preview_size_bytes < row.size_bytes
        assert preview.convert("RGB").getpixel((10, 10)) >= (245, 245, 245)  # alpha on white

    event = await delivered.wait_for(job_id, "finished")
    view = await app.core.job(actor, job_id)
    history = await app.core.history(actor)
    for images_seen in (event.images, view.images, history[0].images):
        assert [_media_key(i.url) for i in images_seen] == [r.storage_key for r in rows]
        assert [_media_key(i.preview_url) for i in images_seen] == [r.preview_key for r in rows]


async def test_a_preview_that_cannot_be_made_leaves_the_job_a_success_without_one(
    app, monkeypatch, caplog
):
    def broken(data: bytes, mime: str):
        raise ValueError("decoder exploded")

    monkeypatch.setattr(attempts_module, "make_preview", broken)
    caplog.set_level(logging.INFO)
    actor = await _user(app)
    job_id = await _generate(app, actor)

    view = await app.core.job(actor, job_id)
    assert view.status == "succeeded"
    [image] = view.images
    assert image.preview_url is None and image.url
    [row] = await _rows(app, job_id)
    assert (row.preview_key, row.preview_mime, row.preview_width_px) == (None, None, None)
    assert (row.preview_height_px, row.preview_size_bytes) == (None, None)
    account_id = (await app.core.account(actor)).account_id
    assert await app.storage.list_keys(f"images/{account_id}/") == [row.storage_key]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "no preview for image 0" in logged
    assert PROMPT not in logged and "\\x89PNG" not in logged


async def test_images_from_before_previews_keep_working(app):
    actor = await _user(app)
    job_id = await _generate(app, actor)
    [row] = await _rows(app, job_id)
    await app.storage.delete_many([row.preview_key])
    async with app.uow() as tx:  # as migration 0016 left an older image
        await tx.conn.execute(
            update(images).where(images.c.id == row.id).values(preview_key=None, preview_mime=None)
        )
        await tx.commit()
    [image] = (await app.core.job(actor, job_id)).images
    assert image.preview_url is None and _media_key(image.url) == row.storage_key
    result = await app.privacy.export(actor)
    archive = await _archive(app, result.export_id)
    [entry] = json.loads(archive.read("generations.json"))["generations"][0]["images"]
    assert entry["preview"] is None and entry["file"] in archive.namelist()
    await app.privacy.delete_image(actor, image.image_id)
    assert (
        await app.storage.list_keys(f"images/{(await app.core.account(actor)).account_id}/") == []
    )


async def test_delete_removes_the_preview_with_the_original(app):
    actor = await _user(app)
    job_id = await _generate(app, actor, count=2)
    first, second = await _rows(app, job_id)
    await app.privacy.delete_image(actor, first.id)
    account_id = (await app.core.account(actor)).account_id
    left = await app.storage.list_keys(f"images/{account_id}/")
    assert left == sorted([second.storage_key, second.preview_key])


async def test_retention_and_the_purge_remove_previews_too(app):
    actor = await _user(app)
    job_id = await _generate(app, actor, count=2)
    first, _ = await _rows(app, job_id)
    account_id = (await app.core.account(actor)).account_id
    # /delete's own storage delete failed: only the purge is left to remove the objects.
    async with app.uow() as tx:
        await tx.conn.execute(
            update(images).where(images.c.id == first.id).values(deleted_at=utcnow())
        )
        await tx.commit()
    grace_days = app.privacy.settings.purge_grace_days
    purged = await app.privacy.purge(now=utcnow() + timedelta(days=grace_days + 1))
    assert purged.images_purged == 1
    assert first.preview_key not in await app.storage.list_keys(f"images/{account_id}/")
    retention_days = app.catalog.plan("free").image_retention_days
    expired = await app.privacy.purge(now=utcnow() + timedelta(days=retention_days + 1))
    assert expired.images_expired == 1
    assert expired.storage_objects_deleted == 2  # the original and its preview
    assert await app.storage.list_keys(f"images/{account_id}/") == []


async def _archive(app, export_id: str) -> zipfile.ZipFile:
    async with app.uow() as tx:
        key = await tx.conn.scalar(select(exports.c.storage_key).where(exports.c.id == export_id))
    return zipfile.ZipFile(io.BytesIO(await app.storage.get(key)))


async def test_the_export_holds_each_preview_next_to_its_original(app):
    actor = await _user(app)
    job_id = await _generate(app, actor)
    [row] = await _rows(app, job_id)
    result = await app.privacy.export(actor)
    assert result.image_count == 1  # a preview is not one more image
    archive = await _archive(app, result.export_id)
    [entry] = json.loads(archive.read("generations.json"))["generations"][0]["images"]
    assert entry["file"] == f"images/{job_id}-0.png"
    assert entry["preview"] == {
        "file": f"images/{job_id}-0.preview.jpg",
        "mime": "image/jpeg",
        "width_px": row.preview_width_px,
        "height_px": row.preview_height_px,
        "size_bytes": row.preview_size_bytes,
    }
    assert archive.read(entry["preview"]["file"]) == await app.storage.get(row.preview_key)
    manifest = json.loads(archive.read("manifest.json"))
    assert entry["preview"]["file"] in {f["path"] for f in manifest["files"]}
    assert "preview" in archive.read("README.txt").decode()
