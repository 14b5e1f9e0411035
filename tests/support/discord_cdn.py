"""Discord's attachment CDN for the loopback fake (``tests/support/fake_discord.py``),
served on the fake's own port.

Real attachment URLs are ``https://cdn.discordapp.com/attachments/<channel>/<id>/<name>``
with signed query parameters ``ex`` (expiry, hex seconds), ``is`` (issued) and ``hm``
(the signature); ``proxy_url`` is the same file on ``media.discordapp.net``. A URL whose
signature does not match answers 404 (Discord: "This content is no longer available.").
discord.py's ``Attachment.read()`` fetches ``url`` with its own session
(``HTTPClient.get_from_cdn``: 200 is the bytes, 404 ``NotFound``, 403 ``Forbidden``).

Every download is recorded (:attr:`FakeCdn.downloads`), so a test can prove that a
refused attachment was never fetched.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass

from aiohttp import web

from tests.support.discord_payloads import CHANNEL_ID, attachment_payload, snowflake

_counter = itertools.count(1)


@dataclass(frozen=True)
class Download:
    path: str  # /attachments/... or /media/attachments/...
    attachment_id: str
    served: bool


class FakeCdn:
    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}  # attachment id -> (bytes, signature)
        self.downloads: list[Download] = []

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/attachments/{channel}/{id}/{name}", self._serve)
        app.router.add_get("/media/attachments/{channel}/{id}/{name}", self._serve)

    def attachment(
        self,
        base_url: str,
        data: bytes,
        filename: str = "ref.png",
        *,
        size: int | None = None,
        content_type: str | None = "image/png",
        width: int | None = 64,
        height: int | None = 64,
        channel_id: int = CHANNEL_ID,
    ) -> dict:
        """Store ``data`` and return its attachment object; ``size`` is what Discord
        declares (the real size unless given)."""
        attachment_id = snowflake()
        issued = int(time.time())
        signature = hashlib.sha256(f"{attachment_id}:{next(_counter)}".encode()).hexdigest()
        self.files[str(attachment_id)] = (data, signature)
        path = f"/attachments/{channel_id}/{attachment_id}/{filename}"
        query = f"?ex={issued + 86400:x}&is={issued:x}&hm={signature}&"
        return attachment_payload(
            attachment_id,
            filename,
            len(data) if size is None else size,
            f"{base_url}{path}{query}",
            f"{base_url}/media{path}{query}",
            content_type=content_type,
            width=width,
            height=height,
        )

    def downloaded(self, attachment: dict) -> bool:
        return any(d.attachment_id == attachment["id"] and d.served for d in self.downloads)

    async def _serve(self, request: web.Request) -> web.Response:
        attachment_id = request.match_info["id"]
        stored = self.files.get(attachment_id)
        served = stored is not None and request.query.get("hm") == stored[1]
        self.downloads.append(Download(request.path, attachment_id, served))
        if not served or stored is None:
            return web.Response(status=404, text="This content is no longer available.")
        return web.Response(body=stored[0], content_type="application/octet-stream")
