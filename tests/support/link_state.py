"""What a /link test compares before and after: every row naming either account."""

from __future__ import annotations

from sqlalchemy import Table, or_, select

from bot.bootstrap import App
from core.db.tables import accounts, metadata


def account_tables() -> list[Table]:
    """Every table of the models with an account reference (``accounts`` excluded)."""
    return [
        table
        for table in metadata.sorted_tables
        if table.name != "accounts"
        and (
            "account_id" in table.c or any(fk.column.table is accounts for fk in table.foreign_keys)
        )
    ]


async def snapshot(app: App, *account_ids: int) -> dict[str, list[tuple]]:
    """The rows of ``accounts`` and of every account table that name ``account_ids``."""
    found: dict[str, list[tuple]] = {}
    async with app.uow() as uow:
        rows = await uow.conn.execute(
            select(accounts).where(accounts.c.id.in_(account_ids)).order_by(accounts.c.id)
        )
        found["accounts"] = [tuple(r) for r in rows]
        for table in account_tables():
            columns = [c for c in table.c if c.name.endswith("account_id")]
            rows = await uow.conn.execute(
                select(table).where(or_(*(c.in_(account_ids) for c in columns)))
            )
            found[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return found
