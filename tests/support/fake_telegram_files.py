"""The files half of the fake Bot API: files users send (photos, documents), ``getFile``
and the download endpoint, with Telegram's rules.

Sources:
- Bot API ``getFile``: "bots can download files of up to 20MB in size. On success, a File
  object is returned. The file can then be downloaded via the link
  https://api.telegram.org/file/bot<token>/<file_path>". ``File``: ``file_id``,
  ``file_unique_id``, ``file_size`` (optional), ``file_path`` (optional). ``PhotoSize``:
  ``file_id``, ``file_unique_id``, ``width``, ``height``, ``file_size`` (optional); a
  message's ``photo`` is an array of them, one per available size. ``Message.caption``:
  "0-1024 characters" (PTB ``MessageLimit.CAPTION_LENGTH``), with ``caption_entities``.
- tdlib/telegram-bot-api (the server behind api.telegram.org), ``Client.cpp``/``Client.h``:
  getFile refuses a file larger than ``MAX_DOWNLOAD_FILE_SIZE = 20 << 20`` bytes (20 MiB;
  PTB's ``FileSizeLimit.FILESIZE_DOWNLOAD`` says 20_000_000, the server's is the rule)
  with "Bad Request: file is too big", and a file id it cannot resolve with "Bad Request:
  invalid file_id" (both 400).
- PTB ``telegram/_files/file.py``: ``File.download_as_bytearray`` GETs
  ``base_file_url + file_path`` (the adapter's ``TelegramConfig.base_file_url``,
  ``<api>/file/bot<token>``).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from telegram.constants import MessageLimit

__all__ = [
    "FILE_TOO_BIG",
    "INVALID_FILE_ID",
    "MAX_DOWNLOAD_BYTES",
    "FilesApi",
    "StoredFile",
]

MAX_DOWNLOAD_BYTES = 20 << 20  # tdlib/telegram-bot-api Client.h MAX_DOWNLOAD_FILE_SIZE
FILE_TOO_BIG = "Bad Request: file is too big"
INVALID_FILE_ID = "Bad Request: invalid file_id"


@dataclass(frozen=True)
class StoredFile:
    """A file a user sent to the bot, as Telegram keeps it."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes

    @property
    def file_size(self) -> int:
        return len(self.data)


class FilesApi:
    """Mixed into ``FakeBotApi``; needs its ``token``, ``_next_message_id`` and ``_error``."""

    token: str

    def _init_files(self) -> None:
        self.files: dict[str, StoredFile] = {}
        self._issued_paths: dict[str, StoredFile] = {}  # what getFile handed out
        self.downloads: list[str] = []  # file_path of every download served
        self._file_ids = itertools.count(1)

    # -- test controls -----------------------------------------------------------------

    def add_file(self, data: bytes, *, folder: str = "documents", ext: str = "bin") -> StoredFile:
        """A file a user uploaded to Telegram (its ``file_size`` is ``len(data)``)."""
        n = next(self._file_ids)
        stored = StoredFile(
            file_id=f"AgAC-file-{n}-{len(data)}",
            file_unique_id=f"AQAD{n}",
            file_path=f"{folder}/file_{n}.{ext}",
            data=data,
        )
        self.files[stored.file_id] = stored
        return stored

    def photo_sizes(self, sizes: list[tuple[bytes, int, int]]) -> list[dict[str, Any]]:
        """A message's ``photo``: one PhotoSize per (bytes, width, height), smallest first
        (as Telegram lists them: thumbnails, then the full size)."""
        result = []
        for data, width, height in sizes:
            stored = self.add_file(data, folder="photos", ext="jpg")
            result.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": width,
                    "height": height,
                    "file_size": stored.file_size,
                }
            )
        return result

    def document(self, data: bytes, *, mime_type: str, file_name: str) -> dict[str, Any]:
        """A message's ``document`` (``mime_type`` as the sender's app declared it)."""
        ext = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = self.add_file(data, folder="documents", ext=ext)
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": stored.file_size,
        }

    def media_payload(
        self,
        user: dict[str, Any],
        *,
        chat: dict[str, Any],
        caption: str | None = None,
        photo: list[dict[str, Any]] | None = None,
        document: dict[str, Any] | None = None,
        media_group_id: str | None = None,
    ) -> dict[str, Any]:
        """A ``message`` with a photo or a document, and a caption whose leading command
        (if any) carries the ``bot_command`` entity in ``caption_entities``.

        Raises:
            ValueError: a caption over 1024 characters (Telegram never delivers one).
        """
        message: dict[str, Any] = {
            "message_id": self._next_message_id(),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
        }
        if photo is not None:
            message["photo"] = photo
        if document is not None:
            message["document"] = document
        if media_group_id is not None:
            message["media_group_id"] = media_group_id
        if caption is not None:
            if len(caption) > MessageLimit.CAPTION_LENGTH:
                raise ValueError("Telegram's captions are at most 1024 characters")
            message["caption"] = caption
            if caption.startswith("/"):
                command = caption.split()[0]
                message["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(command)}
                ]
        return {"message": message}

    # -- Bot API -----------------------------------------------------------------------

    async def _m_getFile(self, params: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        stored = self.files.get(str(params.get("file_id", "")))
        if stored is None:
            return self._error(400, INVALID_FILE_ID)
        if stored.file_size > MAX_DOWNLOAD_BYTES:
            return self._error(400, FILE_TOO_BIG)
        self._issued_paths[stored.file_path] = stored
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    async def _download(self, request: Request) -> Response:
        """``GET /file/bot<token>/<file_path>``: the bytes of a file getFile handed out."""
        if request.path_params["token"] != self.token:
            return self._error(401, "Unauthorized")
        file_path = request.path_params["file_path"]
        stored = self._issued_paths.get(file_path)
        if stored is None:
            return self._error(404, "Not Found")
        self.downloads.append(file_path)
        return Response(stored.data, media_type="application/octet-stream")
