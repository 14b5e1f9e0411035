"""Fixtures' building blocks for the Telegram end-to-end tests: the fake Bot API on a
loopback port and the real PTB Application of the adapter pointed at it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from adapters.telegram import TelegramAdapter, TelegramConfig
from bot.bootstrap import App
from tests.support.fake_telegram import BOT_TOKEN, Call, FakeBotApi
from tests.support.servers import serve_asgi

# Fast but real limits for functional tests; the flood tests set their own.
TEST_CONFIG = TelegramConfig(
    token=BOT_TOKEN,
    poll_timeout_s=2.0,
    chat_interval_s=0.005,
    overall_per_s=1000.0,
    group_per_minute=6000.0,
    max_retries=2,
    chat_action_interval_s=0.05,
    stars_reconcile_interval_s=0,  # tests run the reconciler themselves
)


@contextlib.asynccontextmanager
async def fake_bot_api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi()
    async with serve_asgi(fake.asgi()) as url:
        fake.url = url
        try:
            yield fake
        finally:
            await fake.close()


@contextlib.asynccontextmanager
async def running_adapter(
    app: App, fake: FakeBotApi, **overrides
) -> AsyncIterator[TelegramAdapter]:
    config = replace(TEST_CONFIG, api_base_url=fake.url, **overrides)
    fake.fetch_url = media_fetcher(app)
    adapter = TelegramAdapter(app.core, app.messages, app.events, config)
    async with adapter.running():
        yield adapter


def text_has(fragment: str):
    """A ``wait_for`` predicate: the call's text contains ``fragment``."""
    return lambda call: fragment in call.params.get("text", "")


def button_data(call: Call) -> dict[str, str]:
    """The inline buttons of a sent message: label -> callback data (or url)."""
    return {b["text"]: b.get("callback_data") or b.get("url") for b in call.markup_buttons()}


async def accept_terms(fake: FakeBotApi, who: dict) -> None:
    """/start, then "I am 13+ and accept", through Telegram like a user."""
    mark = fake.mark()
    await fake.push_command(who, "/start")
    terms = await fake.wait_for("sendMessage", text_has("13 or older"), after=mark)
    await fake.push_callback(who, button_data(terms)["I am 13+ and accept"], message=terms)
    await fake.wait_for("editMessageText", text_has("Thank you"), after=mark)


def media_fetcher(app: App) -> Callable[[str], Awaitable[bytes | None]]:
    """What Telegram would download from one of the app's links (``/media/{key}`` of the
    local store; the links point at an unreachable port, so the fake reads the store)."""

    async def fetch(url: str) -> bytes | None:
        path = urlsplit(url).path
        if app.local_store is None or not path.startswith("/media/"):
            return None
        try:
            return await app.local_store.get(unquote(path.removeprefix("/media/")))
        except (KeyError, ValueError):
            return None

    return fetch
