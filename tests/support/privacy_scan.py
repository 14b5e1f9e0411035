"""Scans for the privacy tests: every table, every Redis key of a prefix, every storage
key, searched for anything that links back to one user."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, Table, select
from sqlalchemy.ext.asyncio import AsyncEngine


async def _tables(conn) -> list[Table]:
    """Every table of the live schema (reflected, so tables no model knows count too)."""
    meta = MetaData()
    await conn.run_sync(lambda c: meta.reflect(c))
    return [t for name, t in meta.tables.items() if name != "alembic_version"]


async def snapshot(engine: AsyncEngine) -> dict[str, set[tuple]]:
    """Every row of every table, as tuples (column order of the live schema)."""
    async with engine.connect() as conn:
        return {
            table.name: {tuple(r) for r in await conn.execute(select(table))}
            for table in await _tables(conn)
        }


async def rows_linked_to(
    engine: AsyncEngine, account_id: int, needles: list[str], *, allow_account_ids=()
) -> list[tuple[str, Any]]:
    """(table, row) pairs that reference ``account_id`` in an account column, or hold one
    of ``needles`` (user id, prompt, job id, ...) in any text column."""
    hits: list[tuple[str, Any]] = []
    async with engine.connect() as conn:
        for table in await _tables(conn):
            name = table.name
            account_cols = _account_columns(table)
            for row in await conn.execute(select(table)):
                mapping = row._mapping
                if any(
                    mapping[c] == account_id and mapping[c] not in allow_account_ids
                    for c in account_cols
                ):
                    hits.append((name, tuple(row)))
                    continue
                text = " ".join(str(v) for v in mapping.values() if isinstance(v, str))
                if any(n in text for n in needles):
                    hits.append((name, tuple(row)))
    return hits


def _account_columns(table: Table) -> list[str]:
    cols = [
        c.name
        for c in table.columns
        if c.name == "account_id"
        or any(fk.column.table.name == "accounts" for fk in c.foreign_keys)
    ]
    if table.name == "accounts":
        cols.append("id")
    return cols


async def redis_hits(redis, prefix: str, needles: list[str]) -> list[str]:
    """Keys of ``prefix`` whose name or value holds one of ``needles``."""
    hits = []
    raw_needles = [n.encode() for n in needles]
    async for key in redis.scan_iter(match=f"{prefix}*"):
        kind = (await redis.type(key)).decode()
        if kind == "string":
            values = [await redis.get(key) or b""]
        elif kind == "hash":
            values = [k + b"=" + v for k, v in (await redis.hgetall(key)).items()]
        elif kind == "zset":
            values = list(await redis.zrange(key, 0, -1))
        elif kind == "set":
            values = list(await redis.smembers(key))
        elif kind == "list":
            values = list(await redis.lrange(key, 0, -1))
        elif kind == "stream":
            values = [
                b" ".join(k + b"=" + v for k, v in fields.items())
                for _, fields in await redis.xrange(key)
            ]
        else:
            values = []
        blob = key + b" " + b" ".join(values)
        if any(n in blob for n in raw_needles):
            hits.append(key.decode())
    return hits


def storage_hits(keys: list[str], account_id: int, needles: list[str]) -> list[str]:
    prefixes = (f"images/{account_id}/", f"exports/{account_id}/", f"uploads/{account_id}/")
    return [k for k in keys if k.startswith(prefixes) or any(n in k for n in needles)]
