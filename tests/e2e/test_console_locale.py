"""The console answers in the language chosen with ``/settings --lang`` (issue 17): its
own replies, refusals and job texts, in that session and in the next one of the same
user. The texts are checked against the shipped German files."""

from __future__ import annotations

import asyncio
import io

from adapters.common.catalogue import chat_messages
from adapters.console.adapter import LOCALES_DIR, ConsoleAdapter
from tests.conftest import unique_user


def _console(app, user_id: str, stdin: str = "") -> tuple[ConsoleAdapter, io.StringIO]:
    out = io.StringIO()
    console = ConsoleAdapter(
        app.core,
        app.messages,
        app.events,
        stdin=io.StringIO(stdin),
        stdout=out,
        user_id=user_id,
        wait_for_jobs_s=30,
    )
    return console, out


async def _said(console: ConsoleAdapter, out: io.StringIO, line: str) -> str:
    before = len(out.getvalue())
    await console.handle_line(line)
    return out.getvalue()[before:]


async def test_the_language_chosen_in_settings_answers_now_and_in_later_sessions(
    embedded_app,
):
    app = embedded_app
    german = chat_messages(app.messages, LOCALES_DIR)

    def de(key: str, **params) -> str:
        return german.render(key, "de", **params)

    assert de("console.help") != german.render("console.help", "en")  # really translated
    user_id = unique_user("console")
    console, out = _console(app, user_id)
    await console.handle_line("/accept")
    assert de("settings.saved") in await _said(console, out, "/settings --lang de")
    assert de("console.help") in await _said(console, out, "/help")
    assert de("console.vary_usage") in await _said(console, out, "/vary")
    refused = await _said(console, out, "/settings --lang xx")  # a core refusal
    assert refused.strip() and "Sprache" in refused, refused
    consumer = asyncio.create_task(app.events.consume())
    try:
        queued = await _said(console, out, "/imagine a red fox")
        assert "eingereiht" in queued, queued
        await app.worker.run(burst=True)
        await asyncio.wait_for(console._all_done.wait(), timeout=30)
        assert " fertig:" in out.getvalue(), out.getvalue()
    finally:
        consumer.cancel()
        await asyncio.gather(consumer, return_exceptions=True)

    # A later session of the same console user: German from its first line.
    later, later_out = _console(app, user_id, stdin="/help\n")
    assert await later.run() == 0
    said = later_out.getvalue()
    assert said.startswith(de("console.welcome")), said
    assert de("console.help") in said
