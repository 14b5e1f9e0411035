"""A loopback fake of the two product analytics endpoints Seedream can send to, recording
every request it accepted (raw body included, for scans) and refusing what the real
services refuse.

Sources (public documentation we did not write, read 2026-12-06):

* PostHog capture API, https://posthog.com/docs/api/capture ("post-only endpoints"):
  ``POST /i/v0/e/`` (also the older ``/capture/``) takes one event, ``POST /batch/``
  takes ``{"api_key", "batch": [...]}``. "Every event request must contain an api_key,
  distinct_id, and event field with the name. Both the properties and timestamp fields
  are optional"; ``timestamp`` is ISO 8601. In a batch, ``distinct_id`` may also sit in
  an event's ``properties``. The refusal codes here (401 without a project key, 400 for
  a malformed event) are our reading of the capture service; the docs name no codes.
* Plausible Events API, https://plausible.io/docs/events-api: ``POST /api/event`` with a
  JSON body whose ``name``, ``url`` and ``domain`` are required (``props``: a flat map of
  custom properties) and a ``User-Agent`` header that is required; answers
  ``202 Accepted``.

tests/contracts/test_analytics_fake.py proves each rule, refusals included.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

POSTHOG_KEY = "phc_test_fake_project_key_0123"
PLAUSIBLE_DOMAIN = "bot.example"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeAnalytics:
    """``events``: every PostHog event accepted (``distinct_id`` resolved);
    ``plausible``: every Plausible event accepted; ``received``: every accepted request;
    ``outage``: a status to answer everything with (an endpoint that is down)."""

    events: list[dict[str, Any]] = field(default_factory=list)
    plausible: list[dict[str, Any]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    refused: int = 0
    outage: int | None = None
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/batch/", self._batch, methods=["POST"]),
                Route("/capture/", self._single, methods=["POST"]),
                Route("/i/v0/e/", self._single, methods=["POST"]),
                Route("/api/event", self._plausible, methods=["POST"]),
            ]
        )

    def raw(self) -> bytes:
        """Every accepted request, headers and body, as one blob to scan."""
        return b"\n".join(json.dumps(r.headers).encode() + b"\n" + r.body for r in self.received)

    async def wait_for(self, count: int, *, timeout_s: float = 10.0) -> None:
        """Until ``count`` events (PostHog and Plausible together) were accepted."""
        async with asyncio.timeout(timeout_s), self._arrived:
            await self._arrived.wait_for(lambda: len(self.events) + len(self.plausible) >= count)

    # -- PostHog ---------------------------------------------------------------------

    async def _single(self, request: Request) -> Response:
        return await self._posthog(request, batch=False)

    async def _batch(self, request: Request) -> Response:
        return await self._posthog(request, batch=True)

    async def _posthog(self, request: Request, *, batch: bool) -> Response:
        if self.outage is not None:
            return JSONResponse({"type": "server_error"}, status_code=self.outage)
        body = await request.body()
        try:
            data = json.loads(body)
        except ValueError:
            return self._refuse(400, "validation_error", "body is not JSON")
        if not isinstance(data, dict):
            return self._refuse(400, "validation_error", "body is not an object")
        if not isinstance(data.get("api_key"), str) or not data["api_key"]:
            return self._refuse(401, "authentication_error", "api_key is required")
        events = data.get("batch") if batch else [data]
        if not isinstance(events, list) or not events:
            return self._refuse(400, "validation_error", "batch must be a non-empty list")
        accepted = []
        for event in events:
            problem = _event_problem(event)
            if problem:
                return self._refuse(400, "validation_error", problem)
            properties = event.get("properties") or {}
            distinct_id = event.get("distinct_id") or properties.get("distinct_id")
            accepted.append({**event, "distinct_id": distinct_id, "api_key": data["api_key"]})
        async with self._arrived:
            self.received.append(Received(request.url.path, dict(request.headers), body))
            self.events.extend(accepted)
            self._arrived.notify_all()
        return JSONResponse({"status": "Ok"})

    # -- Plausible -------------------------------------------------------------------

    async def _plausible(self, request: Request) -> Response:
        if self.outage is not None:
            return Response(status_code=self.outage)
        if not request.headers.get("user-agent"):
            return self._refuse(400, "validation_error", "User-Agent is required")
        body = await request.body()
        try:
            data = json.loads(body)
        except ValueError:
            return self._refuse(400, "validation_error", "body is not JSON")
        for name in ("name", "url", "domain"):
            if not isinstance(data.get(name), str) or not data[name]:
                return self._refuse(400, "validation_error", f"{name} is required")
        props = data.get("props", {})
        if not isinstance(props, dict) or any(isinstance(v, dict | list) for v in props.values()):
            return self._refuse(400, "validation_error", "props must be a flat map")
        async with self._arrived:
            self.received.append(Received(request.url.path, dict(request.headers), body))
            self.plausible.append(data)
            self._arrived.notify_all()
        return JSONResponse({}, status_code=202)

    def _refuse(self, status: int, kind: str, detail: str) -> JSONResponse:
        self.refused += 1
        return JSONResponse({"type": kind, "detail": detail}, status_code=status)


def _event_problem(event: Any) -> str | None:
    """Why PostHog would refuse ``event`` (None: it is well formed)."""
    if not isinstance(event, dict):
        return "an event must be an object"
    if not isinstance(event.get("event"), str) or not event["event"]:
        return "event is required"
    properties = event.get("properties", {})
    if properties is not None and not isinstance(properties, dict):
        return "properties must be an object"
    distinct_id = event.get("distinct_id") or (properties or {}).get("distinct_id")
    if not isinstance(distinct_id, str | int) or distinct_id == "":
        return "distinct_id is required"
    timestamp = event.get("timestamp")
    if timestamp is not None:
        try:
            datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))
        except ValueError:
            return "timestamp must be ISO 8601"
    return None
