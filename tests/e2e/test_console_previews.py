"""The console prints each result's original link first, then its chat preview's link,
with the embedded core (SQLite, in-process queue, local images and signed links)."""

from __future__ import annotations

import asyncio
import io
import re
from urllib.parse import unquote, urlsplit

from adapters.console.adapter import ConsoleAdapter
from tests.conftest import unique_user

LINK = re.compile(r"^( +)(preview: )?(http://\S+/media/\S+)$", re.MULTILINE)


async def test_the_console_prints_the_original_link_then_the_preview_link(embedded_app):
    app, out = embedded_app, io.StringIO()
    console = ConsoleAdapter(
        app.core, app.messages, app.events, stdin=io.StringIO(), stdout=out, user_id=unique_user()
    )
    consumer = asyncio.create_task(app.events.consume())
    try:
        await console.handle_line("/accept")
        await console.handle_line("/imagine a red fox --n 2")
        await app.worker.run(burst=True)
        await asyncio.wait_for(console._all_done.wait(), timeout=30)
    finally:
        consumer.cancel()
        await asyncio.gather(consumer, return_exceptions=True)
    found = LINK.findall(out.getvalue())
    assert [bool(label) for _, label, _ in found] == [False, True, False, True]
    for (_, _, original), (_, _, preview) in zip(found[::2], found[1::2], strict=True):
        original_key = unquote(urlsplit(original).path.removeprefix("/media/"))
        preview_key = unquote(urlsplit(preview).path.removeprefix("/media/"))
        assert original_key.endswith(".png") and preview_key.endswith(".preview.jpg")
        assert original_key.rsplit("/", 1)[0] == preview_key.rsplit("/", 1)[0]
        assert (await app.local_store.get(preview_key)).startswith(b"\xff\xd8\xff")
