"""The PostgreSQL schemas tests share (tests/support/databases.py): a schema handed to the
next test is as the migrations left it, with no rows and identities restarted; one whose
structure a test changed is dropped, never handed on."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.pool import NullPool

from core.db.engine import make_engine
from tests.conftest import PG_URL
from tests.support.databases import SchemaPool


async def _rows_and_next_id(pool: SchemaPool, schema) -> tuple[int, int]:
    engine = pool.engine(schema)
    try:
        async with engine.begin() as conn:
            rows = await conn.scalar(text("SELECT count(*) FROM accounts"))
            next_id = await conn.scalar(
                text("INSERT INTO accounts (created_at) VALUES (now()) RETURNING id")
            )
    finally:
        await engine.dispose()
    return rows, next_id


async def _schemas() -> set[str]:
    admin = make_engine(PG_URL, poolclass=NullPool)
    try:
        async with admin.connect() as conn:
            return set(await conn.scalars(text("SELECT nspname FROM pg_namespace")))
    finally:
        await admin.dispose()


async def test_a_schema_is_handed_on_empty_and_dropped_once_its_structure_changed(
    _pg_reachable,
):
    pool = SchemaPool(PG_URL)
    try:
        first = await pool.take()
        assert await _rows_and_next_id(pool, first) == (0, 1)
        await pool.give_back(first)

        again = await pool.take()
        assert again == first  # reused, not migrated again
        assert await _rows_and_next_id(pool, again) == (0, 1)  # emptied, ids restarted
        engine = pool.engine(again)
        try:
            async with engine.begin() as conn:
                await conn.execute(text("ALTER TABLE accounts ADD COLUMN note text"))
        finally:
            await engine.dispose()
        await pool.give_back(again)

        fresh = await pool.take()
        assert fresh.name != first.name and fresh.structure == first.structure
        assert first.name not in await _schemas()
        await pool.give_back(fresh)
    finally:
        await pool.drop_all()
    assert fresh.name not in await _schemas()
