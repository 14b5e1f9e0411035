"""Images written straight into the tables (a job and its image each), for the gallery's
reads: many, fast, with chosen prompts, models and times. The objects are not stored;
the gallery only signs links to them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from core.clock import utcnow
from core.db.tables import images, jobs
from core.types import Actor
from tests.conftest import unique_user


async def new_user(app, language: str | None = None) -> tuple[Actor, int]:
    actor = Actor("test", unique_user(), "Tester", language or "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor, (await app.core.account(actor)).account_id


async def seed_images(
    app,
    account_id: int,
    prompts: Sequence[str],
    *,
    model: str = "preview",
    start: datetime | None = None,
    step_s: float = -60.0,
    same_time: bool = False,
) -> list[str]:
    """One job and image per prompt, the first at ``start`` (default now) and each next
    ``step_s`` later (earlier, by default); all at ``start`` with ``same_time``. Returns
    the image ids in the order given."""
    start = start or utcnow()
    job_rows, image_rows = [], []
    for n, prompt in enumerate(prompts):
        at = start if same_time else start + timedelta(seconds=step_s * n)
        job_id = uuid.uuid4().hex
        image_id = uuid.uuid4().hex[:24]
        job_rows.append(
            dict(
                id=job_id,
                account_id=account_id,
                status="succeeded",
                model_id=model,
                prompt=prompt,
                aspect_ratio="1:1",
                width_px=512,
                height_px=512,
                image_count=1,
                cost_credits=1,
                platform="test",
                created_at=at,
                finished_at=at,
            )
        )
        image_rows.append(
            dict(
                id=image_id,
                job_id=job_id,
                account_id=account_id,
                position=0,
                storage_key=f"images/{account_id}/{job_id}/0.png",
                mime="image/png",
                width_px=512,
                height_px=512,
                size_bytes=123_456,
                created_at=at,
            )
        )
    async with app.uow() as uow:
        await uow.conn.execute(jobs.insert(), job_rows)
        await uow.conn.execute(images.insert(), image_rows)
        await uow.commit()
    return [row["id"] for row in image_rows]
