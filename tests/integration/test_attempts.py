"""Two workers on one database and one storage, on SQLite and PostgreSQL: an attempt owns
only what it wrote. A worker whose lease ran out while it stalled must not delete the
images of the worker that ran the job again and won, and the heartbeat that finds the
lease gone stops the stale attempt, which deletes its own objects and hands nothing back.
Control is by events (a provider or a storage put that waits), never by sleeping."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.bootstrap import bootstrap
from core.clock import utcnow
from core.db.tables import jobs
from core.jobs import lifecycle as gen
from core.providers import GenerationResult
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user

TARGET = ReplyTarget("test", {})
A_TAG, B_TAG = b"<worker-a>", b"<worker-b>"
GUARD_S = 20.0  # a bound on waiting for a stuck task, never a synchronisation


class TaggedProvider:
    """Wraps a provider so that its images end with ``tag`` (PNG readers ignore trailing
    bytes): storage then tells whose image it holds. With ``gate`` its first call waits
    for the gate after drawing, and records whether that wait was cancelled; with
    ``swallow_cancel`` it then returns all the same (as Python 3.11's ``wait_for`` can)."""

    def __init__(
        self, inner, tag: bytes, *, gate: asyncio.Event | None = None, swallow_cancel=False
    ) -> None:
        self.inner, self.tag, self.gate, self.swallow = inner, tag, gate, swallow_cancel
        self.name = inner.name
        self.drawn = asyncio.Event()
        self.cancelled = asyncio.Event()

    async def generate(self, spec) -> GenerationResult:
        result = await self.inner.generate(spec)
        first, self.gate = self.gate, None
        self.drawn.set()
        if first is not None:
            try:
                await first.wait()
            except asyncio.CancelledError:
                self.cancelled.set()
                if not self.swallow:
                    raise
        return GenerationResult([replace(i, data=i.data + self.tag) for i in result.images])


class HoldingStore:
    """The shared store, but a ``put`` waits on ``release`` once its object is written
    (while ``hold`` is set): an attempt caught half-way through storing its result."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.hold = False
        self.written = asyncio.Event()
        self.release = asyncio.Event()
        self.cancelled = asyncio.Event()

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self.inner.put(key, data, content_type)
        if self.hold:
            self.written.set()
            try:
                await self.release.wait()
            except asyncio.CancelledError:
                self.cancelled.set()
                raise


@pytest.fixture
async def workers(settings, engine):
    """Worker A and worker B: two applications on one database and one storage (A's
    storage can hold a put); A's provider waits for a gate, B's does not."""
    async with bootstrap(settings, engine=engine, migrate=False) as b:
        store_a = HoldingStore(b.storage)
        async with bootstrap(settings, engine=engine, migrate=False, storage=store_a) as a:
            a.worker.worker_id, b.worker.worker_id = "worker-a", "worker-b"
            a.providers["local"] = TaggedProvider(a.providers["local"], A_TAG, gate=asyncio.Event())
            b.providers["local"] = TaggedProvider(b.providers["local"], B_TAG)
            yield a, b


async def _submit(app) -> tuple[int, str]:
    actor = Actor("test", unique_user(), locale="en")
    account_id = (await app.core.accept_terms(actor, age_confirmed=True)).account.account_id
    job = await app.core.imagine(actor, ImagineRequest("a cat"), TARGET)
    return account_id, job.job_id


async def _expire_lease(app, job_id: str) -> None:
    async with app.uow() as uow:
        await uow.conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
        await uow.commit()


async def _a_stalls_then_b_takes_over(a, b, stalled: asyncio.Event):
    """A claims a new job and stalls (``stalled`` is set) past its lease; the reconciler
    requeues the job and B runs it to success. Returns the account, job and A's task."""
    account_id, job_id = await _submit(a)
    run_a = asyncio.create_task(a.worker.run_once())
    await stalled.wait()
    await _expire_lease(b, job_id)
    assert await b.worker.recover_once() == 1
    assert await b.worker.run_once() == "succeeded"
    return account_id, job_id, run_a


async def _assert_only_bs_images(b, account_id: int, job_id: str) -> None:
    """The job succeeded, each of its image rows has its object, with B's bytes, and no
    other object of the account is left (A's are gone)."""
    async with b.uow() as uow:
        row = (await uow.conn.execute(select(jobs).where(jobs.c.id == job_id))).one()
        images = (await gen.job_images(uow.conn, [job_id]))[job_id]
    assert (row.status, row.worker_id, len(images)) == ("succeeded", "worker-b", row.image_count)
    for image in images:
        assert (await b.storage.get(image.storage_key)).endswith(B_TAG)
    stored = await b.storage.list_keys(f"images/{account_id}/")
    assert stored == sorted(key for image in images for key in _objects(image))


def _objects(image) -> list[str]:
    """An image row's objects: its original and, in the same attempt folder, its preview."""
    folder = image.storage_key.rsplit("/", 1)[0]
    assert image.preview_key == f"{folder}/{image.position}.preview.jpg"
    return [image.storage_key, image.preview_key]


async def test_a_stale_attempt_that_finishes_leaves_the_winners_images(workers):
    a, b = workers
    gate, stalled = a.providers["local"].gate, a.providers["local"].drawn
    account_id, job_id, run_a = await _a_stalls_then_b_takes_over(a, b, stalled)

    gate.set()  # A wakes up and finishes: it lost
    async with asyncio.timeout(GUARD_S):
        assert await run_a == "lost"
    await _assert_only_bs_images(b, account_id, job_id)


async def test_a_lost_lease_cancels_the_attempt_and_hands_nothing_back(workers):
    a, b = workers
    stalled = a.providers["local"].drawn
    account_id, job_id, run_a = await _a_stalls_then_b_takes_over(a, b, stalled)

    await a.worker.heartbeat()  # finds A's lease gone
    async with asyncio.timeout(GUARD_S):
        assert await run_a == "lost"
    assert a.providers["local"].cancelled.is_set()
    assert a.worker.runner.inflight == set()
    await _assert_only_bs_images(b, account_id, job_id)
    assert await a.worker.run_once() is None  # A's slot is usable, nothing is left to run


async def test_a_lost_lease_deletes_what_the_attempt_had_stored(workers):
    a, b = workers
    a.providers["local"].gate = None  # A draws at once, then holds in its first put
    a.storage.hold = True
    account_id, job_id, run_a = await _a_stalls_then_b_takes_over(a, b, a.storage.written)
    # A's original (its put holds), B's original and preview
    assert len(await b.storage.list_keys(f"images/{account_id}/")) == 3

    await a.worker.heartbeat()
    async with asyncio.timeout(GUARD_S):
        assert await run_a == "lost"
    assert a.storage.cancelled.is_set()
    await _assert_only_bs_images(b, account_id, job_id)


async def test_a_shutdown_hands_the_job_back_and_deletes_its_partial_objects(workers):
    a, b = workers
    a.providers["local"].gate = None
    a.storage.hold = True
    account_id, job_id = await _submit(a)
    run_a = asyncio.create_task(a.worker.run_once())
    await a.storage.written.wait()

    run_a.cancel()  # the worker shuts down
    with pytest.raises(asyncio.CancelledError):
        async with asyncio.timeout(GUARD_S):
            await run_a
    async with a.uow() as uow:
        row = (await uow.conn.execute(select(jobs).where(jobs.c.id == job_id))).one()
    assert (row.status, row.attempts, row.worker_id) == ("queued", 0, None)
    assert await b.storage.list_keys(f"images/{account_id}/") == []
    assert await b.worker.run_once() == "succeeded"
    await _assert_only_bs_images(b, account_id, job_id)


async def test_a_lost_lease_whose_cancellation_is_swallowed_leaves_the_slot_working(workers):
    a, b = workers
    a.providers["local"].swallow = True  # the attempt runs on to its (lost) finish
    account_id, job_id, run_a = await _a_stalls_then_b_takes_over(a, b, a.providers["local"].drawn)

    await a.worker.heartbeat()
    async with asyncio.timeout(GUARD_S):
        assert await run_a == "lost"
    assert a.providers["local"].cancelled.is_set()
    assert run_a.cancelling() == 0  # the slot's next await is not cancelled by it
    await _assert_only_bs_images(b, account_id, job_id)


async def test_a_worker_that_claims_its_stale_job_again_stops_the_older_attempt(workers):
    a, _ = workers
    account_id, job_id = await _submit(a)
    first = asyncio.create_task(a.worker.run_once())
    await a.providers["local"].drawn.wait()
    await _expire_lease(a, job_id)  # A stalled past its lease; its own reconciler requeues
    assert await a.worker.recover_once() == 1

    assert await a.worker.run_once() == "succeeded"  # another slot of A runs it again
    async with asyncio.timeout(GUARD_S):
        assert await first == "lost"
    assert a.providers["local"].cancelled.is_set()
    assert a.worker.runner.inflight == set()
    async with a.uow() as uow:
        images = (await gen.job_images(uow.conn, [job_id]))[job_id]
    assert [(await a.storage.get(i.storage_key)).endswith(A_TAG) for i in images] == [True]
    assert await a.storage.list_keys(f"images/{account_id}/") == sorted(_objects(images[0]))
