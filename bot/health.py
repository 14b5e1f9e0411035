"""The dependency checks behind ``/healthz`` and ``/readyz`` (``adapters/web/health.py``
serves them): built here, where the clients are, so the web adapter opens nothing.

Each check is an async callable that answers a status word (``"ok"``, or ``"behind"``
for a schema older than this version) or raises when its dependency cannot be reached.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.migrate import current_revisions, head_revisions
from core.storage.port import ObjectStore

Check = Callable[[], Awaitable[str]]
# A listing under a prefix nothing is stored at: one cheap request to the bucket (or
# the local folder) that needs only the permissions the workers have anyway.
STORAGE_PROBE_PREFIX = "health-probe/"


@dataclass(frozen=True, slots=True)
class HealthChecks:
    """``health``: every dependency (database, Redis when configured, storage);
    ``ready``: what serving needs (database reachable at the migrations' head, Redis
    when configured)."""

    health: Mapping[str, Check]
    ready: Mapping[str, Check]


def health_checks(
    engine: AsyncEngine, *, redis: Redis | None, storage: ObjectStore
) -> HealthChecks:
    heads = head_revisions()

    async def database() -> str:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return "ok"

    async def migrations() -> str:
        return "ok" if set(await current_revisions(engine)) == set(heads) else "behind"

    async def redis_ping() -> str:
        assert redis is not None
        await redis.ping()
        return "ok"

    async def storage_list() -> str:
        await storage.list_keys(STORAGE_PROBE_PREFIX)
        return "ok"

    shared: dict[str, Check] = {"database": database}
    if redis is not None:
        shared["redis"] = redis_ping
    return HealthChecks(
        health={**shared, "storage": storage_list},
        ready={**shared, "migrations": migrations},
    )
