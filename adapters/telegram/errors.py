"""The one error hook: a ``CoreError`` becomes the user's localised message; anything
else becomes an apology with a correlation id, logged with its traceback (never the
prompt, a token or a user id)."""

from __future__ import annotations

import functools
import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter
from telegram.ext import ContextTypes

from adapters.common.errors import generic_error_text, new_correlation_id
from adapters.telegram.context import actor_of
from core import Core, CoreError, Messages

log = logging.getLogger("seedream.telegram")

CALLBACK_ANSWER_MAX_CHARS = 200


def error_text(messages: Messages, exc: BaseException, locale: str | None) -> str:
    """What the user reads for ``exc``; logs unexpected errors with a correlation id."""
    if isinstance(exc, CoreError):
        return messages.render_error(exc, locale)
    correlation_id = new_correlation_id()
    log.error(
        "telegram update failed ref=%s error=%s", correlation_id, type(exc).__name__, exc_info=exc
    )
    return generic_error_text(functools.partial(messages.render, locale=locale), correlation_id)


def make_error_hook(messages: Messages, core: Core):
    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        exc = context.error
        if exc is None:
            return
        if not isinstance(update, Update):  # polling or a job, not a user's update
            if isinstance(exc, NetworkError | RetryAfter):
                log.warning("telegram network problem: %s", type(exc).__name__)
            else:
                log.error("telegram error outside an update", exc_info=exc)
            return
        user = update.effective_user
        # The language chosen in /settings (one read, on this error path only; it never
        # raises), else the user's language_code.
        locale = await core.reply_locale(actor_of(update)) if user is not None else None
        text = error_text(messages, exc, locale)
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(
                    text[:CALLBACK_ANSWER_MAX_CHARS], show_alert=True
                )
            elif update.effective_chat is not None:
                await context.bot.send_message(update.effective_chat.id, text)
        except (Forbidden, NetworkError) as send_error:
            # The user blocked the bot, or Telegram is unreachable: nothing to tell.
            log.warning("could not report an error to the chat: %s", type(send_error).__name__)

    return on_error
