"""The fake Bot API sends files and refuses chats the way Telegram does, to the real
python-telegram-bot client.

Each case names its source: "Bot API" is the "Sending files" section and the method pages
of the Telegram Bot API docs, "PTB" the installed python-telegram-bot (its
``telegram.constants.FileSizeLimit`` and how ``request._baserequest`` maps an error
answer to an exception), "2nd" Telegram's error wording as client libraries' issue
trackers quote it (see ``tests/support/fake_telegram_delivery``).
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import FileSizeLimit
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TimedOut
from telegram.request import HTTPXRequest

from tests.support.fake_telegram import BOT_TOKEN
from tests.support.fake_telegram_delivery import Upload
from tests.support.telegram_harness import fake_bot_api

CHAT = 4242
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
CONTENT = {
    "gif": b"GIF89a" + b"\0" * 100,
    "pdf": b"%PDF-1.7\n" + b"\0" * 100,
    "zip": b"PK\x03\x04" + b"\0" * 100,
    "png": PNG,
    "jpg": b"\xff\xd8\xff\xe0" + b"\0" * 100,
}


@pytest.fixture
async def fake():
    async with fake_bot_api() as api:

        async def fetch(url: str) -> bytes | None:  # what is "served" at each test link
            name = url.rsplit("/", 1)[-1]
            if name.startswith("big-"):
                return PNG + b"\0" * (int(name.split("-")[1].split(".")[0]) - len(PNG))
            return CONTENT.get(name.rsplit(".", 1)[-1]) if "." in name else None

        api.fetch_url = fetch
        yield api


@pytest.fixture
async def bot(fake):
    request = HTTPXRequest(read_timeout=0.5, media_write_timeout=20)
    async with Bot(BOT_TOKEN, base_url=f"{fake.url}/bot", request=request) as client:
        yield client


def _link(name: str) -> str:
    return f"http://files.example/{name}"


# -- sendDocument by URL: GIF, PDF and ZIP only (Bot API, "Sending files") --------------


@pytest.mark.parametrize("kind", ["gif", "pdf", "zip"])
async def test_a_document_link_to_gif_pdf_or_zip_is_sent(fake, bot, kind):
    message = await bot.send_document(CHAT, _link(f"file.{kind}"))
    assert message.document is not None


@pytest.mark.parametrize("kind", ["png", "jpg"])
async def test_a_document_link_to_an_image_is_refused(fake, bot, kind):
    """Bot API + 2nd: "wrong file identifier/HTTP URL specified"."""
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier/http url specified"):
        await bot.send_document(CHAT, _link(f"file.{kind}"))
    assert fake.delivered("sendDocument") == []


async def test_a_document_link_the_fake_cannot_read_is_judged_by_its_extension(fake, bot):
    fake.fetch_url = None
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(CHAT, _link("0.png?exp=1&sig=ab"))
    assert (await bot.send_document(CHAT, _link("manual.pdf"))).document is not None


# -- sendPhoto by URL: at most 5 MB (Bot API, "Sending files") --------------------------


async def test_a_photo_link_up_to_5_mb_is_sent(fake, bot):
    assert (await bot.send_photo(CHAT, _link("big-5000000.png"))).photo


async def test_a_photo_link_over_5_mb_is_refused(fake, bot):
    """Bot API + 2nd: "failed to get HTTP URL content"."""
    with pytest.raises(BadRequest, match=r"(?i)failed to get http url content"):
        await bot.send_photo(CHAT, _link("big-5000001.png"))


async def test_a_photo_link_telegram_cannot_reach_is_refused(fake, bot):
    """2nd: a link on a private address (our local storage) is "failed to get HTTP URL
    content"; an upload still works."""
    fake.links_reachable = False
    with pytest.raises(BadRequest, match=r"(?i)failed to get http url content"):
        await bot.send_photo(CHAT, _link("file.png"))
    assert (await bot.send_photo(CHAT, InputFile(_png(64, 64), filename="a.png"))).photo


# -- sendPhoto dimensions: width + height <= 10000, ratio <= 20 (Bot API sendPhoto) ------


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("size", [(5000, 5000), (2000, 100), (100, 2000), (1280, 64)], ids=str)
async def test_a_photo_within_the_dimension_rules_is_sent(fake, bot, size):
    assert (await bot.send_photo(CHAT, InputFile(_png(*size), filename="a.png"))).photo


@pytest.mark.parametrize("size", [(5001, 5000), (2001, 100), (100, 2001), (9000, 2000)], ids=str)
async def test_a_photo_beyond_the_dimension_rules_is_refused_uploaded_or_by_link(fake, bot, size):
    """Bot API sendPhoto: "width and height must not exceed 10000 in total. Width and
    height ratio must be at most 20"; 2nd: "PHOTO_INVALID_DIMENSIONS"."""
    data = _png(*size)
    with pytest.raises(BadRequest, match=r"(?i)photo_invalid_dimensions"):
        await bot.send_photo(CHAT, InputFile(data, filename="a.png"))

    async def fetch(url: str) -> bytes:
        return data

    fake.fetch_url = fetch
    with pytest.raises(BadRequest, match=r"(?i)photo_invalid_dimensions"):
        await bot.send_photo(CHAT, _link("wide.png"))
    assert fake.delivered("sendPhoto") == []
    # A document has no such rule.
    assert (await bot.send_document(CHAT, InputFile(data, filename="a.png"))).document


# -- uploads: 10 MB for photos, 50 MB for other files (Bot API; PTB FileSizeLimit) ------


async def test_a_photo_upload_up_to_10_mb_is_sent_with_its_fields(fake, bot):
    data = PNG + b"\0" * (int(FileSizeLimit.PHOTOSIZE_UPLOAD) - len(PNG))
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Reroll", callback_data="rr:1")]])
    message = await bot.send_photo(
        CHAT,
        InputFile(data, filename="a.png"),
        caption="x",
        reply_markup=markup,
    )
    assert message.photo and message.caption == "x"
    [call] = fake.delivered("sendPhoto")
    upload = call.params["photo"]
    assert isinstance(upload, Upload) and upload.data == data and upload.filename == "a.png"
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "rr:1"


async def test_a_photo_upload_over_10_mb_is_refused(fake, bot):
    data = PNG + b"\0" * int(FileSizeLimit.PHOTOSIZE_UPLOAD)
    with pytest.raises(BadRequest, match=r"(?i)too big"):
        await bot.send_photo(CHAT, InputFile(data, filename="a.png"))


async def test_a_document_upload_of_an_image_is_sent_and_over_50_mb_refused(fake, bot):
    assert (await bot.send_document(CHAT, InputFile(PNG, filename="a.png"))).document
    data = PNG + b"\0" * int(FileSizeLimit.FILESIZE_UPLOAD)
    with pytest.raises(BadRequest, match=r"(?i)too big"):
        await bot.send_document(CHAT, InputFile(data, filename="a.png"))


# -- chat-level failures (PTB request._baserequest; Bot API error answers) -------------


async def test_a_migrated_group_answers_with_its_new_chat_id(fake, bot):
    """PTB: ``parameters.migrate_to_chat_id`` raises ChatMigrated, which is no BadRequest."""
    fake.migrate_chat(-4001, -1004001)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-4001, "hello")
    assert caught.value.new_chat_id == -1004001 and not isinstance(caught.value, BadRequest)
    assert (await bot.send_message(-1004001, "hello")).chat.id == -1004001


async def test_a_user_who_blocked_the_bot_gets_403_forbidden(fake, bot):
    """PTB: status 403 raises Forbidden; 2nd: "Forbidden: bot was blocked by the user"."""
    fake.block_chat(CHAT)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_photo(CHAT, _link("file.png"))


async def test_a_send_past_the_read_timeout_times_out_yet_arrives(fake, bot):
    """PTB: an httpx timeout raises TimedOut, a NetworkError (not a BadRequest): the
    message may have reached the chat all the same."""
    fake.hang_next("sendPhoto")
    with pytest.raises(TimedOut) as caught:
        await bot.send_photo(CHAT, _link("file.png"))
    assert isinstance(caught.value, NetworkError) and not isinstance(caught.value, BadRequest)
    assert len(fake.delivered("sendPhoto")) == 1
