"""This installation's own identity: a random id made once and kept in the database.

Payment customers carry it in their metadata, so a customer made by another deployment
(or by this one before its database was reset) is never taken for one of ours, even
when the account ids are the same. It is not a secret.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.billing.grants import insert_once
from core.clock import utcnow
from core.db.tables import deployment_values

DEPLOYMENT_ID = "deployment_id"


async def deployment_id(conn: AsyncConnection) -> str:
    """The deployment id, made on first use (the caller commits)."""
    query = select(deployment_values.c.value).where(deployment_values.c.name == DEPLOYMENT_ID)
    found = await conn.scalar(query)
    if found is None:
        await insert_once(
            conn,
            deployment_values,
            ["name"],
            name=DEPLOYMENT_ID,
            value=uuid.uuid4().hex,
            created_at=utcnow(),
        )
        found = await conn.scalar(query)
    return str(found)
