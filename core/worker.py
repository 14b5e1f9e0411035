"""The worker: wake on a queue message, claim the fairest job, run it, finish it.

At-least-once everywhere: a message may arrive twice or be lost, a worker may die at
any line. The job row decides: claims are conditional UPDATEs with a lease, the
heartbeat extends the leases of this worker's jobs, and the reconciler (in every
worker) puts back expired leases, fails and refunds jobs out of attempts, re-wakes
claimable jobs nobody was told about, and re-publishes events a dead worker never
sent. Finishing a job (mark + refund + event) is shielded from cancellation.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Row

from core import generation as gen
from core import scheduling as sched
from core.catalog import Catalog
from core.db import UnitOfWorkFactory
from core.delivery import EventBus
from core.errors import (
    ProviderError,
    ProviderPermanent,
    ProviderRateLimited,
    ProviderRefused,
    ProviderTransient,
)
from core.limits import ConcurrencyCap
from core.logctx import job_context
from core.metrics import Metrics
from core.models import utcnow
from core.providers import GenerationResult, GenerationSpec, PromptEnhancer, Provider
from core.providers.circuit import CircuitBreaker
from core.queue import JobQueue, QueueMessage
from core.storage import ObjectStore
from core.types import JobEvent, ReplyTarget
from core.views import image_views

log = logging.getLogger("seedream.worker")

_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    concurrency: int = 2
    job_timeout_s: float = 300.0  # one attempt, all routes included
    heartbeat_interval_s: float = 5.0
    reconcile_interval_s: float = 2.0  # recovery of expired leases
    sweep_interval_s: float = 10.0  # lost wake-ups, undelivered events
    retry_base_delay_s: float = 2.0
    retry_max_delay_s: float = 60.0
    busy_retry_delay_s: float = 1.0  # every route at its concurrency cap
    redeliver_after_s: float = 30.0  # an ended job no adapter took is announced again
    redeliver_for_s: float = 24 * 3600.0
    link_ttl_s: int = 7 * 24 * 3600
    receive_timeout_s: float = 1.0

    @property
    def lease_s(self) -> float:
        # A dead worker's jobs are back in the queue within two heartbeat intervals.
        return self.heartbeat_interval_s * 1.5


def _stop_if_cancelling() -> None:
    """Python 3.11's asyncio.wait_for (used by redis-py around socket I/O) can swallow a
    cancellation that lands as the call completes; a loop must not run on after it."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


class _RetryLater(Exception):
    def __init__(self, delay_s: float, *, count_attempt: bool, reason: str) -> None:
        self.delay_s, self.count_attempt, self.reason = delay_s, count_attempt, reason


class Worker:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        queue: JobQueue,
        providers: dict[str, Provider],
        storage: ObjectStore,
        catalog: Catalog,
        events: EventBus,
        caps: ConcurrencyCap,
        metrics: Metrics,
        settings: WorkerSettings,
        worker_id: str | None = None,
        breaker: CircuitBreaker | None = None,
        enhancer: PromptEnhancer | None = None,
        maintenance: tuple[tuple[float, Callable[[], Awaitable[object]]], ...] = (),
    ) -> None:
        self._uow = uow
        self.maintenance = maintenance  # (interval_s, chore): e.g. the retention purge
        self._queue = queue
        self._providers = providers
        self._storage = storage
        self._catalog = catalog
        self._events = events
        self._caps = caps
        self._metrics = metrics
        self._breaker = breaker or CircuitBreaker()
        self._enhancer = enhancer
        self.settings = settings
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._inflight: set[str] = set()
        self._timers: set[asyncio.Task] = set()
        self._busy = 0
        self._slot_freed = asyncio.Condition()

    # -- loops -----------------------------------------------------------------------

    async def run(self, *, burst: bool = False) -> None:
        """Process jobs until cancelled; with ``burst``, until no claimable job is left."""
        if burst:
            await self.reconcile_once()
            while await self.run_once() is not None:
                pass
            await self._queue.ack(await self._queue.receive(max_count=10_000, timeout_s=0.001))
            return
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(self._heartbeat_forever())
            tasks.create_task(self._recover_forever(tasks))
            tasks.create_task(self._sweep_forever())
            for interval_s, chore in self.maintenance:
                tasks.create_task(self._every(interval_s, chore))
            await self._receive_forever(tasks)

    async def _receive_forever(self, tasks: asyncio.TaskGroup) -> None:
        while True:
            _stop_if_cancelling()
            async with self._slot_freed:
                await self._slot_freed.wait_for(lambda: self._busy < self.settings.concurrency)
                free = self.settings.concurrency - self._busy
            try:
                messages = await self._queue.receive(
                    max_count=min(free, 100), timeout_s=self.settings.receive_timeout_s
                )
            except Exception:
                # Redis restarting or unreachable: keep the process, try again shortly.
                log.warning("queue unreachable; retrying", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            for message in messages:
                self._start(tasks, message)

    def _start(self, tasks: asyncio.TaskGroup, message: QueueMessage) -> None:
        self._busy += 1
        tasks.create_task(self._wake(message))

    async def _wake(self, message: QueueMessage) -> None:
        """One slot: claim for this wake-up, then keep claiming while work is there."""
        try:
            acked = False
            while True:
                _stop_if_cancelling()
                job = await self._claim()
                if not acked:
                    acked = True
                    try:
                        await self._queue.ack([message])
                    except Exception:  # the job (if any) is ours now: run it regardless
                        log.warning("ack failed; the message may be redelivered", exc_info=True)
                if job is None:
                    return
                await self._process(job)
        except Exception:
            log.exception("worker slot crashed; the reconciler will recover its job")
        finally:
            async with self._slot_freed:
                self._busy -= 1
                self._slot_freed.notify_all()

    async def _heartbeat_forever(self) -> None:
        while True:
            _stop_if_cancelling()
            await asyncio.sleep(self.settings.heartbeat_interval_s)
            try:
                await self.heartbeat()
            except Exception:
                log.exception("heartbeat failed")

    async def _recover_forever(self, tasks: asyncio.TaskGroup) -> None:
        """Fast: a dead worker's jobs go back to the queue soon after their lease ends."""
        while True:
            _stop_if_cancelling()
            try:
                await self.recover_once()
                for message in await self._queue.reclaim_stale(min_idle_s=self.settings.lease_s):
                    self._start(tasks, message)
            except Exception:
                log.exception("recovery pass failed")
            await asyncio.sleep(self.settings.reconcile_interval_s)

    async def _sweep_forever(self) -> None:
        """Slow: lost wake-ups and events no adapter took."""
        while True:
            _stop_if_cancelling()
            await asyncio.sleep(self.settings.sweep_interval_s * random.uniform(0.8, 1.2))
            try:
                await self.sweep_once()
            except Exception:
                log.exception("sweep failed")

    async def _every(self, interval_s: float, chore: Callable[[], Awaitable[object]]) -> None:
        """A periodic chore (the purge); every worker runs it, so it must be idempotent."""
        while True:
            _stop_if_cancelling()
            await asyncio.sleep(interval_s * random.uniform(0.9, 1.1))
            try:
                await chore()
            except Exception:
                log.exception("maintenance task failed; retried next period")

    # -- the pieces (public for tests and scripts) --------------------------------------

    async def run_once(self) -> str | None:
        """Claim and run one job. Returns its outcome, or ``None`` when none is claimable."""
        job = await self._claim()
        return None if job is None else await self._process(job)

    async def heartbeat(self) -> None:
        ids = list(self._inflight)
        if not ids:
            return
        async with self._uow() as uow:
            held = await sched.extend_leases(
                uow.conn,
                worker_id=self.worker_id,
                job_ids=ids,
                lease_s=self.settings.lease_s,
                now=utcnow(),
            )
            await uow.commit()
        for job_id in (set(ids) - held) & self._inflight:  # not those that just finished
            log.warning("job=%s lease lost: another worker may run it", job_id)

    async def reconcile_once(self) -> int:
        """One recovery pass and one sweep. Returns how many wake-ups were sent."""
        return await self.recover_once() + await self.sweep_once()

    async def recover_once(self) -> int:
        """Fail (and refund) jobs out of attempts whose worker vanished; put back jobs whose
        lease expired and wake workers for them. Returns how many were put back."""
        now = utcnow()
        async with self._uow() as uow:
            exhausted = await sched.exhausted_job_ids(uow.conn, now=now)
        for job_id in exhausted:
            with job_context(job_id):
                log.warning("job out of attempts after its worker vanished; failing it")
                await asyncio.shield(self._fail(job_id, "attempts_exhausted", ProviderPermanent()))
        async with self._uow() as uow:
            requeued = await sched.requeue_expired(uow.conn, now=now)
            await uow.commit()
        if requeued:
            log.warning("requeued %d job(s) whose worker stopped heartbeating", len(requeued))
            await self._queue.enqueue_many(requeued)
        return len(requeued)

    async def sweep_once(self) -> int:
        """Wake workers for claimable jobs beyond the messages already waiting (wake-ups
        lost between commit and enqueue or in a Redis restart), and announce again up to
        100 ended jobs no adapter took. Returns how many wake-ups were sent."""
        now = utcnow()
        async with self._uow() as uow:
            claimable = await sched.claimable_ids(uow.conn, now=now, limit=200)
            unnotified = await sched.undelivered_finished(
                uow.conn,
                now=now,
                grace_s=self.settings.redeliver_after_s,
                give_up_s=self.settings.redeliver_for_s,
                limit=100,
            )
        wakeups = claimable[self._queue.depth() :]
        if wakeups:
            await self._queue.enqueue_many(wakeups)
        for job in unnotified:
            await self._announce_end(job)
        return len(wakeups)

    # -- one job ---------------------------------------------------------------------

    async def _claim(self) -> Row | None:
        async with self._uow() as uow:
            job = await sched.claim_next(
                uow.conn, worker_id=self.worker_id, lease_s=self.settings.lease_s, now=utcnow()
            )
            await uow.commit()
        if job is not None:
            self._inflight.add(job.id)
        return job

    async def _process(self, job: Row) -> str:
        with job_context(job.id):
            started = time.monotonic()
            try:
                if job.attempts == 1:
                    wait_s = (job.started_at - job.created_at).total_seconds()
                    self._metrics.job_started(job.model_id, max(0.0, wait_s))
                log.info("started attempt=%d model=%s", job.attempts, job.model_id)
                await self._publish(job, "started")
                async with asyncio.timeout(self.settings.job_timeout_s):
                    route, result = await self._generate(job)
                    stored = await self._store(job, result)
            except asyncio.CancelledError:
                # Shutting down: hand the job back at once, this attempt not counted.
                await asyncio.shield(self._retry(job, 0.0, count_attempt=False, reason="shutdown"))
                raise
            except _RetryLater as later:
                return await asyncio.shield(
                    self._retry(
                        job, later.delay_s, count_attempt=later.count_attempt, reason=later.reason
                    )
                )
            except (ProviderRefused, ProviderPermanent) as exc:
                log.warning("failed code=%s", exc.code)
                route = getattr(exc, "route", None)
                return await asyncio.shield(self._fail(job.id, exc.code, exc, job=job, route=route))
            except TimeoutError:
                return await asyncio.shield(self._retry_or_fail(job, "timeout", None))
            except Exception:
                log.exception("attempt crashed")
                return await asyncio.shield(self._retry_or_fail(job, "internal", None))
            finally:
                self._inflight.discard(job.id)
            outcome = await asyncio.shield(self._succeed(job, route, stored))
            if outcome == gen.SUCCEEDED:
                self._metrics.job_finished(
                    job.model_id, route.split(":", 1)[0], "succeeded", time.monotonic() - started
                )
            return outcome

    async def _generate(self, job: Row) -> tuple[str, GenerationResult]:
        model = self._catalog.model(job.model_id)
        if model is None:
            raise ProviderPermanent(reason="model no longer in the catalogue")
        prompt = await self._prompt_for(job)
        last_error: ProviderError | None = None
        all_busy = True
        for route in model.routes:
            name, provider_model = route.split(":", 1)
            provider = self._providers.get(name)
            if provider is None or not self._breaker.allow(name):
                continue
            limits = self._catalog.provider_limits(name)
            cap = f"provider:{name}"
            if not await self._caps.acquire(
                cap,
                job.id,
                limit=limits.max_concurrency,
                lease_s=limits.timeout_s + self.settings.lease_s,
            ):
                continue
            all_busy = False
            spec = GenerationSpec(
                prompt=prompt,
                negative_prompt=job.negative_prompt,
                model=provider_model,
                aspect_ratio=job.aspect_ratio,
                width=job.width_px,
                height=job.height_px,
                seed=job.seed,
                image_count=job.image_count,
            )
            called = time.monotonic()
            try:
                async with asyncio.timeout(limits.timeout_s):
                    result = await provider.generate(spec)
                self._breaker.record_success(name)
                return route, result
            except TimeoutError:
                last_error = ProviderTransient(reason="provider timed out")
                self._breaker.record_failure(name)
            except (ProviderTransient, ProviderRateLimited) as exc:
                last_error = exc
                self._breaker.record_failure(name)
            except ProviderError as exc:  # refused or permanent: no failover, say who
                exc.route = route
                raise
            finally:
                self._metrics.provider_call(name, time.monotonic() - called)
                try:
                    await self._caps.release(cap, job.id)
                except Exception:  # never mask the outcome; the slot's lease runs out anyway
                    log.warning("could not release the %s slot", name, exc_info=True)
            log.warning("route=%s failed code=%s; trying the next route", route, last_error.code)
        if last_error is not None:
            raise _RetryLater(
                self._backoff_s(job, last_error), count_attempt=True, reason=last_error.code
            )
        if all_busy and any(self._providers.get(r.split(":", 1)[0]) for r in model.routes):
            raise _RetryLater(
                self.settings.busy_retry_delay_s, count_attempt=False, reason="providers_busy"
            )
        raise ProviderPermanent(reason="no configured provider serves this model")

    async def _prompt_for(self, job: Row) -> str:
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
        return enhanced[:4000]

    def _backoff_s(self, job: Row, error: ProviderError) -> float:
        retry_after = getattr(error, "retry_after_s", None)
        exponential = self.settings.retry_base_delay_s * 2 ** max(0, job.attempts - 1)
        delay = max(retry_after or 0.0, exponential * random.uniform(0.8, 1.2))
        return min(delay, self.settings.retry_max_delay_s)

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

    # -- endings (always shielded) ---------------------------------------------------------

    async def _retry_or_fail(self, job: Row, reason: str, error: ProviderError | None) -> str:
        if job.attempts < job.max_attempts:
            delay = self._backoff_s(job, error or ProviderTransient())
            return await self._retry(job, delay, count_attempt=True, reason=reason)
        return await self._fail(job.id, reason, error or ProviderTransient(), job=job)

    async def _retry(self, job: Row, delay_s: float, *, count_attempt: bool, reason: str) -> str:
        if count_attempt and job.attempts >= job.max_attempts:
            return await self._fail(job.id, reason, ProviderTransient(), job=job)
        async with self._uow() as uow:
            released = await sched.release_for_retry(
                uow.conn,
                job.id,
                worker_id=self.worker_id,
                not_before=utcnow() + timedelta(seconds=delay_s),
                count_attempt=count_attempt,
            )
            await uow.commit()
        if released:
            log.info("retry in %.1fs reason=%s", delay_s, reason)
            if count_attempt:
                self._metrics.job_retried(job.provider_route or "-", reason)
            self._wake_later(job.id, delay_s)
        return "retry"

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

    async def _succeed(self, job: Row, route: str, stored: list[gen.StoredImage]) -> str:
        async with self._uow() as uow:
            won = await gen.complete(
                uow.conn, job, worker_id=self.worker_id, provider_route=route, stored=stored
            )
            await uow.commit()
        if not won:
            log.warning("lease lost before finishing; result discarded")
            await self._storage.delete_many([s.storage_key for s in stored])
            return "lost"
        async with self._uow() as uow:
            finished = await gen.get_job(uow.conn, job.id)
        log.info("succeeded route=%s images=%d", route, len(stored))
        await self._announce_end(finished)
        return gen.SUCCEEDED

    async def _fail(
        self,
        job_id: str,
        code: str,
        error: ProviderError,
        *,
        job: Row | None = None,
        route: str | None = None,
    ) -> str:
        async with self._uow() as uow:
            row = await gen.end_unsuccessfully(
                uow.conn,
                job_id,
                status=gen.FAILED,
                error_code=code,
                from_states=(gen.QUEUED, gen.RUNNING),
                worker_id=self.worker_id if job is not None else None,
                provider_route=route,  # which service refused or failed
            )
            await uow.commit()
        if row is None:
            return "lost"
        self._metrics.job_finished(
            row.model_id, (row.provider_route or "-").split(":")[0], "failed", 0.0
        )
        if row.cost_credits:
            self._metrics.refunded(row.cost_credits)
        await self._announce_end(row, error=error)
        return gen.FAILED

    async def _announce_end(self, job: Row, *, error: ProviderError | None = None) -> None:
        """Publish a finished job's event once it is safe in the database, then record that
        it was handed on (the reconciler re-announces jobs a dead worker never did)."""
        if job.status == gen.SUCCEEDED:
            async with self._uow() as uow:
                rows = (await gen.job_images(uow.conn, [job.id]))[job.id]
            links = await image_views(rows, self._storage, link_ttl_s=self.settings.link_ttl_s)
            await self._publish(job, "finished", images=links)
        elif job.status == gen.FAILED:
            error = error or ProviderPermanent()
            await self._publish(
                job,
                "failed",
                error_key=error.key,
                error_params=dict(error.params),
                refunded_credits=job.cost_credits,
            )
        elif job.status == gen.CANCELLED:
            await self._publish(job, "cancelled", refunded_credits=job.cost_credits)
        async with self._uow() as uow:
            await sched.mark_notified(uow.conn, job.id, now=utcnow())
            await uow.commit()

    async def _publish(self, job: Row, kind: str, **fields) -> None:
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
