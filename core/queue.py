"""JobQueue port: a wake-up call for workers. The job row in the database is the truth;
a lost message only delays a job until the reconciler finds it."""

from __future__ import annotations

import asyncio
from typing import Protocol


class JobQueue(Protocol):
    async def enqueue(self, job_id: str) -> None:
        """Ask a worker to look at ``job_id``. Enqueuing a job twice is harmless."""

    async def receive(self, *, timeout_s: float) -> str | None:
        """The next job id, or ``None`` after ``timeout_s`` with nothing to do."""

    async def ack(self, job_id: str) -> None:
        """The worker is done with this delivery (whatever the job's outcome)."""

    def depth(self) -> int:
        """Messages waiting, as far as this process can tell."""


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

    async def receive(self, *, timeout_s: float) -> str | None:
        try:
            async with asyncio.timeout(timeout_s):
                job_id = await self._queue.get()
        except TimeoutError:
            return None
        self._waiting.discard(job_id)
        return job_id

    async def ack(self, job_id: str) -> None:
        return None

    def depth(self) -> int:
        return self._queue.qsize()
