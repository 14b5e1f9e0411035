"""Running the real Discord adapter (discord.py) against the loopback fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace

import discord

from adapters.discord import DiscordAdapter, DiscordOptions
from bot.bootstrap import App
from tests.support.fake_discord import APP_ID, TOKEN, FakeDiscord

ADMIN_ID = 4242


@contextlib.asynccontextmanager
async def running_adapter(
    app: App, fake: FakeDiscord, *, worker: bool = True, **overrides
) -> AsyncIterator[DiscordAdapter]:
    """The adapter logged in to ``fake`` (commands synced), with the app's worker and
    event consumer running; everything stopped and the URLs restored on exit."""
    saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    options = DiscordOptions(
        token=TOKEN,
        sync_commands=True,
        admin_user_ids=frozenset({ADMIN_ID}),
        api_base_url=fake.api_base,
        gateway_url=fake.gateway_url,
        guild_ready_timeout_s=0.05,
    )
    options = replace(options, **overrides)
    adapter = DiscordAdapter(app.core, app.messages, app.events, options)
    tasks = [asyncio.create_task(adapter.run()), asyncio.create_task(app.events.consume())]
    if worker:
        tasks.append(asyncio.create_task(app.worker.run()))
    try:
        count = len(options.shard_ids) if options.shard_ids else (options.shard_count or 1)
        ready = asyncio.ensure_future(_ready(adapter, fake, count))
        await asyncio.wait([ready, tasks[0]], return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            tasks[0].result()  # the adapter stopped: raise why
            raise RuntimeError("the Discord adapter stopped before it was ready")
        ready.result()
        yield adapter
    finally:
        await adapter.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


async def _ready(adapter: DiscordAdapter, fake: FakeDiscord, shards: int) -> None:
    await fake.wait_ready(shards=shards)
    async with asyncio.timeout(15):
        await adapter.client.wait_until_ready()


def option(name: str, value, kind: int = 3, **extra) -> dict:
    return {"name": name, "type": kind, "value": value, **extra}


def webhook_path(token: str, suffix: str = "/messages/@original") -> str:
    return f"/webhooks/{APP_ID}/{token}{suffix}"
