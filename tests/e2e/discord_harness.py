"""Running the real Discord adapter (discord.py) against the loopback fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace

import discord

from adapters.discord.bot import DiscordAdapter, DiscordOptions
from bot.bootstrap import App
from core.text.catalogue import Messages
from tests.support.fake_discord import APP_ID, TOKEN, Call, FakeDiscord, Sent

ADMIN_ID = 4242


@contextlib.asynccontextmanager
async def running_adapter(
    app: App,
    fake: FakeDiscord,
    *,
    worker: bool = True,
    messages: Messages | None = None,
    **overrides,
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
    adapter = DiscordAdapter(app.core, messages or app.messages, app.events, options)
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
        # Stop what delivers first, so no Discord request is in flight when the client's
        # HTTP session closes; then the client.
        for task in tasks[1:]:
            task.cancel()
        await asyncio.gather(*tasks[1:], return_exceptions=True)
        await adapter.close()
        tasks[0].cancel()
        await asyncio.gather(tasks[0], return_exceptions=True)
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


async def _ready(adapter: DiscordAdapter, fake: FakeDiscord, shards: int) -> None:
    await fake.wait_ready(shards=shards)
    async with asyncio.timeout(15):
        await adapter.client.wait_until_ready()


def option(name: str, value, kind: int = 3, **extra) -> dict:
    return {"name": name, "type": kind, "value": value, **extra}


def webhook_path(token: str, suffix: str = "/messages/@original") -> str:
    return f"/webhooks/{APP_ID}/{token}{suffix}"


def custom_ids(message_or_body: dict) -> list[str]:
    """The custom ids of the buttons in a message (or an edit's body), in order."""
    return [
        button["custom_id"]
        for row in message_or_body.get("components") or []
        for button in row.get("components", [])
        if "custom_id" in button
    ]


async def run(fake: FakeDiscord, name: str, options: list | None = None, **kwargs) -> Sent:
    """Send a slash command and wait until it was acknowledged."""
    sent = await fake.send(fake.command(name, options, **kwargs))
    await fake.callback_for(sent)
    return sent


async def edit_where(fake: FakeDiscord, sent: Sent, predicate, *, timeout_s: float = 20.0) -> Call:
    """The first PATCH of ``sent``'s @original whose body matches ``predicate``."""
    path = webhook_path(sent.token)
    return await fake.wait_for(
        lambda c: c.method == "PATCH" and c.path == path and predicate(c.body or {}),
        timeout_s=timeout_s,
    )


async def reply_text(fake: FakeDiscord, sent: Sent, fragment: str) -> str:
    call = await edit_where(fake, sent, lambda b: fragment in (b.get("content") or ""))
    return call.body["content"]


async def click(fake: FakeDiscord, message: dict, custom_id: str, **kwargs) -> Sent:
    sent = await fake.send(fake.component(custom_id, message, **kwargs))
    await fake.callback_for(sent)
    return sent


async def accept_terms(fake: FakeDiscord, user_id: int = 4000) -> None:
    """/terms, then "I am 13+ and accept", through Discord like a user."""
    terms = await run(fake, "terms", user_id=user_id)
    call = await edit_where(fake, terms, lambda b: "sd:terms:accept" in custom_ids(b))
    message = {**fake.original(terms), **call.body}
    pressed = await click(fake, message, "sd:terms:accept", user_id=user_id)
    await reply_text(fake, pressed, "Thank you")


async def finished(fake: FakeDiscord, sent: Sent) -> Call:
    """The edit that shows a job's images."""
    return await edit_where(fake, sent, lambda b: bool(b.get("embeds")))
