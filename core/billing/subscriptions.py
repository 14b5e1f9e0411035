"""Subscription state: one row per subscription with its latest known status, and the
account's plan derived from its live subscriptions.

Events arrive out of order: a cancellation is final whatever its timestamp, and an
older status update never overwrites a newer one (``last_event_at``).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.billing.grants import insert_once
from core.catalog import Catalog
from core.clock import utcnow
from core.db.tables import accounts, subscriptions

ACTIVE_STATUSES = frozenset({"active", "trialing", "past_due"})


async def upsert_subscription(
    conn: AsyncConnection,
    sub_id: str,
    account_id: int,
    plan_id: str,
    status: str,
    event_created_s: int,
) -> None:
    """Record ``status`` for ``sub_id`` unless it is canceled already or the status we
    hold came from a newer event."""
    now = utcnow()
    await insert_once(
        conn,
        subscriptions,
        ["id"],
        id=sub_id,
        account_id=account_id,
        plan=plan_id,
        status=status,
        last_event_at=event_created_s,
        created_at=now,
        updated_at=now,
    )
    query = (
        update(subscriptions)
        .where(subscriptions.c.id == sub_id)
        .where(subscriptions.c.status != "canceled")  # final
        .values(status=status, plan=plan_id, last_event_at=event_created_s, updated_at=now)
    )
    if status != "canceled":  # a cancellation wins whatever its timestamp
        query = query.where(subscriptions.c.last_event_at <= event_created_s)
    await conn.execute(query)


async def sync_plan(conn: AsyncConnection, account_id: int, catalog: Catalog) -> tuple[str, str]:
    """The account's plan follows its live subscriptions (free without one)."""
    live = (
        await conn.execute(
            select(subscriptions.c.plan)
            .where(subscriptions.c.account_id == account_id)
            .where(subscriptions.c.status.in_(sorted(ACTIVE_STATUSES)))
            .order_by(subscriptions.c.updated_at.desc())
        )
    ).scalars()
    plan = next((p for p in live if p in catalog.plans), "free")
    before = await conn.scalar(select(accounts.c.plan).where(accounts.c.id == account_id))
    if before != plan:
        await conn.execute(update(accounts).where(accounts.c.id == account_id).values(plan=plan))
    return str(before), plan
