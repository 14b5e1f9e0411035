"""Inline button presses. Each kind of callback data (see ``keyboards``) maps to one
handler; the data carries only an opaque id, and the click is checked by the core
again (a job id of someone else's job is simply not found)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, InlineKeyboardMarkup
from telegram.error import BadRequest

from adapters.common.jobs import cancelled_job_text
from adapters.common.wording import accepted_text
from adapters.telegram import keyboards as kb
from adapters.telegram import payments, privacy, render
from adapters.telegram.commands import submit
from adapters.telegram.context import Ctx
from core import AccountView

CallbackHandler = Callable[[Ctx, str], Awaitable[None]]

log = logging.getLogger("seedream.telegram")
# Telegram's answer to an edit that changes nothing (PTB strips "Bad Request: " and
# capitalises the rest): the message already shows what it should.
NOT_MODIFIED = "message is not modified"


async def accept_terms(ctx: Ctx, _: str) -> None:
    # The button reads "I am 13+ and accept": pressing it is the age confirmation.
    result = await ctx.core.accept_terms(ctx.actor, age_confirmed=True)
    ctx.answer_in(result.account.language)
    await _answer_and_edit(ctx, accepted_text(ctx.t, result))


async def decline_terms(ctx: Ctx, _: str) -> None:
    await _answer_and_edit(ctx, ctx.t("terms.declined"))


async def reroll(ctx: Ctx, job_id: str) -> None:
    await ctx.query.answer()
    await submit(
        ctx,
        lambda target: ctx.core.reroll(ctx.actor, job_id, target, request_key=ctx.request_key),
    )


async def vary(ctx: Ctx, image_id: str) -> None:
    await ctx.query.answer()
    await submit(
        ctx,
        lambda target: ctx.core.vary(ctx.actor, image_id, target, request_key=ctx.request_key),
    )


async def cancel(ctx: Ctx, job_id: str) -> None:
    job = await ctx.core.cancel(ctx.actor, job_id)
    await _answer_and_edit(ctx, cancelled_job_text(ctx.t, job))


async def set_model(ctx: Ctx, model_id: str) -> None:
    await _save_settings(ctx, model_id=model_id)


async def set_aspect(ctx: Ctx, aspect: str) -> None:
    await _save_settings(ctx, aspect_ratio=aspect)


async def set_file(ctx: Ctx, flag: str) -> None:
    await _save_settings(ctx, as_file=flag == "1")


async def set_language(ctx: Ctx, code: str) -> None:
    await _save_settings(ctx, language=code)


async def set_training(ctx: Ctx, flag: str) -> None:
    account = await ctx.core.privacy.set_training_opt_in(ctx.actor, flag == "1")
    await _show_settings(ctx, account)


async def set_analytics(ctx: Ctx, flag: str) -> None:
    account = await ctx.core.privacy.set_analytics_opt_in(ctx.actor, flag == "1")
    await _show_settings(ctx, account)


async def _save_settings(ctx: Ctx, **change) -> None:
    languages = ctx.services.messages.languages
    account = await ctx.core.set_preferences(ctx.actor, languages=tuple(languages), **change)
    await _show_settings(ctx, account)


async def _show_settings(ctx: Ctx, account: AccountView) -> None:
    ctx.answer_in(account.language)  # a language just chosen answers at once
    languages = ctx.services.messages.languages
    body, markup = render.settings(
        ctx.t, ctx.core, account, languages, nsfw_allowed=ctx.actor.nsfw_allowed
    )
    await ctx.query.answer(ctx.t("settings.saved"))
    await edit_message(ctx.query, body, markup)


async def _answer_and_edit(ctx: Ctx, text: str) -> None:
    query = ctx.query
    await query.answer()
    await edit_message(query, text)  # also removes the buttons


async def edit_message(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message under the button. Tapping the option already chosen (or a second
    tap on the same button) asks for the text and keyboard the message already has, and
    Telegram refuses that as "message is not modified": that is success, not an error
    (the query is answered already and must not be answered again).

    Raises:
        BadRequest: any other refusal (the error hook reports it).
    """
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if NOT_MODIFIED not in exc.message.lower():
            raise
        log.debug("callback edit: message already up to date")


async def dispatch(ctx: Ctx, handler: CallbackHandler, kind: str, value: str) -> None:
    """Run a button's handler in the language chosen in /settings (read here unless the
    handler reads the account itself)."""
    if kind not in READS_ACCOUNT:
        await ctx.settle_locale()
    await handler(ctx, value)


CALLBACKS: dict[str, CallbackHandler] = {
    kb.TERMS_ACCEPT: accept_terms,
    kb.TERMS_DECLINE: decline_terms,
    kb.REROLL: reroll,
    kb.VARY: vary,
    kb.CANCEL: cancel,
    kb.SET_MODEL: set_model,
    kb.SET_ASPECT: set_aspect,
    kb.SET_FILE: set_file,
    kb.SET_LANGUAGE: set_language,
    # Billing and privacy
    kb.SET_TRAINING: set_training,
    kb.SET_ANALYTICS: set_analytics,
    kb.BUY_STARS: payments.buy_stars_button,
    kb.BUY_CARD: payments.buy_card_button,
    kb.DELETE: privacy.delete_button,
    kb.FORGET: privacy.forget_button,
}
# The buttons whose handlers read the account and answer in its language (Ctx.answer_in).
READS_ACCOUNT = frozenset(
    {
        kb.TERMS_ACCEPT,
        kb.REROLL,
        kb.VARY,
        kb.SET_MODEL,
        kb.SET_ASPECT,
        kb.SET_FILE,
        kb.SET_LANGUAGE,
        kb.SET_TRAINING,
        kb.SET_ANALYTICS,
    }
)
