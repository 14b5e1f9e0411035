"""Operator statistics: a few grouped counts, for the chat adapters' admin commands."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db.tables import accounts, jobs


@dataclass(frozen=True, slots=True)
class StatsView:
    accounts: int
    banned_accounts: int
    balance_credits: int  # sum of every balance
    jobs_by_status: dict[str, int]
    queue_depth: int


async def read_stats(conn: AsyncConnection, *, queue_depth: int) -> StatsView:
    row = (
        await conn.execute(
            select(
                func.count(),
                func.count(accounts.c.banned_at),
                func.coalesce(func.sum(accounts.c.balance_credits), 0),
            )
        )
    ).one()
    by_status = (
        await conn.execute(select(jobs.c.status, func.count()).group_by(jobs.c.status))
    ).all()
    return StatsView(
        accounts=int(row[0]),
        banned_accounts=int(row[1]),
        balance_credits=int(row[2]),
        jobs_by_status={status: int(count) for status, count in by_status},
        queue_depth=queue_depth,
    )
