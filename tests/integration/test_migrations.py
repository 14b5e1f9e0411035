"""The Alembic revisions build exactly the tables core.db.tables describes, on both
backends, and applying them twice is harmless."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.migrate import upgrade
from core.db.tables import metadata


async def test_migrations_match_models_and_are_repeatable(engine):
    await upgrade(engine)  # already at head: a no-op

    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)

    async with engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []
