"""Async engine construction and the unit of work (one transaction per command)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create the engine for ``url`` with the settings each backend needs.

    SQLite: WAL, foreign keys, a busy timeout, and ``BEGIN IMMEDIATE`` so concurrent
    writers queue on the lock instead of failing half-way through a transaction.
    """
    # Statement parameters hold prompts and platform user ids: keep them out of error
    # messages and logs (a failed statement's exception is logged with its traceback).
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_async_engine(url, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - driver callback
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn):  # pragma: no cover - driver callback
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 10)
    # No pre-ping: it costs three round trips per checkout on the hot path. Connections
    # are recycled instead, and a connection that died is discarded on its first error.
    kwargs.setdefault("pool_recycle", 1800)
    return create_async_engine(url, **kwargs)


def insert_for(conn: AsyncConnection, table) -> postgresql.Insert | sqlite.Insert:
    """A dialect-specific INSERT that supports ``on_conflict_do_nothing``."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


async def insert_once(conn: AsyncConnection, table, key: list[str], **values) -> bool:
    """Insert a row unless one with the same ``key`` columns exists; True if inserted."""
    first = table.c[key[0]]
    inserted = await conn.execute(
        insert_for(conn, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=key)
        .returning(first)
    )
    return inserted.first() is not None


class UnitOfWork:
    """``async with uow:`` opens a connection and a transaction; it rolls back unless
    ``await uow.commit()`` was called. Never shared between tasks."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None
        self._committed = False

    @property
    def conn(self) -> AsyncConnection:
        if self._conn is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._conn

    async def __aenter__(self) -> UnitOfWork:
        self._conn = await self._engine.connect()
        self._committed = False
        await self._conn.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        assert conn is not None
        try:
            if not self._committed and conn.in_transaction():
                await conn.rollback()
        finally:
            await conn.close()

    async def commit(self) -> None:
        await self.conn.commit()
        self._committed = True


class UnitOfWorkFactory:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads that need no transaction around them (each statement
        sees its own consistent snapshot): on PostgreSQL in autocommit, which saves the
        BEGIN and ROLLBACK round trips of a unit of work; on SQLite in a transaction as
        usual. Never write through it."""
        async with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                yield await conn.execution_options(isolation_level="AUTOCOMMIT")
            else:
                async with conn.begin():
                    yield conn
