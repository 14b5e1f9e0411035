"""/forgetme against a job a worker is drawing at that moment: its result is neither stored
nor delivered afterwards (SQLite and PostgreSQL); and retention: plan-based image
expiry, the purge of soft-deleted data and of expired exports."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select, update

from bot.bootstrap import bootstrap
from core.clock import utcnow
from core.db.tables import accounts, exports, images, jobs
from core.privacy.erase import ErasureChallenge
from core.providers import GenerationSpec
from core.providers.local import LocalProvider
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support.fakes import RecordingDelivery
from tests.support.privacy_scan import rows_linked_to, storage_hits

TARGET = ReplyTarget("test", {"chat": "1"})


class GatedProvider:
    """Draws only once the test opens the gate; says when a drawing has begun."""

    name = "local"

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.gate = asyncio.Event()
        self._inner = LocalProvider()

    async def generate(self, spec: GenerationSpec):
        self.started.set()
        await self.gate.wait()
        return await self._inner.generate(spec)


async def test_forgetme_during_a_running_job_discards_its_result(settings, engine):
    provider = GatedProvider()
    async with bootstrap(
        settings, engine=engine, migrate=False, providers={"local": provider}
    ) as app:
        delivered = RecordingDelivery()
        app.events.register("test", delivered)
        actor = Actor("test", unique_user(), "Runner", "en")
        await app.core.accept_terms(actor, age_confirmed=True)
        account_id = (await app.core.account(actor)).account_id
        job = await app.core.imagine(actor, ImagineRequest("a secret lighthouse"), TARGET)
        running = asyncio.create_task(app.worker.run_once())
        await asyncio.wait_for(provider.started.wait(), timeout=30)
        challenge = await app.privacy.forget(actor)
        assert isinstance(challenge, ErasureChallenge)
        receipt = await app.privacy.forget(actor, challenge.code)
        assert receipt.cancelled_jobs == 1 and receipt.refunded_credits == job.cost_credits
        provider.gate.set()  # the drawing finishes after the erasure
        assert await asyncio.wait_for(running, timeout=60) == "lost"
        assert "finished" not in delivered.kinds(job.job_id)
        async with app.uow() as tx:
            assert await tx.conn.scalar(select(func.count()).select_from(images)) == 0
            assert await tx.conn.scalar(select(func.count()).select_from(jobs)) == 0
        assert storage_hits(await app.storage.list_keys(""), account_id, [job.job_id]) == []
        needles = [actor.platform_user_id, "a secret lighthouse", job.job_id]
        assert await rows_linked_to(app.engine, account_id, needles) == []


async def test_purge_follows_plan_retention_and_removes_deleted_data(app):
    actor = Actor("test", unique_user(), None, "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    job = await app.core.imagine(actor, ImagineRequest("a fox", image_count=2), TARGET)
    await app.worker.run(burst=True)
    first, second = (await app.core.job(actor, job.job_id)).images
    await app.privacy.delete_image(actor, first.image_id)
    export = await app.privacy.export(actor)
    retention_days = app.catalog.plan("free").image_retention_days
    grace_days = app.privacy.settings.purge_grace_days

    soon = await app.privacy.purge(now=utcnow() + timedelta(days=1))
    assert soon.images_expired == 0 and soon.images_purged == 0
    assert soon.exports_deleted == 1  # its 24 h link has expired
    async with app.uow() as tx:
        assert await tx.conn.scalar(select(func.count()).select_from(exports)) == 0
    assert export.export_id not in " ".join(await app.storage.list_keys(""))

    later = utcnow() + timedelta(days=grace_days + 1)
    report = await app.privacy.purge(now=later)
    assert report.images_purged == 1  # the /delete'd image, for good
    expired = await app.privacy.purge(now=utcnow() + timedelta(days=retention_days + 1))
    assert expired.images_expired == 1
    assert (await app.core.job(actor, job.job_id)).images == []  # gone from history
    assert await app.storage.list_keys("images/") == []
    final = await app.privacy.purge(now=utcnow() + timedelta(days=retention_days + grace_days + 2))
    assert final.images_purged == 1
    async with app.uow() as tx:
        assert await tx.conn.scalar(select(func.count()).select_from(images)) == 0
    assert second.image_id  # kept until its plan's retention ran out


async def test_paid_plans_keep_images_longer(app):
    actor = Actor("test", unique_user(), None, "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    account_id = (await app.core.account(actor)).account_id
    async with app.uow() as tx:
        await tx.conn.execute(
            update(accounts).where(accounts.c.id == account_id).values(plan="pro")
        )
        await tx.commit()
    await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    await app.worker.run(burst=True)
    free_days = app.catalog.plan("free").image_retention_days
    pro_days = app.catalog.plan("pro").image_retention_days
    assert pro_days > free_days
    kept = await app.privacy.purge(now=utcnow() + timedelta(days=free_days + 1))
    assert kept.images_expired == 0
    gone = await app.privacy.purge(now=utcnow() + timedelta(days=pro_days + 1))
    assert gone.images_expired == 1


async def test_the_worker_purges_on_its_schedule(app):
    interval_s, chore = app.worker.maintenance[0]
    assert interval_s == app.settings.purge_interval_s and chore == app.privacy.purge
    actor = Actor("test", unique_user(), None, "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    export = await app.privacy.export(actor)
    async with app.uow() as tx:
        await tx.conn.execute(update(exports).values(expires_at=utcnow() - timedelta(seconds=1)))
        await tx.commit()
    purged = asyncio.Event()

    async def purge_then_signal() -> None:
        await app.privacy.purge()
        purged.set()

    app.worker.maintenance = ((0.01, purge_then_signal),)
    worker = asyncio.create_task(app.worker.run())
    try:
        await asyncio.wait_for(purged.wait(), timeout=30)
    finally:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
    assert export.export_id not in " ".join(await app.storage.list_keys(""))
    async with app.uow() as tx:
        assert await tx.conn.scalar(select(func.count()).select_from(exports)) == 0
