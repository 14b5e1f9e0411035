"""Buying credits on Telegram: ``/buy`` lists the packs with buttons, a Stars button
sends an invoice in XTR (no provider token; the core's opaque payload), the
``pre_checkout_query`` is answered after the core checked it, and a
``successful_payment`` is credited by the core once per ``telegram_payment_charge_id``.
Card (Stripe) packs appear only when the operator enabled them. ``/redeem CODE`` too.

``BotStarsRefunds`` is the core's ``StarsRefunds`` port on PTB's ``refund_star_payment``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import Bot, LabeledPrice, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from adapters.telegram import keyboards as kb
from adapters.telegram.config import PLATFORM, TelegramConfig
from adapters.telegram.context import Ctx, Services, actor_of
from adapters.telegram.errors import error_text
from core.errors import CoreError, PaymentsUnavailable
from core.payments import StarsRefundRefused
from core.types import ReplyTarget

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


async def send_invoice(ctx: Ctx, pack_id: str) -> None:
    invoice = await ctx.core.billing.stars_invoice(ctx.actor, pack_id)
    await ctx.update.get_bot().send_invoice(
        ctx.chat_id,
        title=invoice.title,
        description=ctx.t("telegram.invoice", credits=invoice.credits, label=invoice.description),
        payload=invoice.payload,
        currency=invoice.currency,  # XTR, and no provider token: Telegram Stars
        prices=[LabeledPrice(invoice.title, invoice.stars)],
    )


async def buy_stars_button(ctx: Ctx, pack_id: str) -> None:
    await ctx.update.callback_query.answer()
    await send_invoice(ctx, pack_id)


async def buy_card_button(ctx: Ctx, pack_id: str) -> None:
    target = ReplyTarget(PLATFORM, {"chat_id": ctx.chat_id})  # where "payment received" goes
    link = await ctx.core.billing.buy_pack(ctx.actor, pack_id, target)
    await ctx.update.callback_query.answer()
    await ctx.reply(
        ctx.t("telegram.card_link"), kb.url_keyboard(ctx.t("telegram.button.pay"), link.url)
    )


async def redeem(ctx: Ctx, code: str) -> None:
    if not code.strip():
        await ctx.reply(ctx.t("telegram.redeem_usage"))
        return
    done = await ctx.core.billing.redeem(ctx.actor, code.strip())
    await ctx.reply(
        ctx.t(
            "billing.redeemed",
            code=done.code,
            credits=done.credits,
            balance_credits=done.balance_credits,
        )
    )


def make_pre_checkout_handler(services: Services):
    async def on_pre_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer ok only when the core accepts the order; always answer in time."""
        query = update.pre_checkout_query
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
    async def on_successful_payment(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Credit the pack once per charge id; a redelivered update credits nothing
        (and says so)."""
        payment = update.effective_message.successful_payment
        charge_id = payment.telegram_payment_charge_id
        ctx = Ctx(update, services, context.bot.username)
        try:
            purchase = await services.core.billing.stars_paid(
                ctx.actor,
                payment.invoice_payload,
                payment.currency,
                payment.total_amount,
                charge_id,
            )
        except CoreError:
            # Paid but not creditable: the operator refunds it (admin refund-stars).
            log.error("stars payment not credited charge=%s", charge_id)
            raise  # the error hook tells the user why
        if not purchase.applied:  # Telegram delivered this payment again
            log.info("stars payment already credited charge=%s", charge_id)
            await ctx.reply(
                ctx.t("telegram.payment_seen", balance_credits=purchase.balance_credits)
            )
            return
        key = "billing.purchase_landed_debt" if purchase.settled_credits else None
        await ctx.reply(
            ctx.t(
                key or "billing.purchase_landed",
                credits=purchase.credits,
                settled_credits=purchase.settled_credits,
                balance_credits=purchase.balance_credits,
            )
        )

    return on_successful_payment


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
