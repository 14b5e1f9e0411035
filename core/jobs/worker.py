"""The worker: wake on a queue message, claim the fairest job, run it, finish it.

At-least-once everywhere: a message may arrive twice or be lost, a worker may die at
any line. The job row decides: claims are conditional UPDATEs with a lease, the
heartbeat extends the leases of this worker's jobs, and the reconciler (in every
worker) puts back expired leases, fails and refunds jobs out of attempts, re-wakes
claimable jobs nobody was told about, and re-publishes events a dead worker never
sent. Running one job, and its endings, is core.jobs.runner.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta

from core.catalog import Catalog
from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.errors import ProviderPermanent
from core.jobs import scheduling as sched
from core.jobs.runner import JobRunner
from core.jobs.store import JobStore, job_store_for
from core.jobs.worker_settings import WorkerSettings
from core.messaging.events import EventBus
from core.messaging.limits import ConcurrencyCap
from core.messaging.queue import JobQueue, QueueMessage
from core.observability.analytics import Analytics
from core.observability.health import HealthRecorder
from core.observability.logctx import job_context
from core.observability.metrics import Metrics
from core.providers import PromptEnhancer, Provider
from core.providers.circuit import CircuitBreaker
from core.storage.port import ObjectStore

__all__ = ["Worker", "WorkerSettings"]

log = logging.getLogger("seedream.worker")
HEALTH_FINAL_FLUSH_TIMEOUT_S = 5.0


def _stop_if_cancelling() -> None:
    """Python 3.11's asyncio.wait_for (used by redis-py around socket I/O) can swallow a
    cancellation that lands as the call completes; a loop must not run on after it."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


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
        jobs: JobStore | None = None,
        analytics: Analytics | None = None,
    ) -> None:
        self._uow = uow
        self.maintenance = maintenance  # (interval_s, chore): e.g. the retention purge
        self._queue = queue
        self._events = events
        self.settings = settings
        breaker = breaker or CircuitBreaker()
        worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        # Provider health and circuit states, shared through the database (the dashboard
        # and /metrics of any process read them).
        self.health = HealthRecorder(
            uow, worker_id=worker_id, circuits=lambda: breaker.open_states(providers)
        )
        self.runner = JobRunner(
            uow=uow,
            jobs=jobs or job_store_for(uow),
            queue=queue,
            providers=providers,
            storage=storage,
            catalog=catalog,
            events=events,
            caps=caps,
            metrics=metrics,
            settings=settings,
            worker_id=worker_id,
            breaker=breaker,
            enhancer=enhancer,
            health=self.health,
            analytics=analytics,
        )
        self._busy = 0
        self._slot_freed = asyncio.Condition()

    @property
    def worker_id(self) -> str:
        """The name this worker's leases carry."""
        return self.runner.worker_id

    @worker_id.setter
    def worker_id(self, value: str) -> None:
        self.runner.worker_id = value
        self.health.worker_id = value

    # -- loops -----------------------------------------------------------------------

    async def run(self, *, burst: bool = False) -> None:
        """Process jobs until cancelled; with ``burst``, until no claimable job is left."""
        try:
            if burst:
                await self.reconcile_once()
                while await self.run_once() is not None:
                    pass
                await self._queue.ack(await self._queue.receive(max_count=10_000, timeout_s=0.001))
                return
            await self._announce()
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(self._heartbeat_forever())
                tasks.create_task(self._recover_forever(tasks))
                tasks.create_task(self._sweep_forever())
                tasks.create_task(
                    self._every(self.settings.health_flush_interval_s, self.health.flush)
                )
                tasks.create_task(
                    self._every(self.settings.health_prune_interval_s, self.health.prune)
                )
                for interval_s, chore in self.maintenance:
                    tasks.create_task(self._every(interval_s, chore))
                await self._receive_forever(tasks)
        finally:  # what was counted since the last flush is not lost with the process
            await asyncio.shield(self._final_health_flush(retire=not burst))

    async def _announce(self) -> None:
        """The first heartbeat at once (then one per flush), so a new worker is seen
        before its first flush interval ends."""
        try:
            await self.health.flush()
        except Exception:
            log.warning("could not write the first heartbeat; retried at the next flush")
        else:
            log.info("worker %s heartbeating", self.worker_id)

    async def _final_health_flush(self, *, retire: bool) -> None:
        """``retire``: a long-running worker's clean stop also deletes its heartbeat, so
        it is not reported as a worker that died; a burst run (a script) leaves its
        circuit states for readers to see."""
        try:  # bounded: a database that does not answer must not hold up a shutdown
            async with asyncio.timeout(HEALTH_FINAL_FLUSH_TIMEOUT_S):
                await self.health.flush()
                if retire:
                    await self.health.retire()
        except Exception:
            log.warning("could not write provider health on the way out", exc_info=True)

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
                job = await self.runner.claim()
                if not acked:
                    acked = True
                    try:
                        await self._queue.ack([message])
                    except Exception:  # the job (if any) is ours now: run it regardless
                        log.warning("ack failed; the message may be redelivered", exc_info=True)
                if job is None:
                    return
                await self.runner.process(job)
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
        job = await self.runner.claim()
        return None if job is None else await self.runner.process(job)

    async def heartbeat(self) -> None:
        ids = list(self.runner.inflight)
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
        for job_id in (set(ids) - held) & self.runner.inflight:  # not those that just finished
            # Another worker may run it now: stop this attempt (it deletes only what it
            # wrote, hands nothing back). One already ending is left to its ending.
            stopped = self.runner.attempts.lease_lost(job_id)
            log.warning("job=%s lease lost: another worker may run it; stopped=%s", job_id, stopped)

    async def reconcile_once(self) -> int:
        """One recovery pass and one sweep. Returns how many wake-ups were sent."""
        return await self.recover_once() + await self.sweep_once()

    async def recover_once(self) -> int:
        """Fail (and refund) jobs past their deadline, and jobs out of attempts whose
        worker vanished; put back jobs whose lease expired and wake workers for them.
        Returns how many were put back.

        Every worker runs this: each ending is a conditional UPDATE (one reconciler wins)
        and the refund is keyed by the job in the ledger, so a job ends and is refunded
        once however many reconcilers see it."""
        now = utcnow()
        deadline = timedelta(seconds=self.settings.job_deadline_s)
        async with self._uow() as uow:
            overdue = await sched.overdue_job_ids(uow.conn, created_before=now - deadline)
            exhausted = await sched.exhausted_job_ids(uow.conn, now=now)
        for job_id in overdue:
            with job_context(job_id):
                log.warning("job not finished by its deadline; failing it")
                error = self.runner.deadline_error()
                await asyncio.shield(self.runner.fail(job_id, error.code, error))
        for job_id in set(exhausted) - set(overdue):
            with job_context(job_id):
                log.warning("job out of attempts after its worker vanished; failing it")
                ending = self.runner.fail(job_id, "attempts_exhausted", ProviderPermanent())
                await asyncio.shield(ending)
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
            await self.runner.announce_end(job)
        return len(wakeups)
