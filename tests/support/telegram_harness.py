"""Fixtures' building blocks for the Telegram end-to-end tests: the fake Bot API on a
loopback port and the real PTB Application of the adapter pointed at it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from urllib.parse import unquote, urlsplit

import httpx

from adapters.telegram.app import TelegramAdapter
from adapters.telegram.config import WEBHOOK_PATH, TelegramConfig
from adapters.telegram.webhook import webhook_route
from adapters.web.app import create_web_app
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


@contextlib.asynccontextmanager
async def webhook_adapter(
    app: App, secret: str
) -> AsyncIterator[tuple[FakeBotApi, TelegramAdapter, str]]:
    """The adapter in webhook mode behind the web server: the fake, the adapter and the
    URL Telegram posts updates to (with ``secret`` in the secret-token header)."""
    async with (
        fake_bot_api() as fake,
        running_adapter(
            app, fake, webhook_url="https://bot.example/telegram/webhook", webhook_secret=secret
        ) as adapter,
        serve_asgi(create_web_app(app, [webhook_route(adapter)])) as web,
    ):
        yield fake, adapter, web + WEBHOOK_PATH


async def call_method(fake: FakeBotApi, method: str, **params) -> httpx.Response:
    """A Bot API request as PTB sends it (form fields, non-strings JSON-encoded), for
    contract tests that check the fake's exact answer."""
    async with httpx.AsyncClient() as client:
        return await client.post(f"{fake.url}/bot{BOT_TOKEN}/{method}", data=params)


def assert_refused(response: httpx.Response, description: str) -> None:
    """Telegram's error shape: 400 repeated as error_code, and the description."""
    assert response.status_code == 400, response.text
    assert response.json() == {"ok": False, "error_code": 400, "description": description}


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
