"""Fixtures' building blocks for the Telegram end-to-end tests: the fake Bot API on a
loopback port and the real PTB Application of the adapter pointed at it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace

from adapters.telegram import TelegramAdapter, TelegramConfig
from bot.bootstrap import App
from tests.support.fake_telegram import BOT_TOKEN, FakeBotApi
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
    adapter = TelegramAdapter(app.core, app.messages, app.events, config)
    async with adapter.running():
        yield adapter
