"""Buying credits on Telegram: ``/buy`` lists the packs with buttons, a Stars button
sends an invoice in XTR (no provider token; the core's opaque payload), the
``pre_checkout_query`` is answered after the core checked it, and a
``successful_payment`` is credited by the core once per ``telegram_payment_charge_id``,
and a ``refunded_payment`` takes the credits back once. In webhook mode both are handled
before Telegram is answered (``handle_payment_update``): a failure other than a refusal
answers non-2xx and Telegram sends the update again; in polling mode, and as a safety net,
``stars_sync`` credits charges found in the bot's Star transactions. A failure logs the
charge id, never the user. Card (Stripe) packs appear only when the operator enabled
them. ``/redeem CODE`` too. ``check_invoice_limits`` runs at start-up.

``BotStarsRefunds`` is the core's ``StarsRefunds`` port on PTB's ``refund_star_payment``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator

from telegram import Bot, LabeledPrice, Update
from telegram.constants import InvoiceLimit
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from adapters.common.wording import redeemed_text
from adapters.telegram import keyboards as kb
from adapters.telegram.config import PLATFORM, TelegramConfig
from adapters.telegram.context import Ctx, Services, actor_of
from adapters.telegram.errors import error_text
from core import Catalog, CoreError, Messages, PaymentsUnavailable, ReplyTarget, StarsRefundRefused

log = logging.getLogger("seedream.telegram")

# Telegram cancels a payment whose pre-checkout query is not answered within 10 s.
PRE_CHECKOUT_BUDGET_S = 8.0
ERROR_MESSAGE_MAX_CHARS = 255


async def buy(ctx: Ctx, pack_id: str) -> None:
    """``/buy`` lists the packs; ``/buy PACK`` sends that pack's Stars invoice."""
    if pack_id.strip():
        await send_invoice(ctx, pack_id.strip())
        return
    view = await ctx.core.billing.overview(ctx.actor)
    if not view.packs:
        await ctx.reply(ctx.t("billing.not_configured"))
        return
    await ctx.reply(ctx.t("telegram.buy"), kb.buy_keyboard(ctx.t, view.packs))


def invoice_description(t, credits: int, label: str) -> str:
    """The invoice text under the title, in the user's language (``t`` renders a key)."""
    return t("telegram.invoice", credits=credits, label=label)


def check_invoice_limits(catalog: Catalog, messages: Messages) -> None:
    """Every Stars pack's invoice title and description, in every language, within
    Telegram's limits (``telegram.constants.InvoiceLimit``).

    Raises: ValueError, one line naming the pack and the language."""
    title_range = (InvoiceLimit.MIN_TITLE_LENGTH, InvoiceLimit.MAX_TITLE_LENGTH)
    text_range = (InvoiceLimit.MIN_DESCRIPTION_LENGTH, InvoiceLimit.MAX_DESCRIPTION_LENGTH)
    for pack in catalog.packs.values():
        if pack.stars is None:
            continue
        for language in messages.languages:
            t = functools.partial(messages.render, locale=language)
            description = invoice_description(t, pack.credits, pack.label)
            for what, text, (low, high) in (
                ("title", pack.label, title_range),
                ("description", description, text_range),
            ):
                if not low <= len(text) <= high:
                    raise ValueError(
                        f"the Stars invoice {what} of pack {pack.id!r} in locale {language!r} "
                        f"is {len(text)} characters; Telegram takes {low}-{high}"
                    )


async def send_invoice(ctx: Ctx, pack_id: str) -> None:
    invoice = await ctx.core.billing.stars_invoice(ctx.actor, pack_id)
    await ctx.update.get_bot().send_invoice(
        ctx.chat_id,
        title=invoice.title,
        description=invoice_description(ctx.t, invoice.credits, invoice.description),
        payload=invoice.payload,
        currency=invoice.currency,  # XTR, and no provider token: Telegram Stars
        prices=[LabeledPrice(invoice.title, invoice.stars)],
    )


async def buy_stars_button(ctx: Ctx, pack_id: str) -> None:
    await ctx.query.answer()
    await send_invoice(ctx, pack_id)


async def buy_card_button(ctx: Ctx, pack_id: str) -> None:
    target = ReplyTarget(PLATFORM, {"chat_id": ctx.chat_id})  # where "payment received" goes
    link = await ctx.core.billing.buy_pack(ctx.actor, pack_id, target)
    await ctx.query.answer()
    await ctx.reply(
        ctx.t("telegram.card_link"), kb.url_keyboard(ctx.t("telegram.button.pay"), link.url)
    )


async def redeem(ctx: Ctx, code: str) -> None:
    if not code.strip():
        await ctx.reply(ctx.t("telegram.redeem_usage"))
        return
    await ctx.reply(redeemed_text(ctx.t, await ctx.core.billing.redeem(ctx.actor, code.strip())))


def make_pre_checkout_handler(services: Services):
    async def on_pre_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer ok only when the core accepts the order; always answer in time."""
        query = update.pre_checkout_query
        assert query is not None  # a PreCheckoutQueryHandler's update
        # The platform's language: the answer is due within Telegram's 10 s, and a
        # refusal is often the database failing, so no read for the chosen one here.
        locale = query.from_user.language_code
        try:
            async with asyncio.timeout(PRE_CHECKOUT_BUDGET_S):
                await services.core.billing.stars_pre_checkout(
                    actor_of(update), query.invoice_payload, query.currency, query.total_amount
                )
        except TimeoutError:
            log.warning("pre-checkout check took too long; payment refused")
            text = services.messages.render_error(PaymentsUnavailable(), locale)
            await query.answer(ok=False, error_message=text[:ERROR_MESSAGE_MAX_CHARS])
        except Exception as exc:  # refused with the reason; error_text logs the unexpected
            text = error_text(services.messages, exc, locale)
            await query.answer(ok=False, error_message=text[:ERROR_MESSAGE_MAX_CHARS])
        else:
            await query.answer(ok=True)

    return on_pre_checkout


def make_payment_handler(services: Services):
    """``successful_payment`` and ``refunded_payment`` messages, from PTB's dispatcher
    (polling mode); a failure goes to the error hook (and the reconciler credits later)."""

    async def on_payment(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await _payment_update(services, update, context.bot.username)

    return on_payment


class PaymentNotSettled(RuntimeError):
    """A payment update failed for a reason other than a refusal (already logged with
    its charge id): the webhook answers non-2xx so Telegram delivers it again."""


def is_payment_update(update: Update) -> bool:
    message = update.message
    return message is not None and (
        message.successful_payment is not None or message.refunded_payment is not None
    )


async def handle_payment_update(services: Services, update: Update, bot_username: str) -> None:
    """Webhook mode: the payment is credited (or taken back) before Telegram is answered.
    A refusal (a CoreError) is told to the user: sending the update again would change
    nothing. Anything else (database down, a timeout) propagates, so the webhook answers
    non-2xx and Telegram delivers the update again."""
    try:
        await _payment_update(services, update, bot_username)
    except CoreError as exc:
        ctx = Ctx(update, services, bot_username)
        await ctx.settle_locale()
        await ctx.reply(error_text(services.messages, exc, ctx.locale))


async def _payment_update(services: Services, update: Update, bot_username: str) -> None:
    message = update.effective_message
    assert message is not None  # is_payment_update, or the payment handler's filter
    ctx = Ctx(update, services, bot_username)
    await ctx.settle_locale()
    if message.refunded_payment is not None:
        await _refunded(ctx, message.refunded_payment.telegram_payment_charge_id)
    else:
        await _paid(ctx, message.successful_payment)


async def _paid(ctx: Ctx, payment) -> None:
    """Credit the pack once per charge id; a redelivered update credits nothing (and
    says so)."""
    charge_id = payment.telegram_payment_charge_id
    try:
        purchase = await ctx.core.billing.stars_paid(
            ctx.actor,
            payment.invoice_payload,
            payment.currency,
            payment.total_amount,
            charge_id,
        )
    except CoreError:
        # Paid but not creditable: the operator refunds it (admin refund-stars).
        log.error("stars payment not credited charge=%s", charge_id)
        raise  # the user is told why
    except Exception as exc:
        log.error("stars payment not credited charge=%s error=%s", charge_id, type(exc).__name__)
        raise
    if not purchase.applied:  # Telegram delivered this payment again
        log.info("stars payment already credited charge=%s", charge_id)
        await ctx.reply(ctx.t("telegram.payment_seen", balance_credits=purchase.balance_credits))
        return
    await ctx.reply(purchase_text(ctx.t, purchase))


def purchase_text(t, purchase) -> str:
    key = "billing.purchase_landed_debt" if purchase.settled_credits else "billing.purchase_landed"
    return t(
        key,
        credits=purchase.credits,
        settled_credits=purchase.settled_credits,
        balance_credits=purchase.balance_credits,
    )


async def _refunded(ctx: Ctx, charge_id: str) -> None:
    """Telegram refunded a payment: its credits are taken back once (an operator's
    ``admin refund-stars`` of the same charge counts as the same refund)."""
    try:
        taken = await ctx.core.billing.stars_refunded_by_platform(charge_id)
    except Exception as exc:
        log.error("stars refund not taken back charge=%s error=%s", charge_id, type(exc).__name__)
        raise
    if taken is None:
        log.warning("stars refund of a charge never credited charge=%s", charge_id)
    elif taken.taken_credits or taken.debt_credits:
        await ctx.reply(reversal_text(ctx.t, taken))


def reversal_text(t, taken) -> str:
    key = "billing.payment_reversed_debt" if taken.debt_credits else "billing.payment_reversed"
    return t(key, taken_credits=taken.taken_credits, debt_credits=taken.debt_credits)


class BotStarsRefunds:
    """The core's ``StarsRefunds`` port: Telegram gives the Stars back."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def refund_star_payment(self, platform_user_id: str, charge_id: str) -> None:
        """Raises: StarsRefundRefused (Telegram answered with an error, e.g.
        CHARGE_ALREADY_REFUNDED); network errors and timeouts pass through (transient)."""
        try:
            await self._bot.refund_star_payment(int(platform_user_id), charge_id)
        except (BadRequest, Forbidden) as exc:  # BadRequest before NetworkError, its base
            raise StarsRefundRefused(exc.message) from exc


@contextlib.asynccontextmanager
async def stars_refunds(config: TelegramConfig) -> AsyncIterator[BotStarsRefunds]:
    """A refunds port on its own Bot, for a process without the adapter (the admin CLI)."""
    async with Bot(config.token, base_url=config.base_url) as bot:
        yield BotStarsRefunds(bot)
