"""Migration 0020: the unique index on ``jobs.request_key`` holds only the jobs that
have a key. Keyless jobs (Discord's, the console's: most of them) add no entry; a
replayed key is still refused on both backends (test_core_flow covers the replay's
answer)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.types import Actor, ImagineRequest, ReplyTarget

TARGET = ReplyTarget("test", {"chat": "1"})

_DEFINITION = {
    "postgresql": "SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_jobs_request_key'"
    " AND schemaname = current_schema()",
    "sqlite": "SELECT sql FROM sqlite_master WHERE name = 'uq_jobs_request_key'",
}


async def test_the_request_key_index_is_unique_and_only_over_jobs_with_a_key(app):
    async with app.engine.connect() as conn:
        definition = await conn.scalar(text(_DEFINITION[app.engine.dialect.name]))
    assert "UNIQUE" in definition.upper()
    assert "request_key IS NOT NULL" in definition.replace("(", "").replace(")", "")
    actor = Actor("test", "keys", "Keys", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    first = await app.core.imagine(actor, ImagineRequest("a heron"), TARGET)
    second = await app.core.imagine(actor, ImagineRequest("a heron"), TARGET)
    assert first.job_id != second.job_id  # NULL keys never collide
    keyed = await app.core.imagine(actor, ImagineRequest("a heron"), TARGET, request_key="t:9")
    async with app.engine.connect() as conn:
        with pytest.raises(IntegrityError, match=r"uq_jobs_request_key|UNIQUE"):
            await conn.execute(
                text("UPDATE jobs SET request_key = 't:9' WHERE id = :id"), {"id": first.job_id}
            )
    assert keyed.job_id not in (first.job_id, second.job_id)
