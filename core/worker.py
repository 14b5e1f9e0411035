"""The worker loop: claim a job, call its provider, store the images, finish the job.

At-least-once: a job id may arrive twice (or be found again by the reconciler); the
conditional claim makes the second delivery a no-op. Finishing (marking the job and
refunding on failure) is shielded from cancellation so a shutdown never leaves a
debited job without an outcome.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass

from sqlalchemy.engine import Row

from core import generation as gen
from core.catalog import Catalog
from core.db import UnitOfWorkFactory
from core.delivery import DeliveryRouter
from core.errors import ProviderError, ProviderPermanent
from core.models import utcnow
from core.providers import GenerationResult, GenerationSpec, Provider
from core.queue import JobQueue
from core.storage import ObjectStore
from core.types import JobEvent, ReplyTarget
from core.views import image_views

log = logging.getLogger("seedream.worker")

_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    concurrency: int = 2
    job_timeout_s: float = 300.0
    lease_margin_s: float = 30.0
    reconcile_interval_s: float = 5.0
    link_ttl_s: int = 7 * 24 * 3600
    receive_timeout_s: float = 1.0


class Worker:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        queue: JobQueue,
        providers: dict[str, Provider],
        storage: ObjectStore,
        catalog: Catalog,
        delivery: DeliveryRouter,
        settings: WorkerSettings,
        worker_id: str | None = None,
    ) -> None:
        self._uow = uow
        self._queue = queue
        self._providers = providers
        self._storage = storage
        self._catalog = catalog
        self._delivery = delivery
        self._settings = settings
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"

    async def run(self, *, burst: bool = False) -> None:
        """Process jobs until cancelled; with ``burst``, until no work is left."""
        await self.reconcile_once()
        if burst:
            while (job_id := await self._queue.receive(timeout_s=0.01)) is not None:
                await self._handle(job_id)
            return
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(self._reconcile_forever())
            for _ in range(max(1, self._settings.concurrency)):
                tasks.create_task(self._consume_forever())

    async def _consume_forever(self) -> None:
        while True:
            job_id = await self._queue.receive(timeout_s=self._settings.receive_timeout_s)
            if job_id is not None:
                await self._handle(job_id)

    async def _reconcile_forever(self) -> None:
        while True:
            await asyncio.sleep(self._settings.reconcile_interval_s)
            try:
                await self.reconcile_once()
            except Exception:
                log.exception("reconcile failed")

    async def _handle(self, job_id: str) -> None:
        try:
            await self.process(job_id)
        except Exception:
            # The job row keeps its state; the reconciler will retry it after its lease.
            log.exception("job=%s processing crashed", job_id)
        finally:
            await self._queue.ack(job_id)

    async def reconcile_once(self) -> int:
        """Fail (and refund) jobs out of attempts; re-enqueue queued or lease-expired
        jobs. Returns how many were re-enqueued."""
        now = utcnow()
        async with self._uow() as uow:
            exhausted = await gen.exhausted_job_ids(uow.conn, now=now)
        for job_id in exhausted:
            await self._finish_failed(job_id, "attempts_exhausted", ProviderPermanent())
        async with self._uow() as uow:
            stale = await gen.stale_job_ids(uow.conn, now=now)
        for job_id in stale:
            await self._queue.enqueue(job_id)
        return len(stale)

    async def process(self, job_id: str) -> str | None:
        """Run one job if it can be claimed. Returns its final status, or ``None``."""
        lease_s = self._settings.job_timeout_s + self._settings.lease_margin_s
        async with self._uow() as uow:
            job = await gen.claim(
                uow.conn, job_id, worker_id=self.worker_id, lease_s=lease_s, now=utcnow()
            )
            await uow.commit()
        if job is None:
            return None
        log.info("job=%s started attempt=%d model=%s", job.id, job.attempts, job.model_id)
        await self._publish(job, "started")
        try:
            async with asyncio.timeout(self._settings.job_timeout_s):
                route, result = await self._generate(job)
                stored = await self._store(job, result)
        except ProviderError as exc:
            log.warning("job=%s failed code=%s", job.id, exc.code)
            return await asyncio.shield(self._finish_failed(job.id, exc.code, exc))
        except TimeoutError:
            log.warning("job=%s timed out after %.0fs", job.id, self._settings.job_timeout_s)
            return await asyncio.shield(self._finish_failed(job.id, "timeout", ProviderPermanent()))
        except Exception:
            log.exception("job=%s failed unexpectedly", job.id)
            return await asyncio.shield(
                self._finish_failed(job.id, "internal", ProviderPermanent())
            )
        return await asyncio.shield(self._finish_succeeded(job, route, stored))

    async def _generate(self, job: Row) -> tuple[str, GenerationResult]:
        model = self._catalog.model(job.model_id)
        if model is None:
            raise ProviderPermanent(reason="model no longer in the catalogue")
        for route in model.routes:
            provider_name, provider_model = route.split(":", 1)
            provider = self._providers.get(provider_name)
            if provider is None:
                continue
            spec = GenerationSpec(
                prompt=job.enhanced_prompt or job.prompt,
                negative_prompt=job.negative_prompt,
                model=provider_model,
                aspect_ratio=job.aspect_ratio,
                width=job.width_px,
                height=job.height_px,
                seed=job.seed,
                image_count=job.image_count,
            )
            return route, await provider.generate(spec)
        raise ProviderPermanent(reason="no configured provider serves this model")

    async def _store(self, job: Row, result: GenerationResult) -> list[gen.StoredImage]:
        if len(result.images) != job.image_count:
            raise ProviderPermanent(reason="provider returned the wrong number of images")
        stored = []
        for position, image in enumerate(result.images):
            ext = _EXTENSIONS.get(image.mime)
            if ext is None:
                raise ProviderPermanent(reason="provider returned an unsupported image type")
            key = f"images/{job.account_id}/{job.id}/{position}.{ext}"
            await self._storage.put(key, image.data, image.mime)
            stored.append(
                gen.StoredImage(
                    position, key, image.mime, image.width, image.height, len(image.data)
                )
            )
        return stored

    async def _finish_succeeded(self, job: Row, route: str, stored: list[gen.StoredImage]) -> str:
        async with self._uow() as uow:
            won = await gen.complete(
                uow.conn, job, worker_id=self.worker_id, provider_route=route, stored=stored
            )
            await uow.commit()
        if not won:
            log.warning("job=%s lost its lease before finishing; result discarded", job.id)
            await self._storage.delete_many([s.storage_key for s in stored])
            return "lost"
        async with self._uow() as uow:
            rows = list((await gen.job_images(uow.conn, [job.id]))[job.id])
        links = await image_views(rows, self._storage, link_ttl_s=self._settings.link_ttl_s)
        log.info("job=%s succeeded route=%s images=%d", job.id, route, len(stored))
        await self._publish(job, "finished", images=links)
        return gen.SUCCEEDED

    async def _finish_failed(self, job_id: str, error_code: str, error: ProviderError) -> str:
        async with self._uow() as uow:
            row = await gen.end_unsuccessfully(
                uow.conn,
                job_id,
                status=gen.FAILED,
                error_code=error_code,
                from_states=(gen.QUEUED, gen.RUNNING),
            )
            await uow.commit()
        if row is None:
            return "lost"
        await self._publish(
            row,
            "failed",
            error_key=error.key,
            error_params=dict(error.params),
            refunded_credits=row.cost_credits,
        )
        return gen.FAILED

    async def _publish(self, job: Row, kind: str, **fields) -> None:
        await self._delivery.publish(
            JobEvent(
                kind=kind,
                job_id=job.id,
                account_id=job.account_id,
                reply_target=ReplyTarget.from_json(job.reply_target),
                locale=job.locale,
                **fields,
            )
        )
