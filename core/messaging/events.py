"""Delivery: job events go to the adapter process that owns the job's reply target.

``EventBus`` is the port. Adapters ``register`` one handler per platform at start-up
and run ``consume()``; workers ``publish``. In-process (embedded), publishing calls the
handler directly, retrying with backoff. With Redis (``core.messaging.events_redis``) each
platform has a stream with a consumer group, so the adapter process that owns the chat
delivers, and a delivery marker keeps a redelivered event from reaching the chat twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.jobs.scheduling import claim_deliveries, claim_delivery, release_delivery
from core.types import ImageView, JobEvent, ReplyTarget

log = logging.getLogger("seedream.delivery")

DeliveryHandler = Callable[[JobEvent], Awaitable[None]]
EVENT_VERSION = 1
TERMINAL_KINDS = frozenset({"finished", "failed", "cancelled"})


class DeliveryClaims(Protocol):
    """Exactly-once hand-over of a job's terminal event, recorded in the database (so a
    Redis restart or a re-published event cannot make it reach the chat twice)."""

    async def claim(self, job_id: str) -> bool:
        """True once per job: the caller may hand the event to the chat."""

    async def release(self, job_id: str) -> None:
        """The hand-over failed; a later attempt may claim again."""

    async def claim_many(self, job_ids: list[str]) -> set[str]:
        """``claim`` for several jobs at once; returns those won."""


class PreClaimed:
    """Claims won in advance for a batch of events (``DeliveryClaims.claim_many``): each
    is handed out once by :meth:`claim`; :meth:`release_unused` gives back the rest."""

    def __init__(self, claims: DeliveryClaims, won: set[str]) -> None:
        self._claims = claims
        self._won = set(won)

    async def claim(self, job_id: str) -> bool:
        if job_id in self._won:
            self._won.discard(job_id)
            return True
        return False

    async def release(self, job_id: str) -> None:
        await self._claims.release(job_id)

    async def claim_many(self, job_ids: list[str]) -> set[str]:
        return {job_id for job_id in job_ids if await self.claim(job_id)}

    async def release_unused(self) -> None:
        for job_id in sorted(self._won):
            await self._claims.release(job_id)
        self._won.clear()


class SqlDeliveryClaims:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def claim(self, job_id: str) -> bool:
        async with self._uow() as uow:
            won = await claim_delivery(uow.conn, job_id, now=utcnow())
            await uow.commit()
        return won

    async def release(self, job_id: str) -> None:
        async with self._uow() as uow:
            await release_delivery(uow.conn, job_id)
            await uow.commit()

    async def claim_many(self, job_ids: list[str]) -> set[str]:
        async with self._uow() as uow:
            won = await claim_deliveries(uow.conn, job_ids, now=utcnow())
            await uow.commit()
        return won


async def deliver_once(
    event: JobEvent, handler: DeliveryHandler, claims: DeliveryClaims | None
) -> bool:
    """Run ``handler`` for ``event``; a terminal event only if its claim is won. Returns
    False when the event was already delivered. Raises what the handler raises (after
    giving the claim back)."""
    if claims is None or event.kind not in TERMINAL_KINDS:
        await handler(event)
        return True
    if not await claims.claim(event.job_id):
        return False
    try:
        await handler(event)
    except BaseException:
        await asyncio.shield(claims.release(event.job_id))
        raise
    return True


class EventBus(Protocol):
    def register(self, platform: str, handler: DeliveryHandler, *, session: bool = False) -> None:
        """Deliver this process's events for ``platform`` through ``handler``.

        ``session``: ``platform`` is the address of one run of this process (a console
        session, whose reply targets carry ``{"session": ...}``), not a chat platform
        that outlives processes: its events are kept only while this process consumes
        them, between :meth:`start_session` and :meth:`end_session`."""

    async def start_session(self, platform: str) -> None:
        """Make a session's address ready before a reply target naming it is handed out
        (events for a session not started, or ended, are dropped)."""

    async def end_session(self, platform: str) -> None:
        """Stop delivering ``platform``'s events and forget its address at once."""

    async def publish(self, event: JobEvent) -> bool:
        """Send ``event`` towards its platform. True when it was handed on; False when
        nobody can take it (no reply target, no handler, a session that has ended)."""

    async def consume(self) -> None:
        """Deliver events to the registered handlers until cancelled."""


class InProcessEventBus:
    def __init__(
        self,
        *,
        claims: DeliveryClaims | None = None,
        max_tries: int = 3,
        retry_delay_s: float = 0.5,
    ) -> None:
        self._claims = claims
        self._handlers: dict[str, DeliveryHandler] = {}
        self._max_tries = max_tries
        self._retry_delay_s = retry_delay_s

    def register(self, platform: str, handler: DeliveryHandler, *, session: bool = False) -> None:
        self._handlers[platform] = handler  # a session ends with its handler: see end_session

    def unregister(self, platform: str) -> None:
        self._handlers.pop(platform, None)

    async def start_session(self, platform: str) -> None:
        return None  # nothing to prepare: publish() calls the handler directly

    async def end_session(self, platform: str) -> None:
        self.unregister(platform)

    async def publish(self, event: JobEvent) -> bool:
        platform = event.reply_target.platform if event.reply_target else None
        handler = self._handlers.get(platform or "")
        if handler is None:
            log.info("no delivery handler for platform=%s job=%s", platform, event.job_id)
            return False
        for attempt in range(1, self._max_tries + 1):
            try:
                await deliver_once(event, handler, self._claims)
                return True
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception(
                    "delivery failed job=%s kind=%s attempt=%d", event.job_id, event.kind, attempt
                )
                if attempt < self._max_tries:
                    await asyncio.sleep(self._retry_delay_s * 2 ** (attempt - 1))
        return False

    async def consume(self) -> None:
        await asyncio.Event().wait()  # handlers are called from publish()


# Kept for callers written before the port existed.
DeliveryRouter = InProcessEventBus


def event_to_json(event: JobEvent) -> str:
    """A versioned JSON payload (never pickle)."""
    return json.dumps(
        {
            "v": EVENT_VERSION,
            "kind": event.kind,
            "job_id": event.job_id,
            "account_id": event.account_id,
            "reply_target": (
                {"platform": event.reply_target.platform, "data": event.reply_target.data}
                if event.reply_target
                else None
            ),
            "locale": event.locale,
            "images": [
                {
                    "image_id": i.image_id,
                    "url": i.url,
                    "width": i.width,
                    "height": i.height,
                    "mime": i.mime,
                    "preview_url": i.preview_url,
                }
                for i in event.images
            ],
            "error_key": event.error_key,
            "error_params": event.error_params,
            "refunded_credits": event.refunded_credits,
            "queue_position": event.queue_position,
            "notice_key": event.notice_key,
            "notice_params": event.notice_params,
            "can_vary": event.can_vary,
            "enhance_skipped": event.enhance_skipped,
        },
        sort_keys=True,
        default=_json_default,
    )


def event_from_json(raw: str | bytes) -> JobEvent:
    """Raises: ValueError for a payload of an unknown version or shape."""
    obj = json.loads(raw)
    if obj.get("v") != EVENT_VERSION:
        raise ValueError(f"unknown event payload version {obj.get('v')!r}")
    target = obj.get("reply_target")
    return JobEvent(
        kind=obj["kind"],
        job_id=obj["job_id"],
        account_id=int(obj["account_id"]),
        reply_target=ReplyTarget(target["platform"], dict(target["data"])) if target else None,
        locale=obj.get("locale"),
        images=[ImageView(**i) for i in obj.get("images", [])],
        error_key=obj.get("error_key"),
        error_params=dict(obj.get("error_params") or {}),
        refunded_credits=int(obj.get("refunded_credits") or 0),
        queue_position=obj.get("queue_position"),
        notice_key=obj.get("notice_key"),
        notice_params=dict(obj.get("notice_params") or {}),
        can_vary=bool(obj.get("can_vary", False)),
        enhance_skipped=bool(obj.get("enhance_skipped", False)),
    )


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
