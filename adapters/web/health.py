"""``/livez``, ``/healthz`` and ``/readyz``: for monitoring and orchestrators.

- ``/livez``: the process is alive and its event loop answers; no dependency is asked
  (restart the process only when this fails).
- ``/healthz``: every dependency, each named with its state (``ok``, ``unreachable``,
  ``timeout``), and the queue depth; 503 when any of them is not ``ok`` (always when the
  database is down).
- ``/readyz``: ready to serve: the database reachable and at the migrations' head,
  Redis reachable when configured; 503 otherwise (take the process out of rotation).

The checks themselves come with the application (``bot.health``); a stand-in without
them (tests) is checked for its database only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

log = logging.getLogger("seedream.web")

Check = Callable[[], Awaitable[str]]
CHECK_TIMEOUT_S = 3.0  # a dependency that hangs is reported, not waited for
OK = "ok"


async def run_checks(checks: Mapping[str, Check]) -> dict[str, str]:
    """Each check's status word, all run at once, each within ``CHECK_TIMEOUT_S``."""

    async def one(name: str, check: Check) -> str:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_S):
                return await check()
        except TimeoutError:
            log.warning("health check %s: no answer within %.0f s", name, CHECK_TIMEOUT_S)
            return "timeout"
        except Exception as exc:  # whatever the driver raises: reported, not raised
            log.warning("health check %s: unreachable (%s)", name, type(exc).__name__)
            return "unreachable"

    names = list(checks)
    results = await asyncio.gather(*(one(name, checks[name]) for name in names))
    return dict(zip(names, results, strict=True))


def health_routes(app: Any) -> list[BaseRoute]:
    """The three routes for ``app`` (its ``health`` checks, ``engine`` and ``queue``)."""
    checks = getattr(app, "health", None)
    if checks is not None:
        health_checks: Mapping[str, Check] = checks.health
        ready_checks: Mapping[str, Check] = checks.ready
    else:

        async def database() -> str:
            async with app.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return OK

        health_checks = ready_checks = {"database": database}

    async def livez(request: Request) -> JSONResponse:
        return JSONResponse({"status": "alive"})

    async def healthz(request: Request) -> JSONResponse:
        states = await run_checks(health_checks)
        healthy = all(state == OK for state in states.values())
        body: dict[str, object] = {"status": "ok" if healthy else "error", **states}
        body["queue_depth"] = app.queue.depth()
        return JSONResponse(body, status_code=200 if healthy else 503)

    async def readyz(request: Request) -> JSONResponse:
        states = await run_checks(ready_checks)
        ready = all(state == OK for state in states.values())
        body = {"status": "ready" if ready else "not ready", **states}
        return JSONResponse(body, status_code=200 if ready else 503)

    return [Route("/livez", livez), Route("/healthz", healthz), Route("/readyz", readyz)]
