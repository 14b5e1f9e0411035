"""Running one claimed job: generate through the model's routes, store the images,
and end the job (succeeded, retried with backoff, or failed and refunded), publishing
its events. The loops that feed it live in ``core.jobs.worker``.

Endings are shielded from cancellation: a job is never left half-finished by a
shutdown. A success is one statement (``core.jobs.store``); its ``finished`` event is
built from what was just written, without reading it back. An attempt owns only the
objects it wrote, and a lost lease stops it without handing the job back
(``core.jobs.attempts``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

from sqlalchemy.engine import Row

from core.catalog import Catalog
from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.errors import (
    JobDeadlineExceeded,
    ProviderError,
    ProviderPermanent,
    ProviderRefused,
    ProviderTransient,
)
from core.jobs import lifecycle as gen
from core.jobs import scheduling as sched
from core.jobs.attempts import Attempts
from core.jobs.claimed import ClaimedJob
from core.jobs.references import load_references
from core.jobs.routes import RetryLater, RouteFailover
from core.jobs.status import JobStatus
from core.jobs.store import JobStore
from core.jobs.variations import load_source
from core.jobs.views import image_views, preview_url
from core.jobs.worker_settings import WorkerSettings
from core.messaging.events import EventBus
from core.messaging.limits import ConcurrencyCap
from core.messaging.queue import JobQueue
from core.observability.analytics import Analytics
from core.observability.health import HealthRecorder
from core.observability.logctx import job_context
from core.observability.metrics import Metrics
from core.providers import GenerationResult, PromptEnhancer, Provider
from core.providers.base import SourceImage
from core.providers.capabilities import seed_used
from core.providers.circuit import CircuitBreaker
from core.storage.port import ObjectStore
from core.types import ImageView, JobEvent, ReplyTarget

log = logging.getLogger("seedream.worker")


def _this_task() -> asyncio.Task:
    task = asyncio.current_task()
    assert task is not None  # attempts run in tasks (the worker's slots)
    return task


class JobRunner:
    """Claims and runs jobs for one worker (``worker_id``); shared by its slots."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        jobs: JobStore,
        queue: JobQueue,
        providers: dict[str, Provider],
        storage: ObjectStore,
        catalog: Catalog,
        events: EventBus,
        caps: ConcurrencyCap,
        metrics: Metrics,
        settings: WorkerSettings,
        worker_id: str,
        breaker: CircuitBreaker,
        enhancer: PromptEnhancer | None,
        health: HealthRecorder | None = None,
        analytics: Analytics | None = None,
    ) -> None:
        self._uow = uow
        self._analytics = analytics or Analytics()
        self._jobs = jobs
        self._queue = queue
        self._storage = storage
        self._catalog = catalog
        self._events = events
        self._metrics = metrics
        self._enhancer = enhancer
        self._settings = settings
        self.worker_id = worker_id
        self.inflight: set[str] = set()
        self.attempts = Attempts()  # the heartbeat stops those whose lease is lost
        self._routes = RouteFailover(
            providers=providers,
            catalog=catalog,
            caps=caps,
            metrics=metrics,
            settings=settings,
            breaker=breaker,
            health=health,
        )
        self._timers: set[asyncio.Task] = set()
        self._enhanced: set[str] = set()  # jobs whose prompt this worker just enhanced

    @property
    def settings(self) -> WorkerSettings:
        return self._settings

    @settings.setter
    def settings(self, settings: WorkerSettings) -> None:
        """New settings reach the route failover too (its timeouts and busy wait)."""
        self._settings = settings
        self._routes.settings = settings

    async def claim(self) -> ClaimedJob | None:
        job = await self._jobs.claim(
            worker_id=self.worker_id, lease_s=self.settings.lease_s, now=utcnow()
        )
        if job is not None:
            self.inflight.add(job.id)
        return job

    async def process(self, job: ClaimedJob) -> str:
        with job_context(job.id):
            started = time.monotonic()
            attempt = self.attempts.start(job)
            self.inflight.add(job.id)
            stored: list[gen.StoredImage] | None = None
            try:
                try:
                    if job.attempts == 1:
                        wait_s = (job.started_at - job.created_at).total_seconds()
                        self._metrics.job_started(job.model_id, max(0.0, wait_s))
                    log.info("started attempt=%d model=%s", job.attempts, job.model_id)
                    await self._publish(job, "started")
                    async with asyncio.timeout(self.settings.job_timeout_s):
                        route, result = await self._generate(job)
                        stored = await attempt.store(
                            self._storage, result, image_count=job.image_count
                        )
                finally:
                    self.attempts.ending(attempt)  # from here a lost lease cancels nothing
            except asyncio.CancelledError:
                if attempt.lease_lost:  # the job is another worker's now: hand nothing back
                    attempt.lease_lost = False
                    log.warning("lease lost; attempt stopped, deleting what it wrote")
                    if _this_task().uncancel() > 0:  # shutting down as well
                        raise
                    return "lost"
                # Shutting down: hand the job back at once, this attempt not counted.
                await asyncio.shield(self._retry(job, 0.0, count_attempt=False, reason="shutdown"))
                raise
            except RetryLater as later:
                return await asyncio.shield(
                    self._retry(
                        job, later.delay_s, count_attempt=later.count_attempt, reason=later.reason
                    )
                )
            except (ProviderRefused, ProviderPermanent) as exc:
                log.warning("failed code=%s", exc.code)
                return await asyncio.shield(
                    self.fail(job.id, exc.code, exc, job=job, route=exc.route)
                )
            except TimeoutError:
                return await asyncio.shield(self._retry_or_fail(job, "timeout", None))
            except Exception:
                log.exception("attempt crashed")
                return await asyncio.shield(self._retry_or_fail(job, "internal", None))
            finally:
                if not self.attempts.running(job.id):  # not if this worker runs it again
                    self.inflight.discard(job.id)
                if attempt.lease_lost:  # the cancellation was swallowed on the way
                    _this_task().uncancel()
                if stored is None:  # an attempt owns only what it wrote
                    await asyncio.shield(attempt.discard(self._storage))
            seed = seed_used(route, job.seed, result.seed)
            outcome = await asyncio.shield(self._succeed(job, route, stored, seed))
            if outcome == JobStatus.SUCCEEDED:
                self._metrics.job_finished(
                    job.model_id,
                    route.split(":", 1)[0],
                    JobStatus.SUCCEEDED,
                    time.monotonic() - started,
                )
                self._analytics.record_job(
                    job.account_id,
                    succeeded=True,
                    model_id=job.model_id,
                    image_count=len(stored),
                )
            return outcome

    async def _generate(self, job: ClaimedJob) -> tuple[str, GenerationResult]:
        model = self._catalog.model(job.model_id)
        if model is None:
            raise ProviderPermanent(reason="model no longer in the catalogue")
        if self.overdue(job):  # the reconciler is about to fail it: spend nothing on it
            raise self.deadline_error()
        prompt = await self._prompt_for(job)
        # What the model draws from: a variation's source image (its one reference), or
        # the images the user brought, in their order.
        source = await load_source(self._uow, self._storage, job)
        references: tuple[SourceImage, ...] = (source,) if source is not None else ()
        references += await load_references(self._uow, self._storage, job)
        return await self._routes.generate(job, model, prompt, references)

    async def _prompt_for(self, job: ClaimedJob) -> str:
        """The prompt to send: the enhanced one when asked for and available. An enhancer
        failure falls back to the original prompt; both are kept on the job."""
        if job.enhanced_prompt:
            return job.enhanced_prompt
        if not job.enhance or self._enhancer is None:
            return job.prompt
        try:
            enhanced = (await self._enhancer.enhance(job.prompt)).strip()
        except ProviderError as exc:
            log.warning("prompt enhancer failed code=%s; using the original prompt", exc.code)
            return job.prompt
        if not enhanced:
            return job.prompt
        async with self._uow() as uow:
            await gen.set_enhanced_prompt(uow.conn, job.id, enhanced[:4000])
            await uow.commit()
        self._enhanced.add(job.id)  # the claimed row does not show it: see _publish
        return enhanced[:4000]

    # -- endings (always shielded) ---------------------------------------------------------

    async def _retry_or_fail(
        self, job: ClaimedJob, reason: str, error: ProviderError | None
    ) -> str:
        if job.attempts < job.max_attempts:
            delay = self._routes.backoff_s(job, error or ProviderTransient())
            return await self._retry(job, delay, count_attempt=True, reason=reason)
        return await self.fail(job.id, reason, error or ProviderTransient(), job=job)

    async def _retry(
        self, job: ClaimedJob, delay_s: float, *, count_attempt: bool, reason: str
    ) -> str:
        if count_attempt and job.attempts >= job.max_attempts:
            return await self.fail(job.id, reason, ProviderTransient(), job=job)
        if self.overdue(job, after_s=delay_s):  # e.g. "providers busy" since submission
            log.warning("not finished by its deadline (last: %s); failing it", reason)
            error = self.deadline_error()
            return await self.fail(job.id, error.code, error, job=job)
        async with self._uow() as uow:
            released = await sched.release_for_retry(
                uow.conn,
                job.id,
                worker_id=self.worker_id,
                # No backoff, no timestamp: "claimable from now" written as utcnow() would
                # compare against the claimer's later utcnow(), and a wall clock that
                # steps back in between (NTP, a loaded VM) would hide the job.
                not_before=utcnow() + timedelta(seconds=delay_s) if delay_s > 0 else None,
                count_attempt=count_attempt,
            )
            await uow.commit()
        if released:
            log.info("retry in %.1fs reason=%s", delay_s, reason)
            if count_attempt:
                self._metrics.job_retried(job.provider_route or "-", reason)
            self._wake_later(job.id, delay_s)
        return "retry"

    def overdue(self, job: ClaimedJob, *, after_s: float = 0.0) -> bool:
        """Will ``job`` be past its deadline (``job_deadline_s`` after its creation)
        ``after_s`` from now?"""
        deadline = job.created_at + timedelta(seconds=self.settings.job_deadline_s)
        return utcnow() + timedelta(seconds=after_s) >= deadline

    def deadline_error(self) -> JobDeadlineExceeded:
        return JobDeadlineExceeded(deadline_min=max(1, round(self.settings.job_deadline_s / 60)))

    def _wake_later(self, job_id: str, delay_s: float) -> None:
        """A wake-up when a retry's backoff ends (the sweep covers it if we die first)."""

        async def wake() -> None:
            await asyncio.sleep(max(0.0, delay_s))
            try:
                await self._queue.enqueue(job_id)
            except Exception:
                log.warning("delayed wake-up failed; the sweep will find the job")

        task = asyncio.get_running_loop().create_task(wake())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    async def _succeed(
        self, job: ClaimedJob, route: str, stored: list[gen.StoredImage], seed: int | None
    ) -> str:
        image_ids = [gen.new_image_id() for _ in stored]
        won = await self._jobs.complete(
            job,
            worker_id=self.worker_id,
            provider_route=route,
            stored=stored,
            image_ids=image_ids,
            now=utcnow(),
            seed_used=seed,
        )
        if not won:
            log.warning("lease lost before finishing; result discarded")
            # This attempt's own keys (core.jobs.attempts): the winner's images are untouched.
            await self._storage.delete_many([key for s in stored for key in s.keys])
            return "lost"
        log.info("succeeded route=%s images=%d", route, len(stored))
        ttl_s = self.settings.link_ttl_s
        links = [
            ImageView(
                image_id=image_id,
                url=await self._storage.url(s.storage_key, expires_s=ttl_s),
                width=s.width_px,
                height=s.height_px,
                mime=s.mime,
                preview_url=await preview_url(
                    self._storage, s.preview.storage_key if s.preview else None, ttl_s
                ),
            )
            for s, image_id in zip(stored, image_ids, strict=True)
        ]
        # notified_at was stamped by complete(): if this publish is lost, the sweep
        # announces the job again after redeliver_after_s, as for any other ending.
        await self._publish(job, "finished", images=links)
        return JobStatus.SUCCEEDED

    async def fail(
        self,
        job_id: str,
        code: str,
        error: ProviderError,
        *,
        job: ClaimedJob | None = None,
        route: str | None = None,
    ) -> str:
        async with self._uow() as uow:
            row = await gen.end_unsuccessfully(
                uow.conn,
                job_id,
                status=JobStatus.FAILED,
                error_code=code,
                from_states=(JobStatus.QUEUED, JobStatus.RUNNING),
                worker_id=self.worker_id if job is not None else None,
                provider_route=route,  # which service refused or failed
            )
            await uow.commit()
        if row is None:
            return "lost"
        self._metrics.job_finished(
            row.model_id, (row.provider_route or "-").split(":")[0], JobStatus.FAILED, 0.0
        )
        if row.cost_credits:
            self._metrics.refunded(row.cost_credits)
        self._analytics.record_job(
            row.account_id,
            succeeded=False,
            model_id=row.model_id,
            image_count=row.image_count,
            code=code,
        )
        await self.announce_end(row, error=error)
        return JobStatus.FAILED

    async def announce_end(self, job: Row, *, error: ProviderError | None = None) -> None:
        """Publish a finished job's event once it is safe in the database, then record that
        it was handed on (the reconciler re-announces jobs a dead worker never did)."""
        if job.status == JobStatus.SUCCEEDED:
            async with self._uow() as uow:
                rows = (await gen.job_images(uow.conn, [job.id]))[job.id]
            links = await image_views(rows, self._storage, link_ttl_s=self.settings.link_ttl_s)
            await self._publish(job, "finished", images=links)
        elif job.status == JobStatus.FAILED:
            if error is None and job.error_code == JobDeadlineExceeded.code:
                error = self.deadline_error()
            error = error or ProviderPermanent()
            await self._publish(
                job,
                "failed",
                error_key=error.key,
                error_params=dict(error.params),
                refunded_credits=job.cost_credits,
            )
        elif job.status == JobStatus.CANCELLED:
            await self._publish(job, "cancelled", refunded_credits=job.cost_credits)
        async with self._uow() as uow:
            await sched.mark_notified(uow.conn, job.id, now=utcnow())
            await uow.commit()

    async def _publish(self, job: ClaimedJob | Row, kind: str, **fields) -> None:
        if kind == "finished":  # adapters offer V1..Vn under results of such models
            model = self._catalog.model(job.model_id)
            fields["can_vary"] = model is not None and model.variations
            enhanced = bool(job.enhanced_prompt) or job.id in self._enhanced
            fields["enhance_skipped"] = bool(job.enhance) and not enhanced
        if kind in ("finished", "failed", "cancelled"):
            self._enhanced.discard(job.id)
        await self._events.publish(
            JobEvent(
                kind=kind,
                job_id=job.id,
                account_id=job.account_id,
                reply_target=ReplyTarget.from_json(job.reply_target),
                locale=job.locale,
                **fields,
            )
        )
