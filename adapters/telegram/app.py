"""The Telegram adapter: a PTB ``Application`` wired to the bootstrapped core.

It registers the commands (``commands.COMMANDS``) and buttons (``callbacks.CALLBACKS``),
the one error hook, the flood limiter, and the delivery handler for platform
"telegram" on the event bus. ``running()`` starts it in polling mode, or in webhook mode
when a webhook URL is configured (updates then come through ``webhook.webhook_route``
on the web server). Payment updates are credited before a webhook request is answered,
and the Stars reconciler (``stars_sync``) runs every ``stars_reconcile_interval_s``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PreCheckoutQueryHandler,
    filters,
)

from adapters.common.catalogue import chat_messages
from adapters.common.wording import unknown_command_text
from adapters.telegram import callbacks, payments
from adapters.telegram import commands as cmd
from adapters.telegram.callbacks import CALLBACKS
from adapters.telegram.config import PLATFORM, TelegramConfig
from adapters.telegram.context import Ctx, Services
from adapters.telegram.delivery import TelegramDelivery
from adapters.telegram.errors import make_error_hook
from adapters.telegram.keyboards import unpack
from adapters.telegram.ratelimit import FloodLimiter
from adapters.telegram.references import Albums, caption_command, own_attachments
from adapters.telegram.render import LOCALES_DIR
from adapters.telegram.stars_sync import StarsReconciler
from adapters.telegram.updates import SafeUpdatesRequest
from core import DEFAULT_LANGUAGE, Core, EventBus, Messages

log = logging.getLogger("seedream.telegram")


class TelegramAdapter:
    def __init__(
        self, core: Core, messages: Messages, events: EventBus, config: TelegramConfig
    ) -> None:
        # PTB 22 warns on every 429 (RetryAfter) and time period unless opted in to the
        # timedelta values its next major version uses; this adapter handles both.
        os.environ.setdefault("PTB_TIMEDELTA", "true")
        self.config = config
        messages = chat_messages(messages, LOCALES_DIR)  # the core's texts, then Telegram's
        payments.check_invoice_limits(core.billing.catalog, messages)  # ValueError: stop
        self._services = Services(
            core=core,
            messages=messages,
            nsfw_chat_ids=config.nsfw_chat_ids,
            admin_user_ids=config.admin_user_ids,
            albums=Albums(quiet_s=config.album_quiet_s, max_wait_s=config.album_max_wait_s),
            download_timeout_s=config.download_timeout_s,
        )
        self.application: Application = _build(config)
        for command in cmd.COMMANDS:
            # New messages only: editing an old "/imagine" must not submit (and pay) again.
            self.application.add_handler(
                CommandHandler(
                    command.name, self._command(command), filters=filters.UpdateType.MESSAGE
                )
            )
        # Stars payments: the pre-checkout check (answered within Telegram's 10 s), the
        # payment itself, credited once per charge id, and its refund, taken back once.
        self.application.add_handler(
            PreCheckoutQueryHandler(payments.make_pre_checkout_handler(self._services))
        )
        self.application.add_handler(
            MessageHandler(
                filters.SUCCESSFUL_PAYMENT | filters.StatusUpdate.REFUNDED_PAYMENT,
                payments.make_payment_handler(self._services),
            )
        )
        # Admin refunds of Stars (``Billing.admin_refund_stars``) go through this bot.
        core.billing.stars_refunds = payments.BotStarsRefunds(self.application.bot)
        self.stars_reconciler = StarsReconciler(self.application.bot, core.billing, messages)
        # A photo or document: its caption may be /imagine (the image is then a
        # reference), or it is an album item a later /imagine caption takes.
        self.application.add_handler(
            MessageHandler(
                filters.UpdateType.MESSAGE & (filters.PHOTO | filters.Document.ALL), self._media
            )
        )
        # In a private chat, anything else gets a pointer to the commands (after the
        # command handlers, so only what none of them took).
        self.application.add_handler(
            MessageHandler(
                filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.TEXT,
                self._fallback,
            )
        )
        self.application.add_handler(CallbackQueryHandler(self._callback))
        self.application.add_error_handler(make_error_hook(messages, core))
        self.delivery = TelegramDelivery(
            self.application.bot,
            messages,
            core,
            chat_action_interval_s=config.chat_action_interval_s,
            max_generation_s=config.max_generation_s,
        )
        events.register(PLATFORM, self.delivery.on_event)

    # -- handlers --------------------------------------------------------------------

    def _command(self, command: cmd.Command):
        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            if update.effective_user is None or update.effective_chat is None:
                return
            args = " ".join(context.args or [])
            await cmd.dispatch(self._ctx(update), command, args)

        return handle

    async def _media(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or update.effective_user is None or update.effective_chat is None:
            return
        self._services.albums.add(message)
        ctx = self._ctx(update)
        command = caption_command(message, ctx.bot_username)
        if command is not None and command[0] == "imagine":
            await cmd.dispatch(ctx, cmd.COMMANDS_BY_NAME["imagine"], command[1])
        elif ctx.is_private and message.media_group_id is None:
            await ctx.settle_locale()
            # A lone picture without /imagine: say how to use it (anything else: how to
            # use the bot at all).
            image = any(a.is_image for a in own_attachments(message))
            await ctx.reply(ctx.t("telegram.reference_hint" if image else "telegram.plain_text"))

    async def _fallback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        ctx = self._ctx(update)
        message = update.effective_message
        assert message is not None  # the fallback's filter: new messages only
        text = message.text or ""
        await ctx.settle_locale()
        if text.startswith("/"):
            await ctx.reply(unknown_command_text(ctx.t, text))
        else:
            await ctx.reply(ctx.t("telegram.plain_text"))

    async def _callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None  # a CallbackQueryHandler's update
        kind, value = unpack(query.data or "")
        handler = CALLBACKS.get(kind)
        if handler is None or update.effective_chat is None:
            await query.answer()  # an old button from an earlier version: stop the spinner
            return
        await callbacks.dispatch(self._ctx(update), handler, kind, value)

    def _ctx(self, update: Update) -> Ctx:
        return Ctx(update, self._services, self.application.bot.username)

    # -- lifetime --------------------------------------------------------------------

    async def register_commands(self) -> None:
        """The command menu in English for everyone, then one per language that has a
        catalogue, under the two-letter code Telegram takes (``pt-BR`` as ``pt``)."""
        messages = self._services.messages
        bot = self.application.bot
        await bot.set_my_commands(command_menu(messages, DEFAULT_LANGUAGE))
        for code, locale in menu_languages(messages.languages).items():
            await bot.set_my_commands(command_menu(messages, locale), language_code=code)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[TelegramAdapter]:
        """Polling by default; with a webhook URL, register the webhook and take updates
        from ``process_webhook_update``."""
        app = self.application
        await app.initialize()
        try:
            await self.register_commands()
            if self.config.webhook_url:
                await app.bot.set_webhook(
                    self.config.webhook_url,
                    secret_token=self.config.webhook_secret,
                    allowed_updates=Update.ALL_TYPES,
                )
            else:
                assert app.updater is not None  # _build drops it only for a webhook
                await app.updater.start_polling(
                    timeout=dt.timedelta(seconds=self.config.poll_timeout_s),
                    allowed_updates=Update.ALL_TYPES,
                )
            await app.start()
            log.info(
                "telegram adapter running (%s)", "webhook" if self.config.webhook_url else "polling"
            )
            reconciling = None
            if self.config.stars_reconcile_interval_s > 0:
                reconciling = asyncio.create_task(
                    self.stars_reconciler.run_forever(self.config.stars_reconcile_interval_s)
                )
            try:
                yield self
            finally:
                if reconciling is not None:
                    reconciling.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await reconciling
                if app.updater is not None and app.updater.running:
                    await app.updater.stop()
                await app.stop()
                await self.delivery.close()
        finally:
            await app.shutdown()

    async def process_webhook_update(self, update: Update) -> None:
        """Queue the update (read and checked by ``updates.read_update``); a payment is
        credited (or its refund taken back) first, and what fails there propagates, so
        Telegram is not answered 2xx and sends it again."""
        if payments.is_payment_update(update):
            try:
                await payments.handle_payment_update(
                    self._services, update, self.application.bot.username
                )
            except Exception as exc:
                raise payments.PaymentNotSettled from exc
            return
        await self.application.update_queue.put(update)


def menu_languages(locales: list[str]) -> dict[str, str]:
    """Telegram's ``language_code`` (setMyCommands: "a two-letter ISO 639-1 language
    code") → the locale whose menu it shows: ``pt-BR`` → ``pt``; a plain ``pt`` file
    would win over a regional one. English is the default menu, not listed."""
    chosen: dict[str, str] = {}
    for locale in sorted(locales, key=lambda name: (len(name), name)):
        code = locale.split("-")[0].lower()
        if code != DEFAULT_LANGUAGE and len(code) == 2:
            chosen.setdefault(code, locale)
    return chosen


def command_menu(messages: Messages, language: str) -> list[BotCommand]:
    """The command menu in ``language`` (``setMyCommands``)."""
    return [
        BotCommand(c.name, messages.render(f"telegram.cmd.{c.name}", language))
        for c in cmd.COMMANDS
        if c.menu
    ]


def _build(config: TelegramConfig) -> Application:
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(config.base_url)
        .base_file_url(config.base_file_url)
        .read_timeout(config.read_timeout_s)
        .rate_limiter(
            FloodLimiter(
                chat_interval_s=config.chat_interval_s,
                overall_per_s=config.overall_per_s,
                group_per_minute=config.group_per_minute,
                max_retries=config.max_retries,
            )
        )
        # Updates are handled concurrently: a slow core call must not hold up the next
        # update (a button press; later a pre-checkout query with its 10 s deadline).
        .concurrent_updates(True)
        # getUpdates answers are checked update by update: a malformed one is dropped
        # (logged once) instead of failing its whole batch again and again.
        .get_updates_request(SafeUpdatesRequest(connection_pool_size=1))
    )
    if config.webhook_url:
        builder = builder.updater(None)
    return builder.build()
