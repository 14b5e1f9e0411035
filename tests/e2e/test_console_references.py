"""/imagine --image PATH in the console, with the embedded core (SQLite, in-process queue,
local images) and through the installed `seedream console` command: local files become
the job's reference images (stored clean, drawn from by the offline preview); a bad path
or a refused file gets a clear message and nothing is spent."""

from __future__ import annotations

import asyncio
import io
import re
import sqlite3

import pytest
from sqlalchemy import select

from adapters.console.adapter import ConsoleAdapter
from adapters.console.images import split_image_options
from core.db.tables import jobs, uploads
from core.types import Actor
from tests.conftest import unique_user
from tests.e2e.test_cli import _run
from tests.support import upload_images as img


def test_image_options_are_taken_out_of_the_text_in_order():
    assert split_image_options("a cat --image a.png --ar 16:9 \u2014image 'my b.jpg'") == (
        "a cat --ar 16:9",
        ["a.png", "my b.jpg"],
    )
    assert split_image_options('a cat --IMAGE "x y.png"') == ("a cat", ["x y.png"])
    assert split_image_options("a cat --images x") == ("a cat --images x", [])
    assert split_image_options("no--image here") == ("no--image here", [])


@pytest.fixture
async def console(embedded_app, tmp_path):
    out, user_id = io.StringIO(), unique_user("console")
    adapter = ConsoleAdapter(
        embedded_app.core,
        embedded_app.messages,
        embedded_app.events,
        stdin=io.StringIO(),
        stdout=out,
        user_id=user_id,
    )
    consumer = asyncio.create_task(embedded_app.events.consume())
    try:
        await adapter.handle_line("/accept")
        yield adapter, out, Actor("console", user_id)
    finally:
        consumer.cancel()
        await asyncio.gather(consumer, return_exceptions=True)


async def _settle(app, adapter) -> None:
    await app.worker.run(burst=True)
    await asyncio.wait_for(adapter._all_done.wait(), timeout=30)


async def test_imagine_with_local_images_draws_from_them(embedded_app, console, tmp_path):
    app, (adapter, out, actor) = embedded_app, console
    photo, drawing = tmp_path / "holiday photo.jpg", tmp_path / "sketch.png"
    photo.write_bytes(img.geotagged_jpeg((80, 40)))
    drawing.write_bytes(img.png((64, 64)))

    await adapter.handle_line(f"/imagine a castle --image '{photo}' --n 2 --image {drawing}")
    await _settle(app, adapter)
    text = out.getvalue()
    assert re.search(r"Queued [0-9a-f]{8} \(2 images, 2 credits; balance 18\)", text), text
    assert re.search(r"Done [0-9a-f]{8}:", text) and "Traceback" not in text

    (job,) = await app.core.history(actor)
    assert job.prompt == "a castle" and job.image_count == 2 and job.status == "succeeded"
    async with app.uow() as uow:
        ids = await uow.conn.scalar(
            select(jobs.c.reference_upload_ids).where(jobs.c.id == job.job_id)
        )
        rows = {r.id: r for r in await uow.conn.execute(select(uploads))}
    first, second = (rows[i] for i in ids.split(","))
    assert (first.width_px, first.height_px, second.width_px) == (40, 80, 64)  # upright
    stored = await app.storage.get(first.storage_key)
    assert b"Exif" not in stored and img.CAMERA_SERIAL.encode() not in stored
    assert len(job.images) == 2


async def test_bad_image_paths_and_refused_files_spend_nothing(embedded_app, console, tmp_path):
    app, (adapter, out, actor) = embedded_app, console
    empty, text_file = tmp_path / "empty.png", tmp_path / "notes.png"
    empty.write_bytes(b"")
    text_file.write_bytes(img.NOT_AN_IMAGE)
    lines = [
        f"/imagine a cat --image {tmp_path / 'missing.png'}",
        f"/imagine a cat --image {tmp_path}",  # a folder
        "/imagine a cat --image",
        "/imagine a cat --image --ar 16:9",
        "/imagine a cat --image https://example.com/cat.png",
        f"/imagine a cat --image {empty}",
        f"/imagine a cat --image {text_file}",
        f"/imagine a cat --image {text_file} --style raw",
        "/credits",
    ]
    for line in lines:
        await adapter.handle_line(line)
    text = out.getvalue()
    assert text.count("I cannot read the image file") == 2
    assert f"{tmp_path / 'missing.png'}" in text
    assert text.count("The option --image needs the path of an image file") == 2
    assert "not a web address (https://example.com/cat.png)" in text
    assert "That file is empty. Nothing was charged." in text
    assert "That file is not an image I can read" in text
    assert "I don't know the option --style" in text  # the rest is checked before reading
    assert "Balance: 20 credits." in text and "Traceback" not in text
    assert await app.core.history(actor) == []
    async with app.uow() as uow:
        assert (await uow.conn.execute(select(uploads))).all() == []
    assert await app.storage.list_keys("uploads/") == []


def test_the_seedream_console_takes_image_files(cli_env, tmp_path):
    (tmp_path / "cat.jpg").write_bytes(img.jpeg((96, 64)))
    (tmp_path / "moving.gif").write_bytes(img.animated_gif())
    result = _run(
        ["console", "--no-web"],
        cli_env,
        tmp_path,
        stdin="/accept\n/imagine a cat --image moving.gif\n/imagine a cat --image cat.jpg\n",
    )
    assert result.returncode == 1, result.stderr  # the animated image was refused
    out = result.stdout
    assert "Animated images cannot be used as references" in out
    assert re.search(r"Done [0-9a-f]{8}:", out) and "Traceback" not in out + result.stderr
    with sqlite3.connect(tmp_path / "var" / "seedream.db") as db:
        (refs, status) = db.execute("SELECT reference_upload_ids, status FROM jobs").fetchone()
        (upload_id, key, mime, width) = db.execute(
            "SELECT id, storage_key, mime, width_px FROM uploads"
        ).fetchone()
    assert (refs, status, mime, width) == (upload_id, "succeeded", "image/jpeg", 96)
    assert (tmp_path / "var" / "media" / key).is_file()
