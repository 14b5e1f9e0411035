"""Migrated databases for tests, without running every migration for every test.

PostgreSQL: each test gets a schema of its own, migrated when first made; after the test
it is emptied (TRUNCATE, identities restarted) and handed to the next test, unless the
test changed its structure (then it is dropped). SQLite: each test gets a copy of one file
migrated at the start of the session. Either way a test starts from what the migrations
build, with no rows."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from bot.migrate import upgrade
from core.db.engine import make_engine

# Everything a test could change about a schema's structure, the schema's name left out.
_STRUCTURE = text(
    """
    SELECT md5(coalesce(string_agg(replace(part, CAST(:schema AS text), '~'), E'\\n'
                                   ORDER BY part), '')) FROM (
        SELECT 'rel ' || relname || ' ' || CAST(relkind AS text) FROM pg_class
            WHERE relnamespace = CAST(CAST(:schema AS text) AS regnamespace)
        UNION ALL
        SELECT 'col ' || attrelid::regclass::text || '.' || attname || ' '
               || format_type(atttypid, atttypmod) || ' ' || CAST(attnotnull AS text) || ' '
               || coalesce(pg_get_expr(adbin, adrelid), '')
            FROM pg_attribute
            JOIN pg_class ON pg_class.oid = attrelid
            LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum
            WHERE relnamespace = CAST(CAST(:schema AS text) AS regnamespace)
              AND attnum > 0 AND NOT attisdropped
        UNION ALL
        SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
            WHERE connamespace = CAST(CAST(:schema AS text) AS regnamespace)
        UNION ALL
        SELECT 'idx ' || indexdef FROM pg_indexes WHERE schemaname = CAST(:schema AS text)
        UNION ALL
        SELECT 'trg ' || tgname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid
            WHERE relnamespace = CAST(CAST(:schema AS text) AS regnamespace) AND NOT tgisinternal
        UNION ALL
        SELECT 'fn ' || proname || ' ' || md5(prosrc) FROM pg_proc
            WHERE pronamespace = CAST(CAST(:schema AS text) AS regnamespace)
    ) AS structure (part)
    """
)
_TABLES = text("SELECT tablename FROM pg_tables WHERE schemaname = :schema ORDER BY tablename")
_EMPTYING_LOCK_TIMEOUT = "5s"  # a test that leaked a connection holding a lock


@dataclass(frozen=True, slots=True)
class _Schema:
    name: str
    tables: tuple[str, ...]  # emptied between tests (not alembic_version)
    structure: str  # _STRUCTURE right after the migrations, with the version


class SchemaPool:
    """Migrated PostgreSQL schemas, reused test after test. Holds names only, so that
    every test's engines live on that test's event loop."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._free: list[_Schema] = []
        self._made: set[str] = set()

    def engine(self, schema: _Schema) -> AsyncEngine:
        return _schema_engine(self._url, schema.name)

    async def take(self) -> _Schema:
        if self._free:
            return self._free.pop()
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = make_engine(self._url, poolclass=NullPool)
        try:
            async with admin.begin() as conn:
                await conn.execute(text(f'CREATE SCHEMA "{name}"'))
            self._made.add(name)
            migrated = _schema_engine(self._url, name)
            try:
                await upgrade(migrated)
            finally:
                await migrated.dispose()
            async with admin.connect() as conn:
                tables = (await conn.execute(_TABLES, {"schema": name})).scalars()
                structure = await _structure(conn, name)
        finally:
            await admin.dispose()
        return _Schema(name, tuple(t for t in tables if t != "alembic_version"), structure)

    async def give_back(self, schema: _Schema) -> None:
        """Empty ``schema`` for the next test; drop it if the test changed its structure
        or it cannot be emptied."""
        admin = make_engine(self._url, poolclass=NullPool)
        try:
            reusable = False
            try:
                async with admin.begin() as conn:
                    await conn.execute(text(f"SET LOCAL lock_timeout = '{_EMPTYING_LOCK_TIMEOUT}'"))
                    if await _structure(conn, schema.name) == schema.structure:
                        names = ", ".join(f'"{schema.name}"."{t}"' for t in schema.tables)
                        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                        reusable = True
            except DBAPIError:
                reusable = False
            if reusable:
                self._free.append(schema)
            else:
                await _drop(admin, schema.name)
                self._made.discard(schema.name)
        finally:
            await admin.dispose()

    async def drop_all(self) -> None:
        admin = make_engine(self._url, poolclass=NullPool)
        try:
            for name in sorted(self._made):
                await _drop(admin, name)
        finally:
            await admin.dispose()
        self._made.clear()
        self._free.clear()


def _schema_engine(url: str, schema: str) -> AsyncEngine:
    return make_engine(url, connect_args={"server_settings": {"search_path": schema}})


async def _structure(conn, schema: str) -> str:
    digest = await conn.scalar(_STRUCTURE, {"schema": schema})
    version = await conn.scalar(text(f'SELECT version_num FROM "{schema}".alembic_version'))
    return f"{digest} {version}"


async def _drop(admin: AsyncEngine, schema: str) -> None:
    async with admin.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


def migrated_sqlite_file(folder: Path) -> Path:
    """A SQLite file in ``folder`` at the migrations' head (no event loop running)."""
    path = folder / "seedream.db"

    async def migrate() -> None:
        engine = make_engine(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(migrate())
    return path


def copy_sqlite_file(template: Path, path: Path) -> None:
    """``template`` (and its write-ahead log, if one was left) copied to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    wal = template.with_name(template.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, path.with_name(path.name + "-wal"))
