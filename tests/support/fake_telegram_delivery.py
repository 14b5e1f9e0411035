"""The delivery half of the fake Bot API: ``sendPhoto``/``sendDocument`` by link and by
upload with Telegram's own rules, and the chat-level failures a delivery meets.

Sources (see also ``shared/reference/platforms.md`` B.2):
- Bot API, "Sending files": Telegram fetches an HTTP URL itself, "5 MB max size for
  photos and 20 MB max for other types of content"; "In sendDocument, sending by URL will
  currently only work for GIF, PDF and ZIP files"; multipart uploads: "10 MB max size for
  photos, 50 MB for other files".
- Bot API ``sendPhoto``: "The photo's width and height must not exceed 10000 in total.
  Width and height ratio must be at most 20." (the same rule as TDLib's
  ``inputMessagePhoto``, quoted by its maintainer levlam in tdlib/td#2544); refused as
  "Bad Request: PHOTO_INVALID_DIMENSIONS" (seen: go-telegram-bot-api/telegram-bot-api#600).
- PTB ``telegram.constants.FileSizeLimit``: ``PHOTOSIZE_UPLOAD`` (10 MB),
  ``FILESIZE_UPLOAD`` (50 MB), ``FILESIZE_DOWNLOAD`` (20 MB).
- PTB ``request._baserequest``: a 403 raises ``Forbidden``, an error body with
  ``parameters.migrate_to_chat_id`` raises ``ChatMigrated``; ``httpx`` timeouts raise
  ``TimedOut`` (a ``NetworkError``).
- Error descriptions as Telegram words them (secondary sources: the Bot API answers seen
  in client libraries' issue trackers): "Bad Request: wrong file identifier/HTTP URL
  specified", "Bad Request: failed to get HTTP URL content", "Forbidden: bot was blocked
  by the user", "Bad Request: group chat was upgraded to a supergroup chat".

How the fake "fetches" a link: ``fetch_url`` (set by the harness) returns the bytes
behind a link, or None when it cannot tell; then a photo link is taken on trust and a
document link is judged by its path's file extension. With ``links_reachable`` False,
every link is one Telegram cannot download (a bot whose storage links point at a private
address), refused as "failed to get HTTP URL content". A photo whose bytes the fake sees
(uploaded, or fetched) is held to the dimension rules.
"""

from __future__ import annotations

import asyncio
import io
import mimetypes
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError
from telegram.constants import FileSizeLimit

PHOTO_BY_URL_MAX_BYTES = 5_000_000  # Bot API "Sending files" (no PTB constant)
DOCUMENT_BY_URL_MAX_BYTES = int(FileSizeLimit.FILESIZE_DOWNLOAD)  # 20 MB
PHOTO_UPLOAD_MAX_BYTES = int(FileSizeLimit.PHOTOSIZE_UPLOAD)  # 10 MB
DOCUMENT_UPLOAD_MAX_BYTES = int(FileSizeLimit.FILESIZE_UPLOAD)  # 50 MB
DOCUMENT_BY_URL_TYPES = frozenset({"image/gif", "application/pdf", "application/zip"})
PHOTO_MAX_SIDES_SUM_PX = 10_000  # Bot API sendPhoto (no PTB constant)
PHOTO_MAX_ASPECT = 20

WRONG_URL = "Bad Request: wrong file identifier/HTTP URL specified"
URL_UNREADABLE = "Bad Request: failed to get HTTP URL content"
BLOCKED = "Forbidden: bot was blocked by the user"
MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
PHOTO_INVALID_DIMENSIONS = "Bad Request: PHOTO_INVALID_DIMENSIONS"


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes


def sniff_type(data: bytes) -> str:
    """The content type Telegram would see, from the bytes' magic numbers."""
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        return "application/zip"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return "application/octet-stream"


def photo_dimensions_refusal(data: bytes) -> str | None:
    """Bot API sendPhoto: width + height at most 10000, their ratio at most 20. Bytes
    Pillow cannot read are left to Telegram's other checks."""
    try:
        width, height = Image.open(io.BytesIO(data)).size  # the header only
    except Exception:
        return None
    if width + height > PHOTO_MAX_SIDES_SUM_PX:
        return PHOTO_INVALID_DIMENSIONS
    if max(width, height) > PHOTO_MAX_ASPECT * min(width, height):
        return PHOTO_INVALID_DIMENSIONS
    return None


class DeliveryApi:
    """Mixed into ``FakeBotApi``; needs its ``_answer``, ``_error`` and ``photo_sizes``."""

    def _init_delivery(self) -> None:
        self.fetch_url: Callable[[str], Awaitable[bytes | None]] | None = None
        self.links_reachable = True
        self._migrated: dict[int, int] = {}
        self._blocked: set[int] = set()
        self._hangs: dict[str, int] = {}
        self._released = asyncio.Event()

    # -- test controls -----------------------------------------------------------------

    def migrate_chat(self, chat_id: int, new_chat_id: int) -> None:
        """The group ``chat_id`` became the supergroup ``new_chat_id``: every later call
        to the old id is refused with ``parameters.migrate_to_chat_id``."""
        self._migrated[chat_id] = new_chat_id

    def block_chat(self, chat_id: int) -> None:
        """The user blocked the bot: every later call to the chat gets 403."""
        self._blocked.add(chat_id)

    def hang_next(self, method: str, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` are carried out (the message reaches the
        chat) but never answered, so the client times out (until ``close``)."""
        self._hangs[method] = self._hangs.get(method, 0) + times

    def delivered(self, method: str, *, after: int = 0) -> list[Any]:
        """Calls of ``method`` that reached the chat (answered or hung, not refused)."""
        return [c for c in self.calls[after:] if c.method == method and "_answer" in c.params]

    # -- the rules ---------------------------------------------------------------------

    def _chat_refusal(self, params: dict[str, Any]) -> tuple[int, str, dict[str, Any]] | None:
        try:
            chat_id = int(params.get("chat_id", ""))
        except ValueError:
            return None
        if chat_id in self._blocked:
            return 403, BLOCKED, {}
        if chat_id in self._migrated:
            return 400, MIGRATED, {"migrate_to_chat_id": self._migrated[chat_id]}
        return None

    async def _hang_if_asked(self, method: str) -> None:
        if self._hangs.get(method, 0) > 0:
            self._hangs[method] -= 1
            await self._released.wait()

    def _release_hangs(self) -> None:
        self._released.set()

    async def _file_refusal(
        self, value: Any, *, by_url_max_bytes: int, upload_max_bytes: int, document: bool
    ) -> str | None:
        if isinstance(value, Upload):
            if len(value.data) > upload_max_bytes:
                return "Bad Request: file is too big"
            return None if document else photo_dimensions_refusal(value.data)
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            return None  # a file_id
        if not self.links_reachable:
            return URL_UNREADABLE
        data = await self.fetch_url(value) if self.fetch_url is not None else None
        if data is None:  # the fake cannot see it: judge what it can
            guessed = mimetypes.guess_type(urlsplit(value).path)[0]
            return WRONG_URL if document and guessed not in DOCUMENT_BY_URL_TYPES else None
        if len(data) > by_url_max_bytes:
            return URL_UNREADABLE
        if document and sniff_type(data) not in DOCUMENT_BY_URL_TYPES:
            return WRONG_URL
        return None if document else photo_dimensions_refusal(data)

    # -- methods -----------------------------------------------------------------------

    async def _m_sendPhoto(self, params: dict[str, Any]):
        limits = (PHOTO_BY_URL_MAX_BYTES, PHOTO_UPLOAD_MAX_BYTES)
        refusal = await self._file_refusal(
            params.get("photo"),
            by_url_max_bytes=limits[0],
            upload_max_bytes=limits[1],
            document=False,
        )
        if refusal is not None:
            return self._error(400, refusal)
        photo = await self._sent_photo(params.get("photo"))
        return self._answer(params, caption=params.get("caption"), photo=photo)

    async def _sent_photo(self, value: Any) -> list[dict[str, Any]]:
        """The ``photo`` of a sent photo message. When the fake can see the bytes (an
        upload, or a link ``fetch_url`` reads), they are kept as a file ``getFile`` serves,
        so a user can reply to the bot's picture (Telegram re-encodes photos as JPEG in
        several sizes; the fake keeps the bytes as sent, in one size)."""
        data = value.data if isinstance(value, Upload) else None
        if isinstance(value, str) and value.startswith(("http://", "https://")) and self.fetch_url:
            data = await self.fetch_url(value)
        if data is None:
            return [{"file_id": "ph1", "file_unique_id": "uph1", "width": 512, "height": 512}]
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
        except (UnidentifiedImageError, OSError):  # a contract test's filler bytes
            width = height = 512
        return self.photo_sizes([(data, width, height)])

    async def _m_sendDocument(self, params: dict[str, Any]):
        upload = params.get("document")
        name = upload.filename if isinstance(upload, Upload) else None
        document = {"file_id": "doc1", "file_unique_id": "udoc1", "file_name": name or "file"}
        limits = (DOCUMENT_BY_URL_MAX_BYTES, DOCUMENT_UPLOAD_MAX_BYTES)
        return await self._send_file(params, "document", limits, document=document)

    async def _send_file(
        self, params: dict[str, Any], field: str, limits: tuple[int, int], **content: Any
    ):
        by_url_max_bytes, upload_max_bytes = limits
        refusal = await self._file_refusal(
            params.get(field),
            by_url_max_bytes=by_url_max_bytes,
            upload_max_bytes=upload_max_bytes,
            document=field == "document",
        )
        if refusal is not None:
            return self._error(400, refusal)
        return self._answer(params, caption=params.get("caption"), **content)
