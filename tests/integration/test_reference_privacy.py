"""Reference images as personal data, on SQLite and on the real PostgreSQL: in /mydata
with their files, gone after /forgetme (rows and objects), deleted one by one with
/delete, and kept for the plan's image retention, then purged."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from core.clock import utcnow
from core.db.tables import accounts, exports, uploads
from core.errors import NotFound
from core.privacy.erase import ErasureChallenge, ErasureReceipt
from core.types import ImagineRequest, ReferenceUpload
from tests.support import upload_images as img
from tests.support.privacy_scan import rows_linked_to, storage_hits
from tests.support.references import TARGET, job_row, new_user, reference_app, upload_rows


@pytest.fixture
async def app(settings, engine):
    async with reference_app(settings, engine) as built:
        yield built


async def _imagine_with(app, actor, *images: bytes, prompt: str = "a cat"):
    refs = tuple(ReferenceUpload(data, "photo.jpg") for data in images)
    job = await app.core.imagine(actor, ImagineRequest(prompt, reference_images=refs), TARGET)
    await app.worker.run(burst=True)
    await app.delivered.wait_for(job.job_id, "finished")
    return job, (await job_row(app, job.job_id)).reference_upload_ids.split(",")


async def _archive(app, export_id: str) -> zipfile.ZipFile:
    async with app.uow() as uow:
        key = await uow.conn.scalar(select(exports.c.storage_key).where(exports.c.id == export_id))
    return zipfile.ZipFile(io.BytesIO(await app.storage.get(key)))


async def test_uploads_are_in_mydata_with_their_files_and_gone_after_forgetme(app):
    actor = await new_user(app)
    account_id = (await app.core.account(actor)).account_id
    job, ids = await _imagine_with(app, actor, img.geotagged_jpeg(), img.png(), prompt="a lynx")
    rows = {r.id: r for r in await upload_rows(app, actor)}

    archive = await _archive(app, (await app.privacy.export(actor)).export_id)
    listed = json.loads(archive.read("uploads.json"))
    assert listed["format"] == "seedream-export" and listed["version"] == 1
    assert [u["upload_id"] for u in listed["uploads"]] == sorted(
        ids, key=lambda i: (rows[i].created_at, i)
    )
    for entry in listed["uploads"]:
        row = rows[entry["upload_id"]]
        assert entry["file"] == f"uploads/{row.id}.jpg" and entry["mime"] == "image/jpeg"
        assert (entry["width_px"], entry["height_px"]) == (row.width_px, row.height_px)
        assert archive.read(entry["file"]) == await app.storage.get(row.storage_key)
    manifest = {f["path"] for f in json.loads(archive.read("manifest.json"))["files"]}
    assert {"uploads.json", *(f"uploads/{i}.jpg" for i in ids)} <= manifest
    (generation,) = json.loads(archive.read("generations.json"))["generations"]
    assert generation["reference_upload_ids"] == ids

    challenge = await app.privacy.forget(actor)
    assert isinstance(challenge, ErasureChallenge)
    receipt = await app.privacy.forget(actor, challenge.code)
    assert isinstance(receipt, ErasureReceipt) and receipt.counts["uploads"] == 2
    async with app.uow() as uow:
        assert await uow.conn.scalar(select(func.count()).select_from(uploads)) == 0
    assert await app.storage.list_keys(f"uploads/{account_id}/") == []
    assert storage_hits(await app.storage.list_keys(""), account_id, ids) == []
    needles = [actor.platform_user_id, "a lynx", job.job_id, *ids]
    assert await rows_linked_to(app.engine, account_id, needles) == []


async def test_delete_takes_an_upload_id_and_a_generated_images_deletion_leaves_them(app):
    actor, other = await new_user(app), await new_user(app)
    job, ids = await _imagine_with(app, actor, img.jpeg(), img.jpeg((20, 20)))
    (image,) = (await app.core.job(actor, job.job_id)).images

    await app.privacy.delete_image(actor, image.image_id)  # the result, not its references
    assert len([r for r in await upload_rows(app, actor) if r.deleted_at is None]) == 2

    with pytest.raises(NotFound) as refused:  # not revealing that the upload exists
        await app.privacy.delete_image(other, ids[0])
    assert type(refused.value) is NotFound
    with pytest.raises(NotFound):
        await app.privacy.delete_image(actor, "no-such-upload")
    gone = next(r for r in await upload_rows(app, actor) if r.id == ids[0])
    await app.privacy.delete_image(actor, f"  {ids[0]} ")
    with pytest.raises(NotFound):  # already deleted
        await app.privacy.delete_image(actor, ids[0])
    after = {r.id: r for r in await upload_rows(app, actor)}
    assert after[ids[0]].deleted_at is not None and after[ids[1]].deleted_at is None
    assert await app.storage.list_keys("uploads/") == [after[ids[1]].storage_key]
    assert gone.storage_key not in await app.storage.list_keys("")

    archive = await _archive(app, (await app.privacy.export(actor)).export_id)
    assert [u["upload_id"] for u in json.loads(archive.read("uploads.json"))["uploads"]] == [ids[1]]


async def test_uploads_follow_the_plans_image_retention_then_the_purge(app):
    free, pro = await new_user(app), await new_user(app)
    pro_id = (await app.core.account(pro)).account_id
    async with app.uow() as uow:
        await uow.conn.execute(update(accounts).where(accounts.c.id == pro_id).values(plan="pro"))
        await uow.commit()
    _, (deleted, kept) = await _imagine_with(app, free, img.jpeg(), img.png())
    await _imagine_with(app, pro, img.jpeg())
    await app.privacy.delete_image(free, deleted)
    grace_days = app.privacy.settings.purge_grace_days
    free_days = app.catalog.plan("free").image_retention_days
    pro_days = app.catalog.plan("pro").image_retention_days

    soon = await app.privacy.purge(now=utcnow() + timedelta(days=grace_days + 1))
    assert (soon.uploads_expired, soon.uploads_purged) == (0, 1)  # the /delete'd one
    expired = await app.privacy.purge(now=utcnow() + timedelta(days=free_days + 1))
    assert expired.uploads_expired == 1  # the free user's other upload; the pro one stays
    assert {r.id for r in await upload_rows(app, free) if r.deleted_at is not None} == {kept}
    assert [k for k in await app.storage.list_keys("uploads/")] == [
        r.storage_key for r in await upload_rows(app, pro)
    ]
    later = await app.privacy.purge(now=utcnow() + timedelta(days=pro_days + 1))
    assert (later.uploads_expired, later.uploads_purged) == (1, 1)  # the free one's grace ran
    assert await app.storage.list_keys("uploads/") == []
    final = await app.privacy.purge(now=utcnow() + timedelta(days=pro_days + grace_days + 2))
    assert final.uploads_purged == 1
    async with app.uow() as uow:
        assert await uow.conn.scalar(select(func.count()).select_from(uploads)) == 0
