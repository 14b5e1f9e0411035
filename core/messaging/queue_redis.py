"""JobQueue over a Redis stream read by one consumer group (``RedisKeys.jobs_stream``,
group ``RedisKeys.workers_group``).

Each entry carries one field ``p``: JSON ``{"v": PAYLOAD_VERSION, "job_id": ...}`` (never
pickle). Acked entries are deleted at once, so the stream only holds waiting and in-flight
wake-ups. The Redis client is passed in; the caller owns its lifetime.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from core.messaging.keys import RedisKeys
from core.messaging.queue import PAYLOAD_VERSION, QueueMessage
from core.messaging.redis_batch import RedisBatcher

__all__ = ["RedisJobQueue"]

log = logging.getLogger("seedream.queue")

_DEPTH_REFRESH_S = 1.0
_ENQUEUE_CHUNK = 1000
# NOGROUP: the stream or group is gone (Redis restarted empty, key deleted);
# UNBLOCKED: the same thing happened while an XREADGROUP was blocked on it.
_GROUP_LOST = ("NOGROUP", "UNBLOCKED")


def _group_lost(exc: ResponseError) -> bool:
    return str(exc).startswith(_GROUP_LOST)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _job_id(fields: dict[Any, Any] | None) -> str | None:
    """The job id of a well-formed payload; None for anything else (a poison entry)."""
    fields = fields or {}
    raw = fields.get(b"p", fields.get("p"))
    if raw is None:  # no "p" field
        return None
    try:
        payload = json.loads(raw)
    except (ValueError, TypeError):  # bad JSON, or not text
        return None
    if not isinstance(payload, dict) or payload.get("v") != PAYLOAD_VERSION:
        return None
    job_id = payload.get("job_id")
    return job_id if isinstance(job_id, str) and job_id else None


class RedisJobQueue:
    """The :class:`core.queue.JobQueue` port on Redis Streams (at-least-once delivery).

    Args:
        redis: a ``redis.asyncio.Redis``; its ``socket_timeout`` must exceed the
            ``timeout_s`` given to :meth:`receive`.
        keys: where the stream lives.
        consumer: this worker's consumer name, unique per process.
        maxlen_approx: the stream is trimmed to about this many entries (``MAXLEN ~``).
    """

    def __init__(
        self, redis: Redis, *, keys: RedisKeys, consumer: str, maxlen_approx: int = 1_000_000
    ) -> None:
        self._redis = redis
        self._stream = keys.jobs_stream
        self._group = keys.workers_group
        self._consumer = consumer
        self._maxlen_approx = maxlen_approx
        self._depth = 0
        self._depth_seen_at = float("-inf")
        self._batch = RedisBatcher(redis)  # acks and wake-ups of concurrent tasks

    async def ensure_group(self) -> None:
        """Create the stream and its group (reading from the start) unless they exist."""
        try:
            await self._redis.xgroup_create(self._stream, self._group, id="0", mkstream=True)
        except ResponseError as exc:
            if not str(exc).startswith("BUSYGROUP"):
                raise

    async def enqueue(self, job_id: str) -> None:
        """Append one wake-up for ``job_id`` (concurrent ones share a round trip)."""
        payload = json.dumps({"v": PAYLOAD_VERSION, "job_id": job_id})
        stream, maxlen = self._stream, self._maxlen_approx
        await self._batch.call(
            lambda pipe: pipe.xadd(stream, {"p": payload}, maxlen=maxlen, approximate=True)
        )
        if time.monotonic() - self._depth_seen_at >= _DEPTH_REFRESH_S:
            self._depth_seen_at = time.monotonic()  # one refresh at a time
            length, groups = await self._batch.call(
                lambda pipe: (pipe.xlen(stream), pipe.xinfo_groups(stream))
            )
            self._set_depth_from(length=length, groups=groups)
        else:
            self._depth += 1

    async def enqueue_many(self, job_ids: Iterable[str]) -> None:
        """Append wake-ups for all ``job_ids``, pipelined (one round trip per 1000)."""
        ids = list(job_ids)
        for start in range(0, len(ids), _ENQUEUE_CHUNK):
            chunk = ids[start : start + _ENQUEUE_CHUNK]
            async with self._redis.pipeline(transaction=False) as pipe:
                for job_id in chunk:
                    payload = json.dumps({"v": PAYLOAD_VERSION, "job_id": job_id})
                    pipe.xadd(
                        self._stream, {"p": payload}, maxlen=self._maxlen_approx, approximate=True
                    )
                refresh = time.monotonic() - self._depth_seen_at >= _DEPTH_REFRESH_S
                if refresh:  # rides along with the XADDs: no extra round trip
                    pipe.xlen(self._stream)
                    pipe.xinfo_groups(self._stream)
                replies = await pipe.execute()
            if refresh:
                self._set_depth_from(length=replies[-2], groups=replies[-1])
            else:
                self._depth += len(chunk)

    async def receive(self, *, max_count: int = 1, timeout_s: float) -> list[QueueMessage]:
        """Up to ``max_count`` new messages for this consumer, waiting at most
        ``timeout_s`` (0: do not wait). Poison entries (bad JSON, unknown payload
        version) are logged and acked, never returned. If the group is gone (Redis lost
        its data) it is re-created and the read retried once.

        Returns:
            the messages, possibly fewer than ``max_count``; ``[]`` after the timeout.
        """
        block_ms = max(1, round(timeout_s * 1000)) if timeout_s > 0 else None
        try:
            reply = await self._read(max_count, block_ms)
        except ResponseError as exc:
            if not _group_lost(exc):
                raise
            log.warning("queue group %s missing on %s; re-creating it", self._group, self._stream)
            await self.ensure_group()
            reply = await self._read(max_count, block_ms)
        entries = reply[0][1] if reply else []
        # Fewer than asked means nothing else was waiting for the group just now.
        self._depth = 0 if len(entries) < max_count else max(0, self._depth - len(entries))
        return await self._parse(entries, delivery_counts={})

    async def ack(self, messages: list[QueueMessage]) -> None:
        """Acknowledge and delete these deliveries (XACK + XDEL in one round trip)."""
        ids = [m.receipt for m in messages if m.receipt]
        if not ids:
            return
        stream, group = self._stream, self._group
        await self._batch.call(
            lambda pipe: (pipe.xack(stream, group, *ids), pipe.xdel(stream, *ids))
        )

    async def reclaim_stale(self, *, min_idle_s: float, max_count: int = 100) -> list[QueueMessage]:
        """Take over up to ``max_count`` messages delivered to any consumer but not
        acked for ``min_idle_s``: what a SIGKILLed or hung worker held. A new message
        (``receive``) never reaches them again, so XAUTOCLAIM is the only way back.

        Returns:
            the claimed messages, ``delivery_count`` as Redis counts it (2 or more).
        """
        try:
            reply = await self._redis.xautoclaim(
                self._stream,
                self._group,
                self._consumer,
                min_idle_time=max(0, round(min_idle_s * 1000)),
                start_id="0-0",
                count=max_count,
            )
        except ResponseError as exc:
            if not _group_lost(exc):
                raise
            await self.ensure_group()  # a fresh group has nothing pending
            return []
        entries = reply[1]
        # Redis >= 7 drops entries deleted meanwhile from the PEL itself (reply[2]);
        # older servers answer them as nil, handled in _parse.
        ids = [entry_id for entry_id, fields in entries if entry_id is not None and fields]
        counts: dict[str, int] = {}
        if ids:
            async with self._redis.pipeline(transaction=False) as pipe:
                for entry_id in ids:
                    pipe.xpending_range(
                        self._stream, self._group, entry_id, entry_id, 1, self._consumer
                    )
                for rows in await pipe.execute():
                    for row in rows:
                        counts[_text(row["message_id"])] = int(row["times_delivered"])
        return await self._parse(entries, delivery_counts=counts, default_count=2)

    def depth(self) -> int:
        """Messages waiting for the group, as last seen by this process: refreshed at
        most once a second alongside an enqueue, adjusted locally in between."""
        return self._depth

    async def _read(self, max_count: int, block_ms: int | None) -> Any:
        return await self._redis.xreadgroup(
            self._group, self._consumer, {self._stream: ">"}, count=max_count, block=block_ms
        )

    async def _parse(
        self, entries: list[Any], *, delivery_counts: dict[str, int], default_count: int = 1
    ) -> list[QueueMessage]:
        messages: list[QueueMessage] = []
        poison: list[QueueMessage] = []
        for raw_id, fields in entries:
            if raw_id is None:  # deleted meanwhile, id unknown (Redis < 7)
                continue
            entry_id = _text(raw_id)
            job_id = _job_id(fields)
            if job_id is None:
                if fields:  # a deleted entry (nil fields) is simply acked
                    log.error("queue entry %s has an unreadable payload; dropped", entry_id)
                poison.append(QueueMessage("", receipt=entry_id))
                continue
            count = delivery_counts.get(entry_id, default_count)
            messages.append(QueueMessage(job_id, receipt=entry_id, delivery_count=count))
        await self.ack(poison)
        return messages

    def _set_depth_from(self, *, length: int, groups: list[dict[str, Any]]) -> None:
        self._depth_seen_at = time.monotonic()
        group = next((g for g in groups if _text(g.get("name")) == self._group), None)
        if group is None:  # no group yet: everything in the stream is waiting
            self._depth = int(length)
        elif group.get("lag") is not None:  # Redis >= 7 when the stream is unfragmented
            self._depth = int(group["lag"])
        else:  # acked entries are deleted, so the rest is waiting or in flight
            self._depth = max(0, int(length) - int(group.get("pending", 0)))
