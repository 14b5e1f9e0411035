"""The fake Bot API refuses what Telegram refuses for the methods our client calls
(sendMessage, editMessageText, answerCallbackQuery, setWebhook, inline keyboards, getFile
and the file download), in Telegram's error shape, and PTB raises the error our code
handles.

Each case names its source: "PTB" is the installed python-telegram-bot (its
``telegram.constants``), "Bot API" the method's page in the Telegram Bot API docs, "seen"
an error text Telegram is reported to answer (the docs list no error texts; the reports are
named in ``tests/support/fake_telegram_rules.py``). Stars payments are in
``test_telegram_payments_fake.py``, file and photo sending in
``test_telegram_delivery_fake.py``.
"""

from __future__ import annotations

import json

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import (
    BotCommandLimit,
    CallbackQueryLimit,
    InlineKeyboardButtonLimit,
    MessageLimit,
)
from telegram.error import BadRequest

from adapters.common.catalogue import chat_messages
from adapters.telegram.app import command_menu, menu_languages
from adapters.telegram.keyboards import MAX_CALLBACK_BYTES
from adapters.telegram.render import LOCALES_DIR as TELEGRAM_LOCALES
from core.text.catalogue import DEFAULT_LANGUAGE, Messages
from tests.support.fake_telegram import BOT_TOKEN
from tests.support.fake_telegram_files import MAX_DOWNLOAD_BYTES
from tests.support.fake_telegram_rules import NOT_MODIFIED, QUERY_TOO_OLD
from tests.support.telegram_harness import assert_refused as _refused
from tests.support.telegram_harness import call_method as _call
from tests.support.telegram_harness import fake_bot_api

CHAT = "4242"
KEYBOARD = json.dumps({"inline_keyboard": [[{"text": "16:9", "callback_data": "sa:16:9"}]]})


@pytest.fixture
async def fake():
    async with fake_bot_api() as api:
        yield api


@pytest.fixture
async def bot(fake):
    async with Bot(
        BOT_TOKEN, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot"
    ) as client:
        yield client


def test_our_callback_limit_is_telegrams():
    # PTB InlineKeyboardButtonLimit.MAX_CALLBACK_DATA; Bot API "callback_data … 1-64 bytes"
    assert MAX_CALLBACK_BYTES == InlineKeyboardButtonLimit.MAX_CALLBACK_DATA


# -- sendMessage ---------------------------------------------------------------------------


async def test_a_message_at_the_limit_is_sent(fake):
    # PTB MessageLimit.MAX_TEXT_LENGTH counts characters, not bytes.
    answer = await _call(fake, "sendMessage", chat_id=CHAT, text="é" * MessageLimit.MAX_TEXT_LENGTH)
    assert answer.status_code == 200 and answer.json()["ok"] is True


@pytest.mark.parametrize(
    ("params", "description"),
    [
        # PTB MessageLimit.MAX_TEXT_LENGTH; Bot API sendMessage "1-4096 characters"; seen
        ({"text": "x" * (MessageLimit.MAX_TEXT_LENGTH + 1)}, "Bad Request: message is too long"),
        # PTB MessageLimit.MIN_TEXT_LENGTH; seen
        ({"text": ""}, "Bad Request: message text is empty"),
        # Bot API InlineKeyboardButton "callback_data … 1-64 bytes"; seen BUTTON_DATA_INVALID
        (
            {
                "text": "hi",
                "reply_markup": json.dumps(
                    {"inline_keyboard": [[{"text": "b", "callback_data": "é" * 33}]]}
                ),
            },
            "Bad Request: BUTTON_DATA_INVALID",
        ),
        (
            {
                "text": "hi",
                "reply_markup": json.dumps(
                    {"inline_keyboard": [[{"text": "b", "callback_data": ""}]]}
                ),
            },
            "Bad Request: BUTTON_DATA_INVALID",
        ),
        # Our client sends no parse_mode (prompts are shown as typed); the fake refuses it.
        (
            {"text": "<b>hi", "parse_mode": "HTML"},
            "Bad Request: this fake does not model parse_mode",
        ),
    ],
)
async def test_send_message_refuses_what_telegram_refuses(fake, params, description):
    _refused(await _call(fake, "sendMessage", chat_id=CHAT, **params), description)


async def test_ptb_raises_bad_request_for_a_long_message(bot):
    with pytest.raises(BadRequest, match="Message is too long"):  # PTB capitalises
        await bot.send_message(int(CHAT), "x" * (MessageLimit.MAX_TEXT_LENGTH + 1))


# -- editMessageText -----------------------------------------------------------------------


async def test_an_edit_that_changes_nothing_is_refused(fake, bot):
    sent = await bot.send_message(
        int(CHAT),
        "Your defaults",
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("16:9", callback_data="sa:16:9")]]
        ),
    )
    same = {"chat_id": CHAT, "message_id": str(sent.message_id), "text": "Your defaults"}
    # seen (verbatim, e.g. python-telegram-bot and aiogram issues): text and markup both
    # as they are.
    _refused(await _call(fake, "editMessageText", **same, reply_markup=KEYBOARD), NOT_MODIFIED)
    # PTB strips "Bad Request: " from the description: our code matches the rest.
    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_text(
            "Your defaults",
            chat_id=int(CHAT),
            message_id=sent.message_id,
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("16:9", callback_data="sa:16:9")]]
            ),
        )
    assert caught.value.message.startswith("Message is not modified")
    # Bot API editMessageText: without reply_markup the keyboard goes, so that is a change;
    # once it is gone, the same edit again changes nothing.
    assert (await _call(fake, "editMessageText", **same)).status_code == 200
    _refused(await _call(fake, "editMessageText", **same), NOT_MODIFIED)
    # A different text is an edit.
    assert (await _call(fake, "editMessageText", **{**same, "text": "New"})).status_code == 200


async def test_edit_message_text_keeps_the_text_rules(fake, bot):
    sent = await bot.send_message(int(CHAT), "status")
    target = {"chat_id": CHAT, "message_id": str(sent.message_id)}
    long_text = "x" * (MessageLimit.MAX_TEXT_LENGTH + 1)
    # PTB MessageLimit.MAX_TEXT_LENGTH; Bot API editMessageText "1-4096 characters"
    _refused(
        await _call(fake, "editMessageText", **target, text=long_text),
        "Bad Request: message is too long",
    )
    _refused(
        await _call(fake, "editMessageText", **target, text=""),
        "Bad Request: message text is empty",
    )


# -- answerCallbackQuery -------------------------------------------------------------------


async def test_a_callback_query_is_answered_once(fake, bot):
    assert await bot.answer_callback_query("q-1", "Saved")
    # seen: a second answer is refused like an expired or unknown query.
    _refused(await _call(fake, "answerCallbackQuery", callback_query_id="q-1"), QUERY_TOO_OLD)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("q-1")


async def test_a_callback_answer_over_200_characters_is_refused(fake):
    # PTB CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH; Bot API "text … 0-200
    # characters"; seen MESSAGE_TOO_LONG
    limit = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
    answer = await _call(fake, "answerCallbackQuery", callback_query_id="q-2", text="é" * limit)
    assert answer.status_code == 200
    _refused(
        await _call(fake, "answerCallbackQuery", callback_query_id="q-3", text="x" * (limit + 1)),
        "Bad Request: MESSAGE_TOO_LONG",
    )


# -- setWebhook ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "description"),
    [
        # Bot API setWebhook secret_token: "Only characters A-Z, a-z, 0-9, _ and - are
        # allowed"; seen (a bot token as the secret: its ":" is refused)
        ({"secret_token": BOT_TOKEN}, "Bad Request: secret token contains unallowed characters"),
        # Bot API "1-256 characters" (the wording of this refusal is not reported: same text)
        ({"secret_token": "a" * 257}, "Bad Request: secret token contains unallowed characters"),
        ({"secret_token": ""}, "Bad Request: secret token contains unallowed characters"),
        # Bot API setWebhook url: "HTTPS URL to send updates to"
        (
            {"url": "http://bot.example/telegram/webhook"},
            "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
        ),
    ],
)
async def test_set_webhook_refuses_what_telegram_refuses(fake, params, description):
    good = {"url": "https://bot.example/telegram/webhook", "secret_token": "a-Z_09"}
    _refused(await _call(fake, "setWebhook", **{**good, **params}), description)
    assert fake.webhook is None


async def test_a_valid_webhook_is_set(fake, bot):
    secret = "A" * 256
    assert await bot.set_webhook("https://bot.example/telegram/webhook", secret_token=secret)
    assert fake.webhook["secret_token"] == secret


# -- setMyCommands -------------------------------------------------------------------------


def _commands(*pairs: tuple[str, str]) -> str:
    return json.dumps([{"command": c, "description": d} for c, d in pairs])


@pytest.mark.parametrize(
    ("commands", "description"),
    [
        # Bot API BotCommand "1-32 characters … only lowercase English letters, digits and
        # underscores"; PTB BotCommandLimit.MAX_COMMAND; seen BOT_COMMAND_INVALID
        (_commands(("Imagine", "Draw")), "Bad Request: BOT_COMMAND_INVALID"),
        (
            _commands(("x" * (BotCommandLimit.MAX_COMMAND + 1), "Draw")),
            "Bad Request: BOT_COMMAND_INVALID",
        ),
        (_commands(("", "Draw")), "Bad Request: BOT_COMMAND_INVALID"),
        # Bot API "description … 1-256 characters"; PTB BotCommandLimit.MAX_DESCRIPTION
        (
            _commands(("imagine", "x" * (BotCommandLimit.MAX_DESCRIPTION + 1))),
            "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID",
        ),
        (_commands(("imagine", "")), "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"),
        # PTB BotCommandLimit.MAX_COMMAND_NUMBER (Bot API "At most 100 commands")
        (
            _commands(*[(f"c{i}", "d") for i in range(BotCommandLimit.MAX_COMMAND_NUMBER + 1)]),
            "Bad Request: BOT_COMMANDS_TOO_MUCH",
        ),
    ],
)
async def test_set_my_commands_refuses_what_telegram_refuses(fake, commands, description):
    _refused(await _call(fake, "setMyCommands", commands=commands), description)
    assert not fake.commands


@pytest.mark.parametrize("language_code", ["pt-BR", "pt-br", "pt_BR", "en-US", "por", "PT", "p"])
async def test_set_my_commands_refuses_a_language_code_that_is_not_two_letters(fake, language_code):
    # Bot API setMyCommands: language_code is "a two-letter ISO 639-1 language code".
    commands = _commands(("imagine", "Create an image"))
    refused = await _call(fake, "setMyCommands", commands=commands, language_code=language_code)
    _refused(refused, "Bad Request: invalid language code specified")
    assert not fake.commands
    assert await _call(fake, "setMyCommands", commands=commands, language_code="pt")


async def test_our_command_menu_fits_in_every_language(fake, bot, tmp_path):
    """What ``TelegramAdapter.register_commands`` sends, in every catalogue's language
    (a Brazilian Portuguese file registers under ``pt``)."""
    (tmp_path / "pt-BR.ftl").write_text("telegram-cmd-imagine = Criar uma imagem\n")
    messages = chat_messages(Messages(), TELEGRAM_LOCALES).layered(tmp_path)
    codes = menu_languages(messages.languages)
    assert codes["pt"] == "pt-BR" and DEFAULT_LANGUAGE not in codes
    assert await bot.set_my_commands(command_menu(messages, DEFAULT_LANGUAGE))
    for code, locale in codes.items():
        assert await bot.set_my_commands(command_menu(messages, locale), language_code=code)
    assert {c["command"]: c["description"] for c in fake.commands["pt"]}["imagine"] == (
        "Criar uma imagem"
    )


# -- getFile and the file download -----------------------------------------------------


async def test_get_file_then_download_through_ptb(fake, bot):
    # Bot API getFile: a File with file_id, file_unique_id, file_size and file_path; the
    # bytes at <base_file_url><token>/<file_path> (PTB File.download_as_bytearray).
    [small, large] = fake.photo_sizes([(b"thumb", 90, 90), (b"\xff\xd8\xff full", 1280, 960)])
    file = await bot.get_file(large["file_id"])
    assert file.file_unique_id == large["file_unique_id"]
    assert file.file_size == large["file_size"] == len(b"\xff\xd8\xff full")
    assert (
        file.file_path == f"{fake.url}/file/bot{BOT_TOKEN}/{fake.files[large['file_id']].file_path}"
    )
    assert await file.download_as_bytearray() == bytearray(b"\xff\xd8\xff full")
    assert fake.downloads == [fake.files[large["file_id"]].file_path]
    assert small["width"] < large["width"]


async def test_get_file_refuses_a_file_over_20_mib(fake, bot):
    # tdlib/telegram-bot-api Client.h MAX_DOWNLOAD_FILE_SIZE = 20 << 20; Client.cpp
    # do_get_file: "Bad Request: file is too big" (Bot API getFile: "up to 20MB").
    at_limit = fake.add_file(bytes(MAX_DOWNLOAD_BYTES))
    assert (await bot.get_file(at_limit.file_id)).file_size == MAX_DOWNLOAD_BYTES
    over = fake.add_file(bytes(MAX_DOWNLOAD_BYTES + 1))
    _refused(await _call(fake, "getFile", file_id=over.file_id), "Bad Request: file is too big")
    with pytest.raises(BadRequest, match="File is too big"):  # PTB capitalises
        await bot.get_file(over.file_id)
    assert fake.downloads == []


async def test_get_file_refuses_an_unknown_file_id(fake, bot):
    # tdlib/telegram-bot-api Client.cpp TdOnCheckRemoteFileIdCallback: "invalid file_id".
    _refused(await _call(fake, "getFile", file_id="AgAC-nope"), "Bad Request: invalid file_id")
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("AgAC-nope")


async def test_a_file_path_is_served_only_after_get_file(fake):
    # The file link is made by getFile ("valid for at least 1 hour"); a path no getFile
    # handed out, or a wrong token, gets nothing.
    stored = fake.add_file(b"\x89PNG\r\n\x1a\n", folder="photos", ext="png")
    async with httpx.AsyncClient() as client:
        path = f"{fake.url}/file/bot{BOT_TOKEN}/{stored.file_path}"
        assert (await client.get(path)).status_code == 404
        await _call(fake, "getFile", file_id=stored.file_id)
        assert (await client.get(f"{fake.url}/file/botWRONG/{stored.file_path}")).status_code == 401
        assert (await client.get(path)).content == stored.data
    assert fake.downloads == [stored.file_path]


def test_the_fake_never_delivers_a_caption_over_1024_characters(fake):
    # Bot API Message.caption "0-1024 characters"; PTB MessageLimit.CAPTION_LENGTH.
    chat = {"id": 1, "type": "private", "first_name": "Ada"}
    who = {"id": 1, "is_bot": False, "first_name": "Ada"}
    caption = "/imagine " + "x" * (MessageLimit.CAPTION_LENGTH - len("/imagine "))
    message = fake.media_payload(who, chat=chat, caption=caption)["message"]
    assert message["caption_entities"] == [{"type": "bot_command", "offset": 0, "length": 8}]
    with pytest.raises(ValueError, match="1024"):
        fake.media_payload(who, chat=chat, caption=caption + "x")
