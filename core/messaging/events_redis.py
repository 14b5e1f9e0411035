"""The :class:`core.delivery.EventBus` port on Redis Streams.

Each platform has one stream (``RedisKeys.events_stream(platform)``) read by the group
``RedisKeys.adapters_group``, so whichever adapter process of that platform is alive
delivers the event. Entries carry one field ``p``: :func:`core.delivery.event_to_json`
(never pickle). A marker ``RedisKeys.delivered(job_id, kind)`` (SET NX) hands each event
to the chat once, even when a worker publishes it twice or an entry is redelivered. A
handler that raises is retried (its entry is reclaimed after ``reclaim_idle_s``) until it
was tried ``max_deliveries`` times, then dropped with an error log. The marker is set
before the handler runs: a process killed mid-hand-over loses that event rather than
risking a duplicate. The Redis client is passed in; the caller owns its lifetime.

A session (``register(..., session=True)``: one console run, whose reply targets carry
``{"session": ...}``) has a stream of its own that must not outlive it. Its stream is
made with its group and a TTL of ``session_ttl_s`` by :meth:`RedisEventBus.start_session`
(and again by the consuming loop if Redis lost it); the loop renews the TTL every quarter
of it, so a process that died leaves no key after ``session_ttl_s``, and
:meth:`RedisEventBus.end_session` deletes it at once. A publish to a session target never
creates the stream (``XADD NOMKSTREAM``): an event for an ended session is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.typing import EncodableT, FieldT

from core.messaging.events import (
    TERMINAL_KINDS,
    DeliveryClaims,
    DeliveryHandler,
    PreClaimed,
    deliver_once,
    event_from_json,
    event_to_json,
)
from core.messaging.keys import RedisKeys
from core.messaging.redis_batch import RedisBatcher
from core.types import JobEvent

__all__ = ["RedisEventBus"]

log = logging.getLogger("seedream.delivery")

# A session's stream (and group) outlives the process consuming it by at most this
# long; the loop renews it every quarter of it, so a stall shorter than that is harmless.
SESSION_STREAM_TTL_S = 120
_STREAM_MAXLEN = 100_000
_READ_COUNT = 100
_RECONNECT_DELAY_S = 1.0
# NOGROUP: the stream or group is gone (Redis restarted empty, key deleted);
# UNBLOCKED: the same thing happened while an XREADGROUP was blocked on it.
_GROUP_LOST = ("NOGROUP", "UNBLOCKED")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _payload(fields: Any) -> str | bytes:
    """The event JSON of a stream entry's fields.

    Raises:
        ValueError: no "p" field (nil fields: an entry deleted meanwhile).
    """
    raw = (fields or {}).get(b"p", (fields or {}).get("p"))
    if raw is None:
        raise ValueError("stream entry without a payload")
    return raw


def _stop_if_cancelled() -> None:
    """Re-raise a cancellation that redis-py swallowed: on Python 3.11 its
    ``asyncio.wait_for`` around socket writes can eat a ``cancel()`` that arrives as the
    write completes, which would otherwise leave :meth:`RedisEventBus.consume` running."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


class RedisEventBus:
    """Publish job events to per-platform Redis streams and deliver them exactly once.

    Args:
        redis: a ``redis.asyncio.Redis``; its ``socket_timeout`` (if any) must exceed
            ``block_timeout_s``.
        keys: where the streams and delivery markers live.
        consumer: this process's consumer name, unique per adapter process.
        delivered_ttl_s: how long a delivery marker suppresses a repeated event.
        max_deliveries: tries of one entry before it is dropped with an error log.
        block_timeout_s: how long one XREADGROUP waits for new entries.
        reclaim_idle_s: an entry un-acked this long (a failed handler, a dead process)
            is claimed again; also the interval between XAUTOCLAIM sweeps.
        claims: the database record of terminal events handed over; with it a terminal
            event reaches its chat once even across a Redis restart that lost markers.
        max_concurrency: jobs whose events are handed over at once (one job's events
            always one after the other, in stream order).
        session_ttl_s: how long a session's stream outlives the last renewal of its
            consuming loop (see the module docstring).
    """

    def __init__(
        self,
        redis: Redis,
        *,
        keys: RedisKeys,
        consumer: str,
        delivered_ttl_s: int = 7 * 24 * 3600,
        max_deliveries: int = 5,
        block_timeout_s: float = 1.0,
        reclaim_idle_s: float = 30.0,
        claims: DeliveryClaims | None = None,
        max_concurrency: int = 32,
        session_ttl_s: int = SESSION_STREAM_TTL_S,
    ) -> None:
        self._redis = redis
        self._claims = claims
        self._keys = keys
        self._group = keys.adapters_group
        self._consumer = consumer
        self._delivered_ttl_s = delivered_ttl_s
        self._max_deliveries = max(1, max_deliveries)
        self._block_ms = max(1, round(block_timeout_s * 1000))
        self._reclaim_idle_s = reclaim_idle_s
        self._reclaim_idle_ms = max(0, round(reclaim_idle_s * 1000))
        self._max_concurrency = max(1, max_concurrency)
        self._session_ttl_s = max(1, session_ttl_s)
        self._handlers: dict[str, DeliveryHandler] = {}
        self._sessions: set[str] = set()  # platforms that are one run's address
        self._ended: set[str] = set()
        self._loops: dict[str, asyncio.Task] = {}  # consume()'s loop of each platform
        self._batch = RedisBatcher(redis)  # publishes of concurrent jobs share round trips

    def register(self, platform: str, handler: DeliveryHandler, *, session: bool = False) -> None:
        """Deliver the events of ``platform`` through ``handler`` in this process.
        Call before :meth:`consume`. ``session``: see the module docstring."""
        self._handlers[platform] = handler
        if session:
            self._sessions.add(platform)

    async def start_session(self, platform: str) -> None:
        """Create the session's stream and group (with their TTL) so that publishes to
        it are kept; idempotent."""
        self._sessions.add(platform)
        self._ended.discard(platform)
        await self._ensure_group(self._keys.events_stream(platform), self._session_ttl_s)

    async def end_session(self, platform: str) -> None:
        """Stop consuming the session's stream, then delete it (and its group): what
        is published to it afterwards is dropped."""
        self._ended.add(platform)
        self._handlers.pop(platform, None)
        loop_task = self._loops.pop(platform, None)
        if loop_task is not None and not loop_task.done():
            loop_task.cancel()  # first: a running loop would re-create a deleted stream
            await asyncio.wait({loop_task})
        await self._redis.delete(self._keys.events_stream(platform))

    async def publish(self, event: JobEvent) -> bool:
        """Append ``event`` to its platform's stream (``MAXLEN ~ 100000``). A session's
        stream is never created here: without it the session has ended.

        Returns:
            True once appended; False for an event without a reply target or for a
            session that has ended (dropped).
        """
        target = event.reply_target
        if target is None:
            log.info("event without reply target dropped job=%s kind=%s", event.job_id, event.kind)
            return False
        stream = self._keys.events_stream(target.platform)
        fields: dict[FieldT, EncodableT] = {"p": event_to_json(event)}
        only_existing = target.session is not None
        replies = await self._batch.call(
            lambda pipe: pipe.xadd(
                stream,
                fields,
                maxlen=_STREAM_MAXLEN,
                approximate=True,
                nomkstream=only_existing,
            )
        )
        if replies[0] is None:
            log.info("session ended; event dropped job=%s kind=%s", event.job_id, event.kind)
            return False
        return True

    async def consume(self) -> None:
        """Deliver the registered platforms' events until cancelled: one loop per
        platform, handing over up to ``max_concurrency`` jobs' events at once (one job's
        in order), surviving a lost group and Redis being briefly unreachable."""
        if self._handlers:
            async with asyncio.TaskGroup() as tasks:
                for platform, handler in list(self._handlers.items()):
                    self._loops[platform] = tasks.create_task(
                        self._consume(platform, handler), name=f"deliver-{platform}"
                    )
        await asyncio.Event().wait()  # no platform left (every session ended)

    async def _consume(self, platform: str, handler: DeliveryHandler) -> None:
        stream = self._keys.events_stream(platform)
        loop = asyncio.get_running_loop()
        ttl_s = self._session_ttl_s if platform in self._sessions else None
        group_ready = False
        reclaim_at_s = 0.0  # loop time of the next XAUTOCLAIM sweep
        renew_at_s = 0.0  # loop time of the next renewal of a session stream's TTL
        cursor = "0-0"
        while platform not in self._ended:
            _stop_if_cancelled()
            try:
                if not group_ready:
                    await self._ensure_group(stream, ttl_s)
                    group_ready = True
                    if ttl_s is not None:
                        renew_at_s = loop.time() + ttl_s / 4
                if ttl_s is not None and loop.time() >= renew_at_s:
                    if not await self._redis.expire(stream, ttl_s):
                        group_ready = False  # gone (a stall past its TTL): made again
                        continue
                    renew_at_s = loop.time() + ttl_s / 4
                if loop.time() >= reclaim_at_s:
                    reply = await self._redis.xautoclaim(
                        stream,
                        self._group,
                        self._consumer,
                        min_idle_time=self._reclaim_idle_ms,
                        start_id=cursor,
                        count=_READ_COUNT,
                    )
                    cursor = _text(reply[0])
                    # More to sweep: continue right after this batch; else wait a period.
                    more = cursor not in ("0-0", "0")
                    reclaim_at_s = loop.time() + (0.0 if more else self._reclaim_idle_s)
                    await self._deliver_batch(stream, handler, reply[1])
                read = await self._redis.xreadgroup(
                    self._group,
                    self._consumer,
                    {stream: ">"},
                    count=_READ_COUNT,
                    block=self._block_ms,
                )
                # RESP2, as everywhere here (the job queue too): [[stream, entries]].
                assert not isinstance(read, dict), "RESP3 replies are not supported"
                for _name, entries in read or []:
                    await self._deliver_batch(stream, handler, entries)
            except ResponseError as exc:
                if not str(exc).startswith(_GROUP_LOST):
                    raise
                log.warning("delivery group %s missing on %s; re-creating it", self._group, stream)
                group_ready, cursor = False, "0-0"
            except (RedisConnectionError, RedisTimeoutError) as exc:
                log.warning("redis unreachable for %s (%s); retrying", stream, type(exc).__name__)
                group_ready = False
                await asyncio.sleep(_RECONNECT_DELAY_S)

    async def _ensure_group(self, stream: str, ttl_s: int | None = None) -> None:
        """Create ``stream`` and its group if missing; with ``ttl_s`` (a session's
        stream) its TTL is set in the same transaction, so no key is left without one."""
        if ttl_s is None:
            try:
                await self._redis.xgroup_create(stream, self._group, id="0", mkstream=True)
            except ResponseError as exc:
                if not str(exc).startswith("BUSYGROUP"):
                    raise
            return
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xgroup_create(stream, self._group, id="0", mkstream=True)
            pipe.expire(stream, ttl_s)
            created, _ = await pipe.execute(raise_on_error=False)
        if isinstance(created, ResponseError) and not str(created).startswith("BUSYGROUP"):
            raise created

    async def _deliver_batch(self, stream: str, handler: DeliveryHandler, entries: Any) -> None:
        """Deliver one read's entries: the terminal events' database claims in one
        statement, then one task per job (its events in stream order), at most
        ``max_concurrency`` jobs at once. Claims won but not used are given back."""
        groups: dict[str, list[tuple[Any, Any]]] = {}
        terminal: list[str] = []
        for entry_id, fields in entries:
            if entry_id is None:  # deleted meanwhile (Redis < 7)
                continue
            try:
                event = event_from_json(_payload(fields))
            except Exception:  # poison: _deliver logs and acks it
                groups[f"entry:{_text(entry_id)}"] = [(entry_id, fields)]
                continue
            groups.setdefault(event.job_id, []).append((entry_id, fields))
            if event.kind in TERMINAL_KINDS:
                terminal.append(event.job_id)
        if not groups:
            return
        claims = None
        if self._claims is not None:
            claims = PreClaimed(self._claims, await self._claims.claim_many(terminal))
        room = asyncio.Semaphore(self._max_concurrency)

        async def deliver_in_order(items: list[tuple[Any, Any]]) -> None:
            async with room:
                for entry_id, fields in items:
                    _stop_if_cancelled()
                    await self._deliver(stream, handler, entry_id, fields, claims)

        try:
            results = await asyncio.gather(
                *(deliver_in_order(items) for items in groups.values()), return_exceptions=True
            )
        finally:
            if claims is not None:
                await asyncio.shield(claims.release_unused())
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _deliver(
        self,
        stream: str,
        handler: DeliveryHandler,
        entry_id: Any,
        fields: Any,
        claims: DeliveryClaims | None,
    ) -> None:
        try:
            event = event_from_json(_payload(fields))
        except Exception as exc:  # poison: never retried, never fatal
            if fields:  # nil fields: an entry deleted meanwhile, simply acked
                log.error(
                    "event entry %s on %s unreadable (%s); dropped",
                    _text(entry_id),
                    stream,
                    type(exc).__name__,
                )
            await self._ack(stream, entry_id)
            return
        # A terminal event is claimed in the database (see deliver_once), which survives a
        # Redis restart and a process killed mid-hand-over; others use a Redis marker.
        use_marker = claims is None or event.kind not in TERMINAL_KINDS
        marker = self._keys.delivered(event.job_id, event.kind)
        token = f"{self._consumer}:{_text(entry_id)}"  # who set the marker, for which entry
        if use_marker:
            try:
                fresh = await self._redis.set(marker, token, nx=True, ex=self._delivered_ttl_s)
            except BaseException:  # cancelled or cut off: the SET may have landed all the same
                with contextlib.suppress(Exception):
                    if _text(await self._redis.get(marker) or b"") == token:
                        await self._redis.delete(marker)
                raise
            if not fresh:
                log.info(
                    "event already delivered job=%s kind=%s; skipped", event.job_id, event.kind
                )
                await self._ack(stream, entry_id)
                return
        try:
            if not await deliver_once(event, handler, claims):
                log.info(
                    "event already delivered job=%s kind=%s; skipped", event.job_id, event.kind
                )
        except asyncio.CancelledError:
            if use_marker:
                await self._redis.delete(marker)  # stopped mid-hand-over: let it be retried
            raise
        except Exception:
            if use_marker:
                await self._redis.delete(marker)
            rows = await self._redis.xpending_range(stream, self._group, entry_id, entry_id, 1)
            attempts = int(rows[0]["times_delivered"]) if rows else self._max_deliveries
            if attempts < self._max_deliveries:
                log.warning(
                    "delivery failed job=%s kind=%s attempt=%d/%d; will retry",
                    event.job_id,
                    event.kind,
                    attempts,
                    self._max_deliveries,
                    exc_info=True,
                )
                return  # left pending: reclaimed after reclaim_idle_s
            log.error(
                "delivery gave up job=%s kind=%s after %d attempts",
                event.job_id,
                event.kind,
                attempts,
                exc_info=True,
            )
        await self._ack(stream, entry_id)

    async def _ack(self, stream: str, entry_id: Any) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.xack(stream, self._group, entry_id)
            pipe.xdel(stream, entry_id)
            await pipe.execute()
