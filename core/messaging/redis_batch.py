"""Group commit for Redis: commands that concurrent tasks issue at about the same
moment go out in one pipeline, one round trip.

A worker running 32 jobs issues a few small commands per job (publish an event, ack a
wake-up, release a slot); each alone costs a round trip and two system calls, which on
loopback cost more CPU than the command itself. Here the first command of a quiet
moment is sent at once, and whatever arrives while that round trip is in flight rides
on the next one. Each caller still gets its own reply, or its own error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

__all__ = ["RedisBatcher"]

# Puts commands on the pipeline; what it returns (the pipeline's own command methods
# return the pipeline, or an awaitable in redis-py's types) is ignored.
AddCommands = Callable[[Pipeline], object]


class RedisBatcher:
    """Send commands through shared pipelines (``transaction=False``: no MULTI).

    Args:
        redis: the client; the caller owns its lifetime.
        max_commands: callers per pipeline at most.
    """

    def __init__(self, redis: Redis, *, max_commands: int = 256) -> None:
        self._redis = redis
        self._max = max_commands
        self._pending: list[tuple[AddCommands, asyncio.Future]] = []
        self._flusher: asyncio.Task | None = None

    async def call(self, add: AddCommands) -> list[Any]:
        """Queue the commands ``add`` puts on a pipeline; returns their replies in order.

        Raises:
            whatever the round trip raised, or the first error reply among ours.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        self._pending.append((add, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush(), name="redis-batch")
        return await future

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[: self._max], self._pending[self._max :]
            batch = [(add, future) for add, future in batch if not future.cancelled()]
            if not batch:
                continue
            spans: list[tuple[int, int]] = []
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for add, _ in batch:
                        start = len(pipe.command_stack)
                        add(pipe)
                        spans.append((start, len(pipe.command_stack)))
                    replies = await pipe.execute(raise_on_error=False)
            except BaseException as exc:
                failure = exc if isinstance(exc, Exception) else ConnectionError("cancelled")
                for _, future in batch:
                    if not future.done():
                        future.set_exception(failure)
                if not isinstance(exc, Exception):
                    for _, future in self._pending:  # nobody will send these now
                        if not future.done():
                            future.set_exception(failure)
                    self._pending = []
                    raise
                continue
            for (_, future), (start, end) in zip(batch, spans, strict=True):
                if future.done():
                    continue
                ours = replies[start:end]
                error = next((r for r in ours if isinstance(r, Exception)), None)
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(ours)
