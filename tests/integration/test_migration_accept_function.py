"""The accept function on PostgreSQL across its revisions: 0016 takes the job's reference
uploads (one parameter more than 0014's), 0017 also counts the new job's place in the
queue (one parameter, the count's cap, and one result column more); each downgrade puts
the previous function back, never leaving two overloads."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from bot.migrate import alembic_config, upgrade

# This test's own schema only (others hold the same function).
_MINE = "proname = 'seedream_accept_job' AND pronamespace = current_schema()::regnamespace"
_ARGS = text(f"SELECT pronargs FROM pg_proc WHERE {_MINE}")
_INSERTS = text(f"SELECT prosrc LIKE '%p_reference_upload_ids);%' FROM pg_proc WHERE {_MINE}")
_COUNTS_POSITION = text(f"SELECT prosrc LIKE '%p_position_cap%' FROM pg_proc WHERE {_MINE}")


async def _downgrade(engine, revision: str) -> None:
    def run(connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)

    async with engine.connect() as conn:
        await conn.run_sync(run)
        await conn.commit()


async def test_the_accept_function_follows_each_revision_up_and_down(pg_engine):
    async with pg_engine.connect() as conn:
        assert (await conn.execute(_ARGS)).scalars().all() == [26]  # one function, no overload
        assert await conn.scalar(_INSERTS) is True
        assert await conn.scalar(_COUNTS_POSITION) is True
    await _downgrade(pg_engine, "0016")
    async with pg_engine.connect() as conn:
        assert (await conn.execute(_ARGS)).scalars().all() == [25]
        assert await conn.scalar(_INSERTS) is True
        assert await conn.scalar(_COUNTS_POSITION) is False
    await _downgrade(pg_engine, "0015")
    async with pg_engine.connect() as conn:
        assert (await conn.execute(_ARGS)).scalars().all() == [24]
        assert await conn.scalar(_INSERTS) is False
    await upgrade(pg_engine)
    async with pg_engine.connect() as conn:
        assert (await conn.execute(_ARGS)).scalars().all() == [26]
        assert await conn.scalar(_COUNTS_POSITION) is True
