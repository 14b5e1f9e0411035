"""Results reach a Telegram chat under Telegram's real file and error rules: the real PTB
client of the adapter against the fake Bot API (``tests/support/fake_telegram_delivery``),
the core on SQLite with the in-process event bus (which retries a failed delivery)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

import core.jobs.attempts as attempts_module
from core.db.tables import jobs
from core.types import Actor
from tests.support.fake_telegram import Call, FakeBotApi, group_chat, user
from tests.support.fake_telegram_delivery import PHOTO_BY_URL_MAX_BYTES, Upload
from tests.support.telegram_harness import (
    accept_terms,
    button_data,
    fake_bot_api,
    running_adapter,
    text_has,
)

ADA = user(434343, first_name="Ada")
SIX_MB = 6_000_000


@pytest.fixture
def app(embedded_app):
    return embedded_app


@pytest.fixture
async def fake(app):
    """The fake Bot API with the adapter running against it (1 s read timeout)."""
    async with fake_bot_api() as api, running_adapter(app, api, read_timeout_s=1.0):
        yield api


async def _imagine(fake: FakeBotApi, text: str, chat: dict | None = None) -> None:
    mark = fake.mark()
    await fake.push_command(ADA, f"/imagine {text}", chat=chat)
    await fake.wait_for("editMessageText", text_has("Queued"), after=mark)


def _caption_link(call: Call) -> str:
    """The storage link on an uploaded file's caption (a text_link entity over it)."""
    [entity] = call.params["caption_entities"]
    assert entity["type"] == "text_link" and entity["offset"] == 0
    assert entity["length"] == len(call.params["caption"].encode("utf-16-le")) // 2
    return entity["url"]


async def _delivered_at(app, job_prefix: str = ""):
    async with app.uow() as uow:
        rows = (await uow.conn.execute(select(jobs.c.id, jobs.c.delivered_at))).all()
    return {r.id: r.delivered_at for r in rows if r.id.startswith(job_prefix)}


# -- defect 1: previews are the photos; documents and oversized photos are uploaded --


async def test_full_resolution_files_are_uploaded_with_the_link_in_the_caption(fake, app):
    await accept_terms(fake, ADA)
    await app.core.set_preferences(Actor("telegram", str(ADA["id"])), as_file=True)
    await _imagine(fake, "a mountain")
    mark = fake.mark()
    await app.worker.run(burst=True)
    await fake.wait_for("editMessageText", text_has("Done"), after=mark)
    documents = fake.delivered("sendDocument", after=mark)
    assert len(documents) == 1, [c.params for c in fake.of("sendDocument", after=mark)]
    upload = documents[0].params["document"]
    assert isinstance(upload, Upload) and upload.data.startswith(b"\x89PNG")
    assert upload.filename.endswith(".png")
    assert _caption_link(documents[0]).startswith("http://127.0.0.1:9/media/")
    assert {"Reroll", "Delete"} <= set(button_data(documents[0]))
    assert not fake.of("sendPhoto", after=mark)
    assert not [c for c in fake.of("sendMessage", after=mark) if "/media/" in c.params["text"]]


def _inflate_originals(app, monkeypatch) -> None:
    """Every original stored from now on is over Telegram's 5 MB photo-by-link limit (a
    PNG all the same); previews are stored as made."""
    store = app.local_store
    put = store.put

    async def oversized_put(key: str, data: bytes, content_type: str) -> None:
        if ".preview." not in key:
            data += b"\0" * SIX_MB
        await put(key, data, content_type)

    monkeypatch.setattr(store, "put", oversized_put)


async def test_the_preview_is_the_photo_by_link_with_the_full_size_original_linked(
    fake, app, monkeypatch
):
    _inflate_originals(app, monkeypatch)
    await accept_terms(fake, ADA)
    await _imagine(fake, "a very detailed panorama")
    mark = fake.mark()
    await app.worker.run(burst=True)
    await fake.wait_for("editMessageText", text_has("Done"), after=mark)
    [photo] = fake.of("sendPhoto", after=mark)  # the first try, and taken
    assert fake.delivered("sendPhoto", after=mark) == [photo]
    preview_url = photo.params["photo"]
    assert isinstance(preview_url, str) and urlsplit(preview_url).path.endswith(".preview.jpg")
    served = await fake.fetch_url(preview_url)
    assert served is not None and served.startswith(b"\xff\xd8\xff")
    assert len(served) <= PHOTO_BY_URL_MAX_BYTES
    original_url = _caption_link(photo)
    assert urlsplit(original_url).path.endswith(".png")
    original = await fake.fetch_url(original_url)
    assert original is not None and len(original) > SIX_MB  # never sent as a photo
    assert photo.params["caption"] == "Full-size image"
    assert "Reroll" in button_data(photo)
    assert not fake.of("sendDocument", after=mark)


async def test_where_telegram_cannot_reach_our_links_the_preview_is_uploaded(
    fake, app, monkeypatch
):
    _inflate_originals(app, monkeypatch)
    fake.links_reachable = False
    await accept_terms(fake, ADA)
    await _imagine(fake, "a harbour at night")
    mark = fake.mark()
    await app.worker.run(burst=True)
    await fake.wait_for("editMessageText", text_has("Done"), after=mark)
    by_link, uploaded = fake.of("sendPhoto", after=mark)
    assert "_answer" not in by_link.params  # refused: Telegram cannot fetch it
    assert fake.delivered("sendPhoto", after=mark) == [uploaded]
    upload = uploaded.params["photo"]
    assert isinstance(upload, Upload) and upload.data.startswith(b"\xff\xd8\xff")
    assert upload.filename.endswith(".jpg") and len(upload.data) <= PHOTO_BY_URL_MAX_BYTES
    assert upload.data == await fake.fetch_url(by_link.params["photo"])
    assert urlsplit(_caption_link(uploaded)).path.endswith(".png")
    assert "Reroll" in button_data(uploaded)
    assert not fake.of("sendDocument", after=mark)


async def test_an_image_without_a_preview_over_the_5_mb_link_limit_is_uploaded(
    fake, app, monkeypatch
):
    def no_preview(data: bytes, mime: str):
        raise ValueError("no preview today")

    monkeypatch.setattr(attempts_module, "make_preview", no_preview)
    _inflate_originals(app, monkeypatch)
    await accept_terms(fake, ADA)
    await _imagine(fake, "a very detailed panorama")
    mark = fake.mark()
    await app.worker.run(burst=True)
    await fake.wait_for("editMessageText", text_has("Done"), after=mark)
    sends = fake.of("sendPhoto", after=mark)
    assert isinstance(sends[0].params["photo"], str) and "_answer" not in sends[0].params
    [uploaded] = fake.delivered("sendPhoto", after=mark)
    assert isinstance(uploaded.params["photo"], Upload)
    assert len(uploaded.params["photo"].data) > SIX_MB
    assert _caption_link(uploaded) == sends[0].params["photo"]
    assert "Reroll" in button_data(uploaded)
    assert not fake.of("sendDocument", after=mark)


# -- defect 2: delivery errors ----------------------------------------------------------


async def test_a_send_that_times_out_is_never_sent_again(fake, app, caplog):
    caplog.set_level(logging.WARNING, logger="seedream.telegram")
    await accept_terms(fake, ADA)
    await _imagine(fake, "two foxes --n 2")
    fake.hang_next("sendPhoto")  # photo 1 reaches the chat, its answer never comes
    mark = fake.mark()
    await app.worker.run(burst=True)
    await fake.wait_for("editMessageText", text_has("Done"), after=mark)
    sent = fake.delivered("sendPhoto", after=mark)
    photos = [c.params["photo"] for c in sent]
    assert len(photos) == 2 and len(set(photos)) == 2, photos  # each image exactly once
    # The ambiguous one also gets its full-size link, as text (cheap if the photo did
    # arrive).
    original = _caption_link(sent[0])
    links = [c for c in fake.of("sendMessage", after=mark) if c.params["text"] == original]
    assert len(links) == 1
    assert any("timed out" in r.getMessage() for r in caplog.records)


async def test_results_for_a_group_that_became_a_supergroup_reach_the_new_chat(fake, app):
    old_group, new_group = group_chat(-4001), -1009990004001
    await accept_terms(fake, ADA)
    await _imagine(fake, "a harbour", chat=old_group)
    await _imagine(fake, "a second harbour", chat=old_group)
    fake.migrate_chat(old_group["id"], new_group)
    mark = fake.mark()
    await app.worker.run(burst=True)
    await fake.wait_count("sendMessage", 2, after=mark)
    done = [c for c in fake.of("sendMessage", after=mark) if "Done" in c.params["text"]]
    assert [c.params["chat_id"] for c in done] == [str(new_group)] * 2
    photos = fake.delivered("sendPhoto", after=mark)
    assert [c.params["chat_id"] for c in photos] == [str(new_group)] * 2
    # The new id is remembered: the old chat was tried once, then never again.
    to_old = [c for c in fake.calls[mark:] if c.params.get("chat_id") == str(old_group["id"])]
    assert len(to_old) == 1, [c.method for c in to_old]


async def test_a_user_who_blocked_the_bot_stops_the_delivery(fake, app, caplog):
    caplog.set_level(logging.WARNING, logger="seedream.telegram")
    await accept_terms(fake, ADA)
    await _imagine(fake, "a lighthouse --n 2")
    fake.block_chat(ADA["id"])
    mark = fake.mark()
    await app.worker.run(burst=True)
    blocked = [r.getMessage() for r in caplog.records if "blocked" in r.getMessage()]
    assert [m for m in blocked if "kind=finished" in m] == blocked[-1:]
    assert len(fake.of("sendPhoto", after=mark)) == 1  # no retry, no second image
    assert not fake.of("sendDocument", after=mark) and not fake.of("sendMessage", after=mark)
    # The delivery stays claimed, so the sweep does not announce the job again.
    assert all(at is not None for at in (await _delivered_at(app)).values())
    sample = app.metrics.registry.get_sample_value(
        "seedream_deliveries_total", {"platform": "telegram", "outcome": "blocked"}
    )
    assert sample == len(blocked)  # the status edit of "started", then the result
    mark = fake.mark()
    await app.worker.sweep_once()
    assert not fake.of("sendPhoto", after=mark)
