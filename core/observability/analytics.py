"""Product analytics, opt-in: a few server-side events (a command used, a job finished or
failed, a purchase, an erasure) sent to a PostHog- or Plausible-compatible endpoint the
operator configures, only for users who turned it on (``/settings analytics on``).

What an event carries: its name, a per-deployment pseudonymous id (``accounts.analytics_id``,
random, set on opt-in; never the account id, a platform user id or a name), its time
and a few properties from bounded sets (command name, platform name, model id,
outcome or error code, payment method, pack id). Never a prompt, an image or a link.

Sending never slows or breaks the user's path: ``record_*`` only puts the event on a
bounded in-process queue (full: the event is dropped and counted); one background task
takes batches off it, looks the ids up in one query (an account that did not opt in, or
no longer exists, gets no event: the check is made at sending time, so a user who opts
out or erases stops every event still waiting), and posts them with a short timeout.
A failed batch is dropped and counted, never retried; the sender then pauses a moment,
so an endpoint that is down costs one request per pause, not one per event. Failures
are logged by exception type and status code only (never the key, the URL's query or
the body).

Each process (adapters, the worker, the web role) has its own queue and sender.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

import httpx
from sqlalchemy import select

from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.db.tables import accounts, identities
from core.observability.metrics import Metrics

log = logging.getLogger("seedream.analytics")

KINDS = ("posthog", "plausible")
# Values a property may take: short words from bounded sets (a model id, a command
# name, an error code); anything else is left out rather than sent.
_SAFE_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$")


class AnalyticsEvent(StrEnum):
    COMMAND = "command used"
    JOB_FINISHED = "job finished"
    JOB_FAILED = "job failed"
    PURCHASE = "purchase"
    ERASURE = "erasure"


@dataclass(frozen=True, slots=True)
class SentEvent:
    """An event as it leaves: resolved to its pseudonymous id."""

    event: AnalyticsEvent
    distinct_id: str
    properties: dict[str, str | int]
    at: datetime


@dataclass(frozen=True, slots=True)
class _Pending:
    event: AnalyticsEvent
    properties: dict[str, str | int]
    at: datetime
    account_id: int | None = None
    identity: tuple[str, str] | None = None  # (platform, platform user id): looked up only
    distinct_id: str | None = None  # already known (the erasure's last event)


class AnalyticsSink(Protocol):
    """Where events go: one request per call (a PostHog batch) or per event."""

    async def send(self, events: list[SentEvent]) -> None:
        """Raises: httpx.HTTPError (including a refused status)."""


@dataclass
class PostHogSink:
    """PostHog's capture API: ``POST {url}/batch/`` with the project key as ``api_key``
    and each event's ``event``, ``distinct_id``, ``properties`` and ISO 8601
    ``timestamp`` (https://posthog.com/docs/api/capture)."""

    http: httpx.AsyncClient
    url: str
    api_key: str
    timeout_s: float = 5.0

    async def send(self, events: list[SentEvent]) -> None:
        body = {
            "api_key": self.api_key,
            "batch": [
                {
                    "event": e.event.value,
                    "distinct_id": e.distinct_id,
                    "properties": dict(e.properties),
                    "timestamp": e.at.isoformat(),
                }
                for e in events
            ],
        }
        response = await self.http.post(
            f"{self.url.rstrip('/')}/batch/", json=body, timeout=self.timeout_s
        )
        response.raise_for_status()


@dataclass
class PlausibleSink:
    """Plausible's Events API: ``POST {url}/api/event`` per event with ``name``, ``url``,
    ``domain`` and ``props`` (https://plausible.io/docs/events-api). Plausible counts
    aggregates and has no user id: the pseudonymous id is not sent to it at all."""

    http: httpx.AsyncClient
    url: str
    domain: str
    timeout_s: float = 5.0
    user_agent: str = "Seedream-analytics/1"

    async def send(self, events: list[SentEvent]) -> None:
        for e in events:
            name = e.event.value
            body = {
                "name": name,
                "url": f"app://{self.domain}/{name.replace(' ', '-')}",
                "domain": self.domain,
                "props": {k: str(v) for k, v in e.properties.items()},
            }
            response = await self.http.post(
                f"{self.url.rstrip('/')}/api/event",
                json=body,
                headers={"User-Agent": self.user_agent},
                timeout=self.timeout_s,
            )
            response.raise_for_status()


@dataclass
class AnalyticsSettings:
    queue_size: int = 1000
    batch_size: int = 50
    failure_pause_s: float = 5.0  # after a failed batch, before the next request
    drain_timeout_s: float = 2.0  # how long shutdown waits for queued events


@dataclass
class Analytics:
    """The recorder every part of the core calls. Without a sink (the default) every
    ``record_*`` is a no-op and nothing is queued."""

    uow: UnitOfWorkFactory | None = None
    sink: AnalyticsSink | None = None
    metrics: Metrics | None = None
    settings: AnalyticsSettings = field(default_factory=AnalyticsSettings)
    _queue: asyncio.Queue[_Pending] | None = field(default=None, init=False, repr=False)
    _task: asyncio.Task[None] | None = field(default=None, init=False, repr=False)
    _closed: bool = field(default=False, init=False, repr=False)

    @property
    def enabled(self) -> bool:
        return self.sink is not None and self.uow is not None

    # -- recording (never blocks, never raises) ----------------------------------------

    def record_command(self, platform: str, platform_user_id: str, command: str) -> None:
        """A chat command used by the identity (looked up at sending time; only the
        platform's name and the command's name leave)."""
        self._put(
            _Pending(
                AnalyticsEvent.COMMAND,
                _props(command=command, platform=platform),
                utcnow(),
                identity=(platform, platform_user_id),
            )
        )

    def record_job(
        self, account_id: int, *, succeeded: bool, model_id: str, image_count: int, code: str = ""
    ) -> None:
        """A job reached ``succeeded`` or ``failed`` (``code``: the error code)."""
        event = AnalyticsEvent.JOB_FINISHED if succeeded else AnalyticsEvent.JOB_FAILED
        props = _props(model=model_id, images=image_count, error=code or None)
        self._put(_Pending(event, props, utcnow(), account_id=account_id))

    def record_purchase(
        self, account_id: int, *, method: str, kind: str, item_id: str | None = None
    ) -> None:
        """Credits bought (``method``: card, stars; ``kind``: pack, subscription;
        ``item_id``: the catalogue's pack id, where known)."""
        props = _props(method=method, kind=kind, item=item_id)
        self._put(_Pending(AnalyticsEvent.PURCHASE, props, utcnow(), account_id=account_id))

    def record_erasure(self, distinct_ids: Iterable[str]) -> None:
        """The last event under each id: the account was erased (the operator can delete
        the id's data at the analytics service); the id itself is gone from here."""
        for distinct_id in distinct_ids:
            self._put(_Pending(AnalyticsEvent.ERASURE, {}, utcnow(), distinct_id=distinct_id))

    def _put(self, pending: _Pending) -> None:
        if not self.enabled or self._closed:  # off, or the process is shutting down
            return
        if self._queue is None or self._task is None or self._task.done():
            self._start()
        assert self._queue is not None
        try:
            self._queue.put_nowait(pending)
        except asyncio.QueueFull:
            self._count("queue_full")

    # -- the background sender ---------------------------------------------------------

    def _start(self) -> None:
        if self._queue is None:
            self._queue = asyncio.Queue(maxsize=max(1, self.settings.queue_size))
        self._task = asyncio.get_running_loop().create_task(self._run(), name="analytics")

    async def flush(self) -> None:
        """Wait until every event queued so far was sent, dropped or skipped."""
        if self._queue is not None and self._task is not None and not self._task.done():
            await self._queue.join()

    async def aclose(self) -> None:
        """Send what is queued (for at most ``drain_timeout_s``), then stop; events
        recorded afterwards are ignored."""
        self._closed = True
        task, self._task = self._task, None
        if task is None:
            return
        if self._queue is not None and not task.done():
            try:
                await asyncio.wait_for(self._queue.join(), self.settings.drain_timeout_s)
            except TimeoutError:
                log.warning("analytics: %d events not sent at shutdown", self._queue.qsize())
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        assert self._queue is not None
        queue = self._queue
        while True:
            batch = [await queue.get()]
            while len(batch) < self.settings.batch_size and not queue.empty():
                batch.append(queue.get_nowait())
            failed = False
            try:
                failed = not await self._send(batch)
            finally:
                for _ in batch:
                    queue.task_done()
            if failed and self.settings.failure_pause_s > 0:
                await asyncio.sleep(self.settings.failure_pause_s)  # no retry storm

    async def _send(self, batch: list[_Pending]) -> bool:
        """Resolve and send one batch; False when it failed (counted and logged)."""
        try:
            ready = await self._resolve(batch)
        except Exception as exc:
            log.warning("analytics: ids not read, %d events dropped: %s", len(batch), _why(exc))
            self._count("send_failed", len(batch))
            return False
        self._count("not_opted_in", len(batch) - len(ready))
        if not ready:
            return True
        assert self.sink is not None
        try:
            await self.sink.send(ready)
        except Exception as exc:
            log.warning("analytics: %d events not sent: %s", len(ready), _why(exc))
            self._count("send_failed", len(ready))
            return False
        self._count("sent", len(ready))
        return True

    async def _resolve(self, batch: list[_Pending]) -> list[SentEvent]:
        """Each event with its account's analytics id; those without one left out."""
        account_ids = {p.account_id for p in batch if p.account_id is not None}
        users = {p.identity for p in batch if p.identity is not None}
        by_account: dict[int, str] = {}
        by_identity: dict[tuple[str, str], str] = {}
        assert self.uow is not None
        async with self.uow() as tx:
            opted_in = accounts.c.analytics_id.is_not(None) & accounts.c.erased_at.is_(None)
            if account_ids:
                rows = await tx.conn.execute(
                    select(accounts.c.id, accounts.c.analytics_id).where(
                        accounts.c.id.in_(sorted(account_ids)), opted_in
                    )
                )
                by_account = {int(r.id): r.analytics_id for r in rows}
            for platform in {p for p, _ in users}:
                ids = sorted(u for p, u in users if p == platform)
                rows = await tx.conn.execute(
                    select(identities.c.platform_user_id, accounts.c.analytics_id)
                    .join(accounts, accounts.c.id == identities.c.account_id)
                    .where(
                        identities.c.platform == platform,
                        identities.c.platform_user_id.in_(ids),
                        opted_in,
                    )
                )
                by_identity.update({(platform, r.platform_user_id): r.analytics_id for r in rows})
        ready = []
        for p in batch:
            distinct_id = p.distinct_id
            if p.account_id is not None:
                distinct_id = by_account.get(p.account_id)
            elif p.identity is not None:
                distinct_id = by_identity.get(p.identity)
            if distinct_id:
                ready.append(SentEvent(p.event, distinct_id, p.properties, p.at))
        return ready

    def _count(self, outcome: str, n: int = 1) -> None:
        if self.metrics is not None and n > 0:
            self.metrics.analytics_event(outcome, n)


def _props(**values: str | int | None) -> dict[str, str | int]:
    """Only values from bounded sets: short words and small numbers."""
    out: dict[str, str | int] = {}
    for key, value in values.items():
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10_000:
            out[key] = value
        elif isinstance(value, str) and _SAFE_VALUE.match(value):
            out[key] = value
    return out


def _why(exc: Exception) -> str:
    """An exception type and, for a refused request, its status: no URL, key or body."""
    if isinstance(exc, httpx.HTTPStatusError):
        return f"{type(exc).__name__} status={exc.response.status_code}"
    return type(exc).__name__


def build_sink(
    kind: str, *, http: httpx.AsyncClient, url: str, key: str, timeout_s: float
) -> AnalyticsSink:
    """The sink for ``kind`` (posthog: ``key`` is the project API key; plausible: ``key``
    is the site's domain as registered in Plausible).

    Raises:
        ValueError: an unknown kind, or no URL or key.
    """
    if kind not in KINDS:
        raise ValueError(f"analytics kind must be one of {', '.join(KINDS)}")
    if not url or not key:
        raise ValueError("analytics needs both a URL and a key")
    if kind == "posthog":
        return PostHogSink(http, url, key, timeout_s)
    return PlausibleSink(http, url, key, timeout_s)
