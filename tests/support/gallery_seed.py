"""Images written straight into the tables (a job and its image each), for the gallery's
reads: many, fast, with chosen prompts, models and times. The objects are not stored
unless asked; the gallery only signs links to them. The gallery's tests and
benchmarks/gallery.py seed through here."""

from __future__ import annotations

import colorsys
import io
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import cycle

from PIL import Image, ImageDraw

from core.clock import utcnow
from core.db.tables import images, jobs
from core.types import Actor


async def new_user(app, language: str | None = None) -> tuple[Actor, int]:
    actor = Actor("test", f"u{uuid.uuid4().hex[:12]}", "Tester", language or "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor, (await app.core.account(actor)).account_id


async def seed_images(
    app,
    account_id: int,
    prompts: Sequence[str],
    *,
    model: str | Sequence[str] = "preview",
    start: datetime | None = None,
    step_s: float = -60.0,
    same_time: bool = False,
    store: bool = False,
    size_px: int = 512,
    previews: bool = False,
) -> list[str]:
    """One job and image per prompt, the first at ``start`` (default now) and each next
    ``step_s`` later (earlier, by default); all at ``start`` with ``same_time``; with
    ``store``, a small picture of its own is stored for each (for a browser to show).
    ``model`` names one model or several, taken in turn; ``previews`` gives each image a
    preview's row fields (its object is not stored). Returns the image ids in the order
    given."""
    start = start or utcnow()
    models = cycle([model] if isinstance(model, str) else model)
    job_rows, image_rows = [], []
    for n, (prompt, model_id) in enumerate(zip(prompts, models, strict=False)):
        at = start if same_time else start + timedelta(seconds=step_s * n)
        job_id = uuid.uuid4().hex
        image_id = uuid.uuid4().hex[:24]
        job_rows.append(
            dict(
                id=job_id,
                account_id=account_id,
                status="succeeded",
                model_id=model_id,
                prompt=prompt,
                aspect_ratio="1:1",
                width_px=size_px,
                height_px=size_px,
                image_count=1,
                cost_credits=1,
                platform="test",
                created_at=at,
                finished_at=at,
            )
        )
        image = dict(
            id=image_id,
            job_id=job_id,
            account_id=account_id,
            position=0,
            storage_key=f"images/{account_id}/{job_id}/0.png",
            mime="image/png",
            width_px=size_px,
            height_px=size_px,
            size_bytes=123_456,
            created_at=at,
        )
        if previews:
            image.update(
                preview_key=f"images/{account_id}/{job_id}/0.preview.jpg",
                preview_mime="image/jpeg",
                preview_width_px=size_px // 2,
                preview_height_px=size_px // 2,
                preview_size_bytes=40_000,
            )
        image_rows.append(image)
    if store:
        for n, row in enumerate(image_rows):
            data = picture(n)
            row["size_bytes"] = len(data)
            await app.storage.put(row["storage_key"], data, "image/png")
    async with app.uow() as uow:
        await uow.conn.execute(jobs.insert(), job_rows)
        await uow.conn.execute(images.insert(), image_rows)
        await uow.commit()
    return [row["id"] for row in image_rows]


def picture(n: int, size_px: int = 256) -> bytes:
    """A PNG of its own colour with a circle, so that screenshots show distinct images."""
    r, g, b = colorsys.hsv_to_rgb((n * 0.137) % 1.0, 0.55, 0.9)
    image = Image.new("RGB", (size_px, size_px), (int(r * 255), int(g * 255), int(b * 255)))
    draw = ImageDraw.Draw(image)
    inset = size_px // 4
    draw.ellipse((inset, inset, size_px - inset, size_px - inset), fill=(250, 246, 236))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
