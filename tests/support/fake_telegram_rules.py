"""The Bot API's refusals for the methods our client calls, as a mixin of the fake.

Each rule names its source: "PTB" is the installed python-telegram-bot 22.8 (its
``telegram.constants``), "Bot API" the method's page of the Telegram Bot API docs
(core.telegram.org/bots/api), "seen" an error text Telegram is reported to answer (the
docs do not list error texts; the report is named next to it). Refusals are 400s in
Telegram's shape, ``{"ok": false, "error_code": 400, "description": …}``.
"""

from __future__ import annotations

import re
from typing import Any

from telegram.constants import (
    BotCommandLimit,
    CallbackQueryLimit,
    InlineKeyboardButtonLimit,
    MessageLimit,
)

__all__ = ["NOT_MODIFIED", "QUERY_TOO_OLD", "BotApiRules"]

# seen: python-telegram-bot and aiogram issues quote these texts verbatim.
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
# seen: eternnoir/pyTelegramBotAPI#500 (answerCallbackQuery over 200 characters).
CALLBACK_TEXT_TOO_LONG = "Bad Request: MESSAGE_TOO_LONG"
# seen: tdlib/telegram-bot-api#353, andreoliwa/dontforget#101.
TEXT_TOO_LONG = "Bad Request: message is too long"
TEXT_EMPTY = "Bad Request: message text is empty"
# seen: nickoala/telepot#293, jehy/telegram-test-api#62.
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
# seen: TelegramBots/Telegram.Bot#1467, mymmrac/telego#250 (characters); the wording for
# a length outside 1-256 is not reported anywhere we found, so the same text is used.
SECRET_INVALID = "Bad Request: secret token contains unallowed characters"
# seen: widely quoted setWebhook refusal of an http:// URL.
WEBHOOK_NOT_HTTPS = "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
# Our client never sends parse_mode (prompts are shown as typed, so `<`, `*` and `_` in
# them cannot break a message); the fake refuses it rather than model entity parsing.
NO_PARSE_MODE = "Bad Request: this fake does not model parse_mode"

# seen: levlam (tdlib maintainer) in tdlib/telegram-bot-api#98 for a bad command name;
# the MTProto error table (Telethon's errors.csv) for a description and the count.
COMMAND_INVALID = "Bad Request: BOT_COMMAND_INVALID"
COMMAND_DESCRIPTION_INVALID = "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"
COMMANDS_TOO_MUCH = "Bad Request: BOT_COMMANDS_TOO_MUCH"
# Bot API BotCommand: "command: Text of the command; 1-32 characters. Can contain only
# lowercase English letters, digits and underscores."
_COMMAND = re.compile(r"[a-z0-9_]+")
# Bot API setMyCommands: "language_code: A two-letter ISO 639-1 language code. If empty,
# commands will be applied to all users from the given scope, for whose language there
# are no dedicated commands" (tdlib's check: empty or two lowercase letters).
# seen: a bridge's changelog quoting the answer to ``zh-hans`` (found through code search).
LANGUAGE_CODE_INVALID = "Bad Request: invalid language code specified"
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")

# Bot API setWebhook: "secret_token … 1-256 characters. Only characters A-Z, a-z, 0-9,
# _ and - are allowed."
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class BotApiRules:
    """Checks the fake's method handlers call; each returns an error description or None."""

    def _init_rules(self) -> None:
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.answered_queries: set[str] = set()

    def remember(self, message: dict[str, Any]) -> None:
        """The current content of a message the bot sent or edited (an edit of the
        markup alone keeps the text; an edit without markup removes it)."""
        key = (int(message["chat"]["id"]), int(message["message_id"]))
        current = {**self.messages.get(key, {}), **message}
        if "reply_markup" not in message:
            current.pop("reply_markup", None)
        self.messages[key] = current

    @staticmethod
    def common_refusal(params: dict[str, Any]) -> str | None:
        """Rules of every method that takes ``reply_markup`` or ``parse_mode``."""
        if params.get("parse_mode"):
            return NO_PARSE_MODE
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                # Bot API InlineKeyboardButton: "callback_data … 1-64 bytes";
                # PTB InlineKeyboardButtonLimit.MIN/MAX_CALLBACK_DATA.
                if data is not None and not (
                    InlineKeyboardButtonLimit.MIN_CALLBACK_DATA
                    <= len(data.encode())
                    <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
                ):
                    return BUTTON_DATA_INVALID
        return None

    @staticmethod
    def text_refusal(params: dict[str, Any]) -> str | None:
        """Bot API sendMessage/editMessageText: "text … 1-4096 characters after entities
        parsing"; PTB MessageLimit.MIN_TEXT_LENGTH/MAX_TEXT_LENGTH."""
        text = params.get("text", "")
        if len(text.strip()) < MessageLimit.MIN_TEXT_LENGTH:
            return TEXT_EMPTY
        if len(text) > MessageLimit.MAX_TEXT_LENGTH:
            return TEXT_TOO_LONG
        return None

    def edit_refusal(self, params: dict[str, Any]) -> str | None:
        """Bot API editMessageText: Telegram refuses an edit that changes nothing (text and
        reply markup both as they are; an edit without ``reply_markup`` removes it)."""
        key = (int(params["chat_id"]), int(params["message_id"]))
        current = self.messages.get(key)
        if current is None:  # a message this fake did not send: not modelled
            return None
        same_text = current.get("text") == params.get("text")
        same_markup = current.get("reply_markup") == params.get("reply_markup")
        return NOT_MODIFIED if same_text and same_markup else None

    def callback_answer_refusal(self, params: dict[str, Any]) -> str | None:
        """Bot API answerCallbackQuery: "text … 0-200 characters" (PTB
        CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH); a query is answered once,
        a second answer is refused like an expired one."""
        if len(params.get("text") or "") > CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH:
            return CALLBACK_TEXT_TOO_LONG
        query_id = params["callback_query_id"]
        if query_id in self.answered_queries:
            return QUERY_TOO_OLD
        self.answered_queries.add(query_id)
        return None

    @staticmethod
    def webhook_refusal(params: dict[str, Any]) -> str | None:
        """Bot API setWebhook: an HTTPS URL, and the secret token's length and charset."""
        url = str(params.get("url", ""))
        if url and not url.startswith("https://"):  # an empty URL removes the webhook
            return WEBHOOK_NOT_HTTPS
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
            return SECRET_INVALID
        return None

    @staticmethod
    def commands_refusal(params: dict[str, Any]) -> str | None:
        """Bot API setMyCommands/BotCommand: at most 100 commands; a command 1-32 of
        a-z 0-9 _; a description 1-256 characters (PTB BotCommandLimit); a
        ``language_code`` empty or two letters (``pt``, never ``pt-BR``)."""
        language_code = params.get("language_code") or ""
        if language_code and not _LANGUAGE_CODE.fullmatch(language_code):
            return LANGUAGE_CODE_INVALID
        commands = params.get("commands") or []
        if len(commands) > BotCommandLimit.MAX_COMMAND_NUMBER:
            return COMMANDS_TOO_MUCH
        for command in commands:
            name, description = command.get("command", ""), command.get("description", "")
            if not (
                BotCommandLimit.MIN_COMMAND <= len(name) <= BotCommandLimit.MAX_COMMAND
                and _COMMAND.fullmatch(name)
            ):
                return COMMAND_INVALID
            if not (
                BotCommandLimit.MIN_DESCRIPTION
                <= len(description)
                <= BotCommandLimit.MAX_DESCRIPTION
            ):
                return COMMAND_DESCRIPTION_INVALID
        return None
