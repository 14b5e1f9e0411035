"""Job events for platform "telegram" → the chat: the status message is edited as the
job moves on, "sending photo…" shows while it generates, and the images are sent by
their storage link (as documents when the user chose full-resolution files).

Handed to the event bus, which calls ``on_event`` once per terminal event (claimed in
the database, see ``core.delivery.deliver_once``); a raised error gives the claim back
and the bus tries again, so images are sent before the cosmetic status edit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden

from adapters.telegram import keyboards as kb
from core.i18n import Messages
from core.types import JobEvent

log = logging.getLogger("seedream.telegram")


class TelegramDelivery:
    def __init__(
        self,
        bot: Bot,
        messages: Messages,
        *,
        chat_action_interval_s: float = 4.0,
        max_generation_s: float = 360.0,
    ) -> None:
        self._bot = bot
        self._messages = messages
        self._chat_action_interval_s = chat_action_interval_s
        self._max_generation_s = max_generation_s
        self._pulses: dict[str, asyncio.Task] = {}

    async def on_event(self, event: JobEvent) -> None:
        target = event.reply_target
        if target is None or "chat_id" not in target.data:
            return
        chat_id = int(target.data["chat_id"])
        status_id = target.data.get("message_id")

        def t(key: str, **params) -> str:
            return self._messages.render(key, event.locale, **params)

        if event.kind == "notice":
            if event.notice_key:
                await self._bot.send_message(chat_id, t(event.notice_key, **event.notice_params))
            return
        if event.kind == "started":
            await self._edit_status(chat_id, status_id, t("telegram.generating"))
            self._start_pulse(event.job_id, chat_id)
            return
        self._stop_pulse(event.job_id)
        if event.kind == "finished":
            for index, image in enumerate(event.images, start=1):
                vary_index = index if event.can_vary else None
                markup = kb.result_keyboard(t, event.job_id, image.image_id, vary_index=vary_index)
                await self._send_image(chat_id, image.url, bool(target.data.get("as_file")), markup)
            done = t("telegram.done")
            if event.enhance_skipped:
                done = f"{done}\n{t('job.enhance_skipped')}"
            await self._edit_status(chat_id, status_id, done)
        elif event.kind == "failed":
            reason = self._messages.render(
                event.error_key or "error.provider", event.locale, **event.error_params
            )
            text = t(
                "job.failed",
                job_id=event.job_id[:8],
                reason=reason,
                refunded_credits=event.refunded_credits,
            )
            await self._edit_status(chat_id, status_id, text)
        elif event.kind == "cancelled":
            text = t(
                "job.cancelled", job_id=event.job_id[:8], refunded_credits=event.refunded_credits
            )
            await self._edit_status(chat_id, status_id, text)

    async def _send_image(self, chat_id: int, url: str, as_file: bool, markup) -> None:
        """By link: as a photo, else as a document (Telegram fetches photos up to 5 MB,
        documents up to 20 MB), else the link itself (Telegram could not fetch it)."""
        ways = (
            [self._bot.send_document]
            if as_file
            else [self._bot.send_photo, self._bot.send_document]
        )
        for send in ways:
            try:
                await send(chat_id, url, reply_markup=markup)
                return
            except BadRequest as exc:
                log.info("image by link refused: %s", exc.message[:80])
        await self._bot.send_message(chat_id, url, reply_markup=markup)

    async def _edit_status(self, chat_id: int, message_id: object, text: str) -> None:
        if message_id is None:
            await self._bot.send_message(chat_id, text)
            return
        try:
            # Also drops the Cancel button of the queued status.
            await self._bot.edit_message_text(text, chat_id=chat_id, message_id=int(message_id))
        except BadRequest as exc:
            # The status message was deleted or already says this: not worth a retry.
            log.info("status edit refused: %s", exc.message[:80])

    # -- "sending photo…" while a job runs ------------------------------------------------

    def _start_pulse(self, job_id: str, chat_id: int) -> None:
        if job_id not in self._pulses:
            self._pulses[job_id] = asyncio.create_task(self._pulse(job_id, chat_id))

    def _stop_pulse(self, job_id: str) -> None:
        task = self._pulses.pop(job_id, None)
        if task is not None:
            task.cancel()

    async def _pulse(self, job_id: str, chat_id: int) -> None:
        try:
            async with asyncio.timeout(self._max_generation_s):
                while True:
                    await self._bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
                    await asyncio.sleep(self._chat_action_interval_s)
        except (TimeoutError, Forbidden):
            pass  # a job that never finished here, or a chat that blocked the bot
        except Exception as exc:  # cosmetic: never let it surface
            log.info("chat action failed: %s", type(exc).__name__)
        finally:
            self._pulses.pop(job_id, None)

    async def close(self) -> None:
        tasks = list(self._pulses.values())
        self._pulses.clear()
        for task in tasks:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, return_exceptions=True)
