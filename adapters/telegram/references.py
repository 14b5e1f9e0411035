"""Reference images for /imagine from Telegram: the photo or image document whose caption
is the command, the one a ``/imagine`` replies to, or the images of an album (a media
group: Telegram sends each item as its own update with the same ``media_group_id``).

A photo is taken at its largest ``PhotoSize``; a document whose declared ``mime_type`` is
not ``image/*`` is refused without downloading it (the declared type is only ever used to
refuse: what is taken, the core checks by its bytes). Every declared size is checked with
``Core.check_reference_size`` before anything is downloaded; the bytes come through
``getFile`` and the file link (PTB's ``File.download_as_bytearray``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from telegram import Bot, Message
from telegram.constants import MessageEntityType
from telegram.error import BadRequest

from core import Core, ReferenceImageRefused, ReferenceUpload

__all__ = ["Album", "Albums", "Attachment", "caption_command", "download", "own_attachments"]

log = logging.getLogger("seedream.telegram")

# tdlib/telegram-bot-api: getFile refuses files over 20 << 20 bytes ("file is too big").
TELEGRAM_DOWNLOAD_MAX_MB = 20
# An album has at most 10 items (Bot API sendMediaGroup: "2-10 items").
ALBUM_MAX_ITEMS = 10


@dataclass(frozen=True, slots=True)
class Attachment:
    """One image of a message, not downloaded yet."""

    file_id: str
    file_size: int | None  # as Telegram declares it (optional in the Bot API)
    filename: str | None
    is_image: bool  # a photo, or a document declared image/*


def own_attachments(message: Message | None) -> tuple[Attachment, ...]:
    """The image ``message`` itself carries: its largest photo size, or its document."""
    if message is None:
        return ()
    if message.photo:
        largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        return (Attachment(largest.file_id, largest.file_size, None, is_image=True),)
    document = message.document
    if document is not None:
        declared = (document.mime_type or "").lower()
        return (
            Attachment(
                document.file_id,
                document.file_size,
                document.file_name,
                is_image=declared.startswith("image/"),
            ),
        )
    return ()


def caption_command(message: Message, bot_username: str) -> tuple[str, str] | None:
    """``(command, arguments)`` of a caption starting with a bot command meant for this
    bot (``/imagine`` or ``/imagine@bot``), as ``CommandHandler`` reads a text; else None."""
    caption = message.caption or ""
    entities = message.caption_entities
    if not entities:
        return None
    first = entities[0]
    if first.type != MessageEntityType.BOT_COMMAND or first.offset != 0:
        return None
    name, _, addressee = caption[1 : first.length].partition("@")
    if addressee and addressee.lower() != bot_username.lower():
        return None
    return name.lower(), " ".join(caption.split()[1:])


async def download(
    bot: Bot, core: Core, attachments: Sequence[Attachment], *, timeout_s: float
) -> tuple[ReferenceUpload, ...]:
    """Every attachment's bytes, after every declared size was checked.

    Raises:
        ReferenceImageRefused: a declared size the core refuses, a document not declared
            as an image (``not_an_image``), or a file Telegram will not hand to bots
            (``too_large``) or cannot find (``unreadable``); nothing is spent then.
    """
    for attachment in attachments:
        if not attachment.is_image:
            raise ReferenceImageRefused(reason="not_an_image")
        if attachment.file_size is not None:
            core.check_reference_size(attachment.file_size)
    uploads = []
    for attachment in attachments:
        try:
            file = await bot.get_file(attachment.file_id)
        except BadRequest as exc:
            if "file is too big" in exc.message.lower():
                raise ReferenceImageRefused(
                    reason="too_large", max_mb=TELEGRAM_DOWNLOAD_MAX_MB
                ) from None
            # "invalid file_id", "wrong file_id or the file is temporarily unavailable"
            log.warning("telegram getFile refused a reference image: %s", exc.message)
            raise ReferenceImageRefused(reason="unreadable") from None
        if attachment.file_size is None and file.file_size is not None:
            core.check_reference_size(file.file_size)
        data = await file.download_as_bytearray(read_timeout=timeout_s)
        uploads.append(ReferenceUpload(bytes(data), attachment.filename))
    return tuple(uploads)


@dataclass(slots=True)
class Album:
    """The items of one media group seen so far, by message id."""

    items: dict[int, tuple[Attachment, ...]] = field(default_factory=dict)
    last_seen_s: float = 0.0
    grew: asyncio.Event = field(default_factory=asyncio.Event)


class Albums:
    """Albums being received, per (chat id, media_group_id). Telegram sends an album's
    items as separate updates close together; the item whose caption is ``/imagine``
    waits until no new item has come for ``quiet_s`` (or the album is full), then takes
    them all. Kept in this process only: with several webhook processes behind one URL,
    an album split between them yields the items this process saw."""

    def __init__(self, *, quiet_s: float, max_wait_s: float, keep_s: float = 60.0) -> None:
        self.quiet_s = quiet_s
        self.max_wait_s = max_wait_s
        self.keep_s = keep_s
        self._albums: dict[tuple[int, str], Album] = {}

    def add(self, message: Message) -> None:
        """Record an album item (a message with a ``media_group_id``)."""
        group = message.media_group_id
        if group is None:
            return
        now = time.monotonic()
        for key in [k for k, a in self._albums.items() if now - a.last_seen_s > self.keep_s]:
            del self._albums[key]
        album = self._albums.setdefault((message.chat_id, group), Album())
        album.items[message.message_id] = own_attachments(message)
        album.last_seen_s = now
        album.grew.set()

    async def collect(self, message: Message) -> tuple[Attachment, ...]:
        """All the images of ``message``'s album, in the order they were sent (the
        message alone when it is not in an album)."""
        group = message.media_group_id
        if group is None:
            return own_attachments(message)
        self.add(message)
        album = self._albums[(message.chat_id, group)]
        deadline_s = time.monotonic() + self.max_wait_s
        while len(album.items) < ALBUM_MAX_ITEMS:
            album.grew.clear()
            wait_s = min(self.quiet_s, deadline_s - time.monotonic())
            if wait_s <= 0:
                break
            try:
                await asyncio.wait_for(album.grew.wait(), wait_s)
            except TimeoutError:
                break  # quiet: the album is complete
        return tuple(a for _, items in sorted(album.items.items()) for a in items)
