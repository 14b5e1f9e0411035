"""JobQueue port: a wake-up call for workers.

The job row in the database is the truth and decides which job runs next (see the
fair claim in ``core.jobs.lifecycle``); a message only says "there is work". A lost message
delays a job until the reconciler notices it; a duplicate one is a no-op claim.
Implementations: ``InProcessQueue`` (embedded) and ``core.queue_redis.RedisJobQueue``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Protocol

PAYLOAD_VERSION = 1


@dataclass(frozen=True, slots=True)
class QueueMessage:
    job_id: str
    receipt: str = ""  # the stream entry id; "" in-process
    delivery_count: int = 1


class JobQueue(Protocol):
    async def enqueue(self, job_id: str) -> None:
        """Wake a worker for ``job_id``. Enqueuing a job twice is harmless."""

    async def enqueue_many(self, job_ids: list[str]) -> None:
        """Several wake-ups in one round trip."""

    async def receive(self, *, max_count: int = 1, timeout_s: float) -> list[QueueMessage]:
        """Up to ``max_count`` messages; an empty list after ``timeout_s`` with none."""

    async def ack(self, messages: list[QueueMessage]) -> None:
        """The worker is done with these deliveries (whatever the jobs' outcome)."""

    async def reclaim_stale(self, *, min_idle_s: float, max_count: int = 100) -> list[QueueMessage]:
        """Take over messages delivered to a consumer that stopped acking them for
        ``min_idle_s`` (a dead worker). In-process: nothing to reclaim."""

    def depth(self) -> int:
        """Messages waiting, as last seen by this process (cheap, approximate)."""


class InProcessQueue:
    """The embedded queue: an asyncio queue that drops duplicates still waiting."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._waiting: set[str] = set()

    async def enqueue(self, job_id: str) -> None:
        if job_id in self._waiting:
            return
        self._waiting.add(job_id)
        self._queue.put_nowait(job_id)

    async def enqueue_many(self, job_ids: list[str]) -> None:
        for job_id in job_ids:
            await self.enqueue(job_id)

    async def receive(self, *, max_count: int = 1, timeout_s: float) -> list[QueueMessage]:
        if self._queue.empty():
            try:
                async with asyncio.timeout(timeout_s):
                    first = await self._queue.get()
            except TimeoutError:
                return []
            ids = [first]
        else:
            ids = []
        while len(ids) < max_count and not self._queue.empty():
            ids.append(self._queue.get_nowait())
        for job_id in ids:
            self._waiting.discard(job_id)
        return [QueueMessage(job_id) for job_id in ids]

    async def ack(self, messages: list[QueueMessage]) -> None:
        return None

    async def reclaim_stale(self, *, min_idle_s: float, max_count: int = 100) -> list[QueueMessage]:
        return []

    def depth(self) -> int:
        return self._queue.qsize()
