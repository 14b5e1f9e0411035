"""/vary in the console adapter, with the embedded core (SQLite, in-process queue, local
images): the ids offered under a result, a variation queued and delivered, bad ids."""

from __future__ import annotations

import asyncio
import io
import re

from adapters.console.adapter import ConsoleAdapter
from core.types import Actor
from tests.conftest import unique_user


async def test_vary_an_image_from_the_console(embedded_app):
    app, out, user_id = embedded_app, io.StringIO(), unique_user("console")
    console = ConsoleAdapter(
        app.core, app.messages, app.events, stdin=io.StringIO(), stdout=out, user_id=user_id
    )
    consumer = asyncio.create_task(app.events.consume())

    async def settle() -> str:
        await app.worker.run(burst=True)
        await asyncio.wait_for(console._all_done.wait(), timeout=30)
        return out.getvalue()

    try:
        await console.handle_line("/accept")
        await console.handle_line("/imagine a red fox --n 2")
        hint = re.search(r"Variations: /vary IMAGE, with one of (\S+) (\S+)", await settle())
        assert hint is not None
        await console.handle_line(f"/vary {hint[2]}")
        text = await settle()
        assert re.search(r"Queued [0-9a-f]{8} \(2 images, 2 credits; balance 16\)", text)
        assert len(re.findall(r"Done [0-9a-f]{8}:", text)) == 2
        await console.handle_line("/vary")
        await console.handle_line("/vary nope")
    finally:
        consumer.cancel()
        await asyncio.gather(consumer, return_exceptions=True)
    text = out.getvalue()
    assert "Usage: /vary IMAGE" in text
    assert "I could not find that image." in text
    assert "Traceback" not in text
    jobs = await app.core.history(Actor("console", user_id))
    assert len(jobs) == 2 and jobs[0].image_count == 2
