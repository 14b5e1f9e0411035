"""Rate limits count only accepted requests, and a bad request is told what is wrong
with it before any limit (issue 17, edge 7): on PostgreSQL and the Redis limiter, with
concurrent submits."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from bot.bootstrap import bootstrap
from core.errors import RateLimited, UnknownModel
from core.types import ImagineRequest, ReplyTarget
from tests.conftest import REDIS_URL
from tests.integration.test_scheduling import _user

TARGET = ReplyTarget("test", {})
LIMIT = 3


async def test_refused_requests_do_not_count_and_are_checked_first(settings, pg_engine):
    settings = settings.model_copy(
        update={
            "user_requests_per_minute": LIMIT,
            "redis_url": REDIS_URL,
            "redis_prefix": f"t17-{uuid.uuid4().hex[:8]}:",
        }
    )
    async with bootstrap(settings, engine=pg_engine, migrate=False) as app:
        actor = await _user(app, plan="pro")

        async def submit(model_id: str | None):
            return await app.core.imagine(actor, ImagineRequest("cat", model_id=model_id), TARGET)

        refused = await asyncio.gather(*(submit("nope") for _ in range(12)), return_exceptions=True)
        assert all(isinstance(r, UnknownModel) for r in refused), refused
        # None of those counted: the limit is still whole, and holds under concurrency.
        results = await asyncio.gather(*(submit(None) for _ in range(8)), return_exceptions=True)
        accepted = [r for r in results if not isinstance(r, BaseException)]
        limited = [r for r in results if isinstance(r, RateLimited)]
        assert (len(accepted), len(limited)) == (LIMIT, 8 - LIMIT), results
        # Over the limit, a bad request still hears what is wrong with it.
        with pytest.raises(UnknownModel):
            await submit("nope")
