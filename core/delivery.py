"""Delivery: job events go to the adapter that owns the job's reply target.

Adapters register one handler per platform at start-up. A handler that raises is
retried with backoff; an event for a platform with no handler in this process is
logged and dropped (the job row still holds the result for /history).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from core.types import JobEvent

log = logging.getLogger("seedream.delivery")

DeliveryHandler = Callable[[JobEvent], Awaitable[None]]


class DeliveryRouter:
    def __init__(self, *, max_tries: int = 3, retry_delay_s: float = 0.5) -> None:
        self._handlers: dict[str, DeliveryHandler] = {}
        self._max_tries = max_tries
        self._retry_delay_s = retry_delay_s

    def register(self, platform: str, handler: DeliveryHandler) -> None:
        self._handlers[platform] = handler

    def unregister(self, platform: str) -> None:
        self._handlers.pop(platform, None)

    async def publish(self, event: JobEvent) -> bool:
        """Hand ``event`` to its platform's handler. True when a handler took it."""
        platform = event.reply_target.platform if event.reply_target else None
        handler = self._handlers.get(platform or "")
        if handler is None:
            log.info("no delivery handler for platform=%s job=%s", platform, event.job_id)
            return False
        for attempt in range(1, self._max_tries + 1):
            try:
                await handler(event)
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
