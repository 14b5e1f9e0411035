"""Serves files of a LocalObjectStore at ``/media/{key}`` behind signed, expiring links.

The store is handed in by the composition root (``bot``) as ``SignedFiles``: the web
adapter needs its link checks and paths, not the core's storage package."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path
from typing import Protocol

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from adapters.web.languages import page_language, web_messages
from core import Messages

__all__ = ["SignedFiles", "media_route"]


class SignedFiles(Protocol):
    """A folder of stored objects behind signed links (``core``'s local folder store)."""

    def verify(self, key: str, exp: str, sig: str) -> bool: ...

    def remaining_s(self, exp: str) -> int: ...

    def open_path(self, key: str) -> Path: ...

    def content_type(self, key: str) -> str: ...


def media_route(store: SignedFiles, messages: Messages | None = None) -> Route:
    """Return the ``GET /media/{key:path}`` route serving ``store``'s files.

    Responses: 403 (plain text) when ``exp``/``sig`` are missing, wrong or expired; 404
    when the signature is good but the file is gone; otherwise the file with its content
    type and ``Cache-Control: private, max-age=<seconds until exp>``. The signature is
    checked before the file system, so a 404 never reveals anything to a forger. The
    refusals are in the browser's language (``messages``: the core's catalogue).
    """
    texts = web_messages(messages)

    def refusal(request: Request, key: str, status_code: int) -> PlainTextResponse:
        return PlainTextResponse(
            texts.render(key, page_language(request, texts)), status_code=status_code
        )

    async def serve_media(request: Request) -> Response:
        key: str = request.path_params["key"]
        exp = request.query_params.get("exp", "")
        sig = request.query_params.get("sig", "")
        if not store.verify(key, exp, sig):
            return refusal(request, "web.link_invalid", 403)
        path = store.open_path(key)  # verify() has already validated the key
        try:
            stat_result = await asyncio.to_thread(os.stat, path)
        except OSError:
            stat_result = None
        if stat_result is None or not stat.S_ISREG(stat_result.st_mode):
            return refusal(request, "web.file_gone", 404)
        return FileResponse(
            path,
            media_type=store.content_type(key),
            stat_result=stat_result,
            headers={"Cache-Control": f"private, max-age={store.remaining_s(exp)}"},
        )

    return Route("/media/{key:path}", serve_media, methods=["GET", "HEAD"], name="media")
