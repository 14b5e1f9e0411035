"""Job events for platform "telegram" → the chat: the status message is edited as the
job moves on, "sending photo…" shows while it generates, and the images are sent.

How an image is sent, under Telegram's file rules (Bot API, "Sending files"):
- its chat preview (``ImageView.preview_url``: a JPEG the core keeps under Telegram's
  5 MB photo-by-link limit and photo dimensions) as a photo by link, the original one
  tap away in the caption ("Full-size image", a text_link entity); where Telegram cannot
  fetch the link, the preview's bytes uploaded as the photo;
- an image without a preview (made before previews, or whose preview failed) as before:
  a photo by its storage link (Telegram fetches links of photos up to 5 MB);
- otherwise, and always for full-resolution files (``/settings`` files), the original's
  bytes are uploaded (read through ``Core.image_bytes``): as a photo up to 10 MB, as a
  document up to 50 MB (``FileSizeLimit``), with the storage link in the caption. A
  document is never sent by link: "sending by URL will currently only work for GIF, PDF
  and ZIP files";
- and when Telegram refuses all of that, the link itself as a message.

Errors (handed to the event bus, which calls ``on_event`` once per terminal event,
claimed in the database, see ``core.delivery.deliver_once``; a raised error gives the
claim back and the bus tries again):
- each image is sent at most once per job: images that went out are remembered per job
  in this process, so a retry of the event sends only the rest;
- ``TimedOut`` is ambiguous (the photo may well have arrived): that image counts as sent
  and is never sent again; its link follows as a plain message instead (a cheap
  duplicate at worst), and the delivery goes on;
- ``ChatMigrated`` (a group became a supergroup): the event goes to the new chat id,
  which is remembered for the chat's later results; the old status message is gone, so
  the status is sent as a new message;
- ``Forbidden`` (the user blocked the bot, the bot left the group): the delivery stops,
  is logged and counted (``seedream_deliveries_total{outcome="blocked"}``) and returns
  normally, so the claim stays taken and the sweep does not announce the job again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Protocol

from telegram import Bot, InputFile, Message, MessageEntity
from telegram.constants import ChatAction, FileSizeLimit
from telegram.error import BadRequest, ChatMigrated, Forbidden, TimedOut

from adapters.common.jobs import cancelled_event_text, failed_text, finished_text, notice_text
from adapters.telegram import keyboards as kb
from adapters.telegram.config import PLATFORM
from core import ImageView, JobEvent, Messages

log = logging.getLogger("seedream.telegram")

PHOTO_UPLOAD_MAX_BYTES = int(FileSizeLimit.PHOTOSIZE_UPLOAD)  # 10 MB
DOCUMENT_UPLOAD_MAX_BYTES = int(FileSizeLimit.FILESIZE_UPLOAD)  # 50 MB
JOBS_REMEMBERED = 1024  # jobs whose sent images are kept (the oldest are forgotten)


def _full_size_caption(t, url: str) -> tuple[str, MessageEntity]:
    """ "Full-size image" linking ``url`` through a text_link entity: no parse_mode, so
    nothing needs escaping (offsets and lengths count UTF-16 code units)."""
    caption = t("telegram.full_size_link")
    length = len(caption.encode("utf-16-le")) // 2
    return caption, MessageEntity(MessageEntity.TEXT_LINK, 0, length, url=url)


class DeliveryCore(Protocol):
    """What delivery needs of the core facade (``core.service.Core``)."""

    async def image_bytes(self, image_id: str, *, preview: bool = False) -> bytes | None: ...

    def record_delivery(self, platform: str, outcome: str) -> None: ...


class TelegramDelivery:
    def __init__(
        self,
        bot: Bot,
        messages: Messages,
        core: DeliveryCore,
        *,
        chat_action_interval_s: float = 4.0,
        max_generation_s: float = 360.0,
    ) -> None:
        self._bot = bot
        self._messages = messages
        self._core = core
        self._chat_action_interval_s = chat_action_interval_s
        self._max_generation_s = max_generation_s
        self._pulses: dict[str, asyncio.Task] = {}
        self._sent: OrderedDict[str, set[str]] = OrderedDict()  # job id -> image ids
        self._migrated: dict[int, int] = {}  # old group id -> supergroup id

    async def on_event(self, event: JobEvent) -> None:
        target = event.reply_target
        if target is None or "chat_id" not in target.data:
            return
        chat_id = int(target.data["chat_id"])
        status_id = target.data.get("message_id")
        if event.kind not in ("notice", "started"):
            self._stop_pulse(event.job_id)
        try:
            if chat_id in self._migrated:
                await self._deliver(event, self._migrated[chat_id], None)
                return
            try:
                await self._deliver(event, chat_id, status_id)
            except ChatMigrated as exc:
                new_chat_id = int(exc.new_chat_id)
                self._migrated[chat_id] = new_chat_id
                log.info("telegram group became a supergroup; delivering to its new id")
                self._core.record_delivery(PLATFORM, "migrated")
                await self._deliver(event, new_chat_id, None)
        except Forbidden as exc:
            self._stop_pulse(event.job_id)
            self._sent.pop(event.job_id, None)
            log.warning(
                "telegram chat blocked the bot; delivery stopped job=%s kind=%s (%s)",
                event.job_id[:8],
                event.kind,
                exc.message[:80],
            )
            self._core.record_delivery(PLATFORM, "blocked")

    async def _deliver(self, event: JobEvent, chat_id: int, status_id: int | None) -> None:
        def t(key: str, **params) -> str:
            return self._messages.render(key, event.locale, **params)

        if event.kind == "notice":
            notice = notice_text(t, event)
            if notice is not None:
                await self._bot.send_message(chat_id, notice)
            return
        if event.kind == "started":
            await self._edit_status(chat_id, status_id, t("telegram.generating"))
            self._start_pulse(event.job_id, chat_id)
            return
        if event.kind == "finished":
            target = event.reply_target  # on_event found the chat in it
            as_file = target is not None and bool(target.data.get("as_file"))
            await self._send_images(event, chat_id, as_file, t)
            done = finished_text(t, event, key="telegram.done")
            await self._edit_status(chat_id, status_id, done)
            self._sent.pop(event.job_id, None)
            self._core.record_delivery(PLATFORM, "ok")
        elif event.kind == "failed":
            await self._edit_status(chat_id, status_id, failed_text(t, event))
        elif event.kind == "cancelled":
            await self._edit_status(chat_id, status_id, cancelled_event_text(t, event))

    async def _send_images(self, event: JobEvent, chat_id: int, as_file: bool, t) -> None:
        sent = self._sent_images(event.job_id)
        for index, image in enumerate(event.images, start=1):
            if image.image_id in sent:
                continue  # reached the chat (or may have) in an earlier try
            vary_index = index if event.can_vary else None
            markup = kb.result_keyboard(t, event.job_id, image.image_id, vary_index=vary_index)
            try:
                await self._send_image(chat_id, image, as_file, markup, t)
            except TimedOut:
                # Maybe delivered: never again; the link instead (a text, cheap if doubled).
                sent.add(image.image_id)
                log.warning("image send timed out job=%s; sending its link", event.job_id[:8])
                self._core.record_delivery(PLATFORM, "timed_out")
                with contextlib.suppress(TimedOut):
                    await self._bot.send_message(chat_id, image.url, reply_markup=markup)
                continue
            sent.add(image.image_id)

    def _sent_images(self, job_id: str) -> set[str]:
        sent = self._sent.setdefault(job_id, set())
        self._sent.move_to_end(job_id)
        while len(self._sent) > JOBS_REMEMBERED:
            self._sent.popitem(last=False)
        return sent

    async def _send_image(self, chat_id: int, image: ImageView, as_file: bool, markup, t) -> None:
        """The preview as a photo (by link, else uploaded), the original linked in the
        caption; without a preview, the original as a photo by link. Else the original's
        bytes uploaded (as a photo, when it has no preview, or a document), the link in
        the caption; else the link itself (Telegram refused them all)."""
        caption, link = _full_size_caption(t, image.url)
        as_photo = not as_file
        if as_photo and image.preview_url is not None:
            if await self._send_preview(chat_id, image, caption, link, markup):
                return
            as_photo = False  # Telegram took no photo of it: the original goes as a file
        elif as_photo:
            try:
                await self._bot.send_photo(chat_id, image.url, reply_markup=markup)
                return
            except BadRequest as exc:  # e.g. over 5 MB; ChatMigrated is no BadRequest
                log.info("photo by link refused: %s", exc.message[:80])
        data = await self._core.image_bytes(image.image_id)
        if data is None:
            log.info("image deleted before it was delivered")
            return
        sends: list[Callable[..., Awaitable[Message]]] = (
            [self._bot.send_photo] if as_photo and len(data) <= PHOTO_UPLOAD_MAX_BYTES else []
        )
        if len(data) <= DOCUMENT_UPLOAD_MAX_BYTES:
            sends.append(self._bot.send_document)
        name = image.image_id + (mimetypes.guess_extension(image.mime) or "")
        for send in sends:
            try:
                await send(
                    chat_id,
                    InputFile(data, filename=name),
                    caption=caption,
                    caption_entities=[link],
                    reply_markup=markup,
                )
                return
            except BadRequest as exc:
                log.info("image upload refused: %s", exc.message[:80])
        await self._bot.send_message(chat_id, image.url, reply_markup=markup)

    async def _send_preview(
        self, chat_id: int, image: ImageView, caption: str, link: MessageEntity, markup
    ) -> bool:
        """The preview as a photo, by link, else its bytes uploaded. False when Telegram
        took neither (the original's upload is tried next)."""
        assert image.preview_url is not None
        try:
            await self._bot.send_photo(
                chat_id,
                image.preview_url,
                caption=caption,
                caption_entities=[link],
                reply_markup=markup,
            )
            return True
        except BadRequest as exc:  # a link Telegram cannot reach
            log.info("preview photo by link refused: %s", exc.message[:80])
        data = await self._core.image_bytes(image.image_id, preview=True)
        if data is None:
            return False
        try:
            await self._bot.send_photo(
                chat_id,
                InputFile(data, filename=f"{image.image_id}.jpg"),
                caption=caption,
                caption_entities=[link],
                reply_markup=markup,
            )
            return True
        except BadRequest as exc:
            log.info("preview upload refused: %s", exc.message[:80])
            return False

    async def _edit_status(self, chat_id: int, message_id: int | None, text: str) -> None:
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
