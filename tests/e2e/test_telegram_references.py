"""Reference images for /imagine on Telegram, end to end: the real PTB Application polling
the fake Bot API, which holds the files users sent and serves them through getFile and
the file link; the core on SQLite with the in-process queue and the local provider.

Cases: a photo whose caption is /imagine, /imagine as a reply to a photo, an image
document, an album with the caption on one item; refusals before any download (a declared
size over the limit, a document not declared as an image, an empty prompt).

The assertions on ``uploads`` rows and ``jobs.reference_upload_ids`` are what the core's
uploads pipeline stores; the assertions on the fake's download log and on the bytes handed
to the core hold for the adapter alone.
"""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import replace

import pytest
from PIL import Image
from sqlalchemy import func, select
from telegram import Bot

from adapters.telegram.references import Attachment, download
from adapters.telegram.webhook import SECRET_HEADER
from bot.bootstrap import bootstrap
from core.db.tables import jobs, uploads
from core.types import Actor
from tests.support.fake_telegram import BOT_TOKEN, BOT_USERNAME, FakeBotApi, group_chat, user
from tests.support.fake_telegram import private_chat as private
from tests.support.telegram_harness import (
    accept_terms,
    fake_bot_api,
    running_adapter,
    text_has,
    webhook_adapter,
)

ADA = user(616161, first_name="Ada")
MIB = 1024 * 1024
SECRET = "s3cret-token_for-the-webhook"


@pytest.fixture
async def app(settings, sqlite_engine):
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as built:
        yield built


@pytest.fixture
async def fake():
    async with fake_bot_api() as api:
        yield api


@pytest.fixture
async def tg(app, fake):
    # Album items pushed in one batch arrive together; a short quiet period suffices.
    async with running_adapter(app, fake, album_quiet_s=0.3, album_max_wait_s=3.0) as adapter:
        yield adapter


def picture(width: int, height: int, colour: str = "teal", fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, fmt)
    return out.getvalue()


def photo(fake: FakeBotApi, colour: str = "teal") -> list[dict]:
    """A ``photo`` array as Telegram sends it: a thumbnail, then the full size."""
    return fake.photo_sizes(
        [(picture(32, 24, colour), 32, 24), (picture(320, 240, colour), 320, 240)]
    )


def path_of(fake: FakeBotApi, file_id: str) -> str:
    return fake.files[file_id].file_path


async def _queued(fake: FakeBotApi, mark: int):
    return await fake.wait_for("editMessageText", text_has("Queued"), after=mark)


async def _refusal(fake: FakeBotApi, mark: int):
    """The status message's edit after "Accepting your request…"."""
    return await fake.wait_for("editMessageText", after=mark)


async def _stored_references(app, who: dict) -> tuple[list[str], int]:
    """(the newest job's reference upload ids, the account's uploads rows)."""
    account = await app.core.account(Actor("telegram", str(who["id"])))
    [job] = (await app.core.history(Actor("telegram", str(who["id"]))))[:1]
    async with app.engine.connect() as conn:
        ids = await conn.scalar(select(jobs.c.reference_upload_ids).where(jobs.c.id == job.job_id))
        count = await conn.scalar(
            select(func.count())
            .select_from(uploads)
            .where(uploads.c.account_id == account.account_id)
        )
    return (ids.split(",") if ids else []), count


async def _balance(app, who: dict) -> int:
    return (await app.core.credits(Actor("telegram", str(who["id"])))).balance_credits


# -- success paths ---------------------------------------------------------------------


async def test_a_photo_captioned_imagine_is_the_reference(tg, fake, app):
    await accept_terms(fake, ADA)
    sizes = photo(fake)
    mark = fake.mark()
    await fake.push_update(
        fake.media_payload(
            ADA, chat=private(ADA), caption="/imagine the same, in snow", photo=sizes
        )
    )
    queued = await _queued(fake, mark)
    assert "balance 19" in queued.params["text"]
    # The largest PhotoSize, and only it, was fetched through getFile and the file link.
    [get_file] = fake.of("getFile", after=mark)
    assert get_file.params["file_id"] == sizes[-1]["file_id"]
    assert fake.downloads == [path_of(fake, sizes[-1]["file_id"])]
    [job] = await app.core.history(Actor("telegram", str(ADA["id"])))
    assert job.prompt == "the same, in snow"
    # Stored by the core's uploads pipeline (the "core" lane).
    ids, count = await _stored_references(app, ADA)
    assert len(ids) == 1 and count == 1


async def test_imagine_replying_to_a_photo_uses_it(tg, fake, app):
    await accept_terms(fake, ADA)
    sizes = photo(fake, "orange")
    shared = fake.media_payload(ADA, chat=private(ADA), photo=sizes)["message"]
    mark = fake.mark()
    await fake.push_command(ADA, "/imagine a poster of this --ar 16:9", reply_to=shared)
    assert await _queued(fake, mark)
    assert [c.params["file_id"] for c in fake.of("getFile", after=mark)] == [sizes[-1]["file_id"]]
    assert fake.downloads == [path_of(fake, sizes[-1]["file_id"])]
    [job] = await app.core.history(Actor("telegram", str(ADA["id"])))
    assert job.aspect_ratio == "16:9" and job.prompt == "a poster of this"
    ids, count = await _stored_references(app, ADA)
    assert len(ids) == 1 and count == 1


async def test_an_image_document_captioned_imagine_is_the_reference(tg, fake, app):
    await accept_terms(fake, ADA)
    document = fake.document(
        picture(200, 100, fmt="PNG"), mime_type="image/png", file_name="cat.png"
    )
    mark = fake.mark()
    await fake.push_update(
        fake.media_payload(
            ADA, chat=group_chat(), caption=f"/imagine@{BOT_USERNAME} a cat", document=document
        )
    )
    assert await _queued(fake, mark)
    assert fake.downloads == [path_of(fake, document["file_id"])]
    ids, count = await _stored_references(app, ADA)
    assert len(ids) == 1 and count == 1


async def test_an_album_gives_all_its_images(tg, fake, app):
    await accept_terms(fake, ADA)
    albums = [photo(fake, colour) for colour in ("red", "green", "blue")]
    items = [
        fake.media_payload(
            ADA,
            chat=private(ADA),
            photo=sizes,
            media_group_id="album-1",
            caption="/imagine these three together" if index == 1 else None,
        )
        for index, sizes in enumerate(albums)
    ]
    mark = fake.mark()
    await fake.push_updates(items)
    queued = await _queued(fake, mark)
    assert "balance 19" in queued.params["text"]  # one job for the album
    assert fake.downloads == [path_of(fake, sizes[-1]["file_id"]) for sizes in albums]
    # The items without a caption get no hint.
    assert [c.params["text"] for c in fake.of("sendMessage", after=mark)] == [
        "Accepting your request…"
    ]
    ids, count = await _stored_references(app, ADA)
    assert len(ids) == 3 and count == 3


async def test_download_hands_the_core_the_bytes_telegram_holds(app, fake):
    """What the adapter passes to ``core.imagine`` as ``reference_images``."""
    data = picture(64, 48)
    [thumb, full] = fake.photo_sizes([(picture(8, 6), 8, 6), (data, 64, 48)])
    assert thumb["file_size"] < full["file_size"]
    attachment = Attachment(full["file_id"], full["file_size"], None, is_image=True)
    async with Bot(
        BOT_TOKEN, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot"
    ) as bot:
        [upload] = await download(bot, app.core, [attachment], timeout_s=5.0)
    assert upload.data == data and upload.filename is None


# -- refusals before any download ------------------------------------------------------


async def test_a_photo_declared_over_the_limit_is_refused_before_downloading(tg, fake, app):
    await accept_terms(fake, ADA)
    big = fake.photo_sizes([(picture(32, 24), 32, 24), (bytes(21 * MIB), 4000, 3000)])
    mark = fake.mark()
    await fake.push_update(
        fake.media_payload(ADA, chat=private(ADA), caption="/imagine a huge one", photo=big)
    )
    refusal = await _refusal(fake, mark)
    assert refusal.params["text"] == (
        "That image is too large: the limit is 20 MB. Nothing was charged."
    )
    assert not fake.of("getFile", after=mark) and fake.downloads == []
    assert await _balance(app, ADA) == 20
    assert await app.core.history(Actor("telegram", str(ADA["id"]))) == []


async def test_a_document_not_declared_as_an_image_is_refused(tg, fake, app):
    await accept_terms(fake, ADA)
    document = fake.document(
        b"%PDF-1.7 not a picture", mime_type="application/pdf", file_name="a.pdf"
    )
    mark = fake.mark()
    await fake.push_update(
        fake.media_payload(ADA, chat=private(ADA), caption="/imagine from this", document=document)
    )
    refusal = await _refusal(fake, mark)
    assert "not an image I can read" in refusal.params["text"]
    assert not fake.of("getFile", after=mark) and fake.downloads == []
    assert await _balance(app, ADA) == 20


async def test_a_caption_imagine_without_a_prompt_asks_for_one(tg, fake, app):
    await accept_terms(fake, ADA)
    mark = fake.mark()
    await fake.push_update(
        fake.media_payload(ADA, chat=private(ADA), caption="/imagine", photo=photo(fake))
    )
    refusal = await _refusal(fake, mark)
    assert refusal.params["text"].startswith("Please describe the picture you want")
    assert not fake.of("getFile", after=mark) and fake.downloads == []
    assert await _balance(app, ADA) == 20


async def test_a_lone_photo_without_a_command_gets_a_hint(tg, fake, app):
    mark = fake.mark()
    await fake.push_update(fake.media_payload(ADA, chat=private(ADA), photo=photo(fake)))
    hint = await fake.wait_for("sendMessage", after=mark)
    assert "with the caption /imagine" in hint.params["text"]
    assert fake.downloads == []
    # In a group the bot stays quiet about photos not meant for it.
    mark = fake.mark()
    await fake.push_update(fake.media_payload(ADA, chat=group_chat(), photo=photo(fake)))
    await fake.push_command(ADA, "/help", chat=group_chat())
    answer = await fake.wait_for("sendMessage", after=mark)
    assert "/imagine PROMPT" in answer.params["text"]
    assert "reply to a picture with /imagine" in answer.params["text"]
    await fake.push_command(ADA, "/models", chat=group_chat())  # one more round trip
    await fake.wait_for("sendMessage", text_has("preview: "), after=mark)
    assert len(fake.of("sendMessage", after=mark)) == 2


async def test_a_file_telegram_no_longer_has_is_refused_clearly(tg, fake, app, caplog):
    await accept_terms(fake, ADA)
    gone = [{"file_id": "AgAC-gone", "file_unique_id": "AQADgone", "width": 90, "height": 90}]
    shared = fake.media_payload(ADA, chat=private(ADA), photo=gone)["message"]
    mark = fake.mark()
    with caplog.at_level(logging.WARNING, logger="seedream.telegram"):
        await fake.push_command(ADA, "/imagine like this secret one", reply_to=shared)
        refusal = await _refusal(fake, mark)
    assert "getFile refused a reference image" in caplog.text
    assert "secret" not in caplog.text and "AgAC-gone" not in caplog.text
    assert str(ADA["id"]) not in caplog.text
    # getFile answered "invalid file_id": the core's "unreadable" text, nothing spent.
    assert refusal.params["text"] == "That image is damaged or cannot be read. Nothing was charged."
    assert [c.params["file_id"] for c in fake.of("getFile", after=mark)] == ["AgAC-gone"]
    assert fake.downloads == []
    assert await _balance(app, ADA) == 20


async def test_uploads_switched_off_refuse_before_downloading(tg, fake, app):
    await accept_terms(fake, ADA)
    app.core.settings = replace(app.core.settings, uploads_enabled=False)
    mark = fake.mark()
    await fake.push_update(
        fake.media_payload(ADA, chat=private(ADA), caption="/imagine a fox", photo=photo(fake))
    )
    refusal = await _refusal(fake, mark)
    assert refusal.params["text"].startswith("Reference images are turned off on this bot.")
    assert not fake.of("getFile", after=mark) and fake.downloads == []
    assert await _balance(app, ADA) == 20
    # A plain /imagine still works.
    mark = fake.mark()
    await fake.push_command(ADA, "/imagine a fox")
    assert await _queued(fake, mark)


async def test_imagine_replying_to_the_bots_own_picture_draws_from_it(tg, fake, app):
    await accept_terms(fake, ADA)
    mark = fake.mark()
    await fake.push_command(ADA, "/imagine a red fox")
    await _queued(fake, mark)
    await app.worker.run(burst=True)
    sent = await fake.wait_for("sendPhoto", after=mark)
    picture_message = fake.sent_message(sent)
    mark = fake.mark()
    await fake.push_command(ADA, "/imagine the same fox, in blue", reply_to=picture_message)
    queued = await _queued(fake, mark)
    assert "balance 18" in queued.params["text"]
    [largest] = picture_message["photo"]
    assert fake.downloads == [path_of(fake, largest["file_id"])]
    # What Telegram served is the picture the bot sent.
    assert fake.files[largest["file_id"]].data == await fake.fetch_url(sent.params["photo"])
    ids, count = await _stored_references(app, ADA)
    assert len(ids) == 1 and count == 1


# -- webhook mode and PostgreSQL ---------------------------------------------------------


async def test_an_album_posted_to_the_webhook_item_by_item(app, http):
    """In webhook mode Telegram posts each album item as its own request."""
    await app.core.accept_terms(Actor("telegram", str(ADA["id"])), age_confirmed=True)
    async with webhook_adapter(app, SECRET) as (fake, _, url):
        albums = [photo(fake, colour) for colour in ("red", "green")]
        updates = [
            fake.make_update(
                fake.media_payload(
                    ADA,
                    chat=private(ADA),
                    photo=sizes,
                    media_group_id="album-w",
                    caption="/imagine both of them" if index == 0 else None,
                )
            )
            for index, sizes in enumerate(albums)
        ]
        mark = fake.mark()
        answers = await asyncio.gather(
            *(http.post(url, json=u, headers={SECRET_HEADER: SECRET}) for u in updates)
        )
        assert all(a.status_code == 200 for a in answers)
        assert await _queued(fake, mark)
        assert fake.downloads == [path_of(fake, sizes[-1]["file_id"]) for sizes in albums]
    ids, count = await _stored_references(app, ADA)
    assert len(ids) == 2 and count == 2


async def test_a_captioned_photo_on_postgresql(settings, pg_engine):
    async with (
        bootstrap(settings, engine=pg_engine, migrate=False) as pg_app,
        fake_bot_api() as fake,
        running_adapter(pg_app, fake),
    ):
        await accept_terms(fake, ADA)
        sizes = photo(fake)
        mark = fake.mark()
        await fake.push_update(
            fake.media_payload(ADA, chat=private(ADA), caption="/imagine on postgres", photo=sizes)
        )
        assert await _queued(fake, mark)
        assert fake.downloads == [path_of(fake, sizes[-1]["file_id"])]
        assert await _balance(pg_app, ADA) == 19
        ids, count = await _stored_references(pg_app, ADA)
        assert len(ids) == 1 and count == 1
