"""The Discord client and its lifetime: login, command registration (and sync when
asked), persistent buttons, and the delivery handler registered on the event bus.

The adapter owns no database, Redis or HTTP client of its own: it is given the core, the
messages and the event bus the process bootstrapped; discord.py owns its own session to
Discord.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import discord
import yarl
from discord import app_commands

from adapters.common.catalogue import chat_messages
from adapters.discord.commands import register_commands
from adapters.discord.delivery import PLATFORM, DiscordDelivery, Progress
from adapters.discord.handlers import Handlers
from adapters.discord.hook import ErrorHook
from adapters.discord.items import ALL_ITEMS
from adapters.discord.render import LOCALES_DIR, CoreTranslator
from core import Core, EventBus, Messages, utcnow

log = logging.getLogger("seedream.discord")


@dataclass(frozen=True)
class DiscordOptions:
    token: str
    shard_ids: tuple[int, ...] | None = None
    shard_count: int | None = None
    sync_commands: bool = False
    sync_guild_id: int | None = None  # sync to one guild (instant) instead of globally
    admin_user_ids: frozenset[int] = frozenset()
    api_base_url: str | None = None  # a fake or proxy instead of https://discord.com/api/v10
    gateway_url: str | None = None  # instead of wss://gateway.discord.gg/
    guild_ready_timeout_s: float = 2.0
    shutdown_grace_s: float = 10.0  # for interactions being answered at shutdown
    private_refresh_s: float = 30.0  # reload who prefers private replies (other processes)
    autocomplete_deadline_s: float = 1.5  # /delete's choices: longest read (Discord: 3 s)
    clock: Callable[[], datetime] = utcnow  # injectable for the 15-minute token lifetime


def point_at(api_base_url: str | None, gateway_url: str | None) -> None:
    """Send discord.py's REST calls and gateway connection elsewhere (a loopback fake in
    tests). discord.py keeps both as class attributes, so this is process-wide."""
    if api_base_url:
        discord.http.Route.BASE = api_base_url.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class SeedreamBot(discord.AutoShardedClient):
    """Shards as configured; with no ``shard_count`` it asks ``/gateway/bot``."""

    def __init__(self, adapter: DiscordAdapter) -> None:
        options = adapter.options
        # No shard_ids: discord.py runs every shard (of shard_count, or as /gateway/bot says).
        shards: dict[str, Any] = {"shard_ids": list(options.shard_ids)} if options.shard_ids else {}
        super().__init__(
            intents=discord.Intents(guilds=True),
            **shards,
            shard_count=options.shard_count,
            guild_ready_timeout=options.guild_ready_timeout_s,
            allowed_mentions=discord.AllowedMentions.none(),
            enable_debug_events=False,
        )
        self.seedream = adapter.handlers  # what buttons reach through interaction.client
        self.tree = app_commands.CommandTree(self)
        self.tree.error(adapter.hook.on_tree_error)
        self._adapter = adapter

    async def setup_hook(self) -> None:
        adapter = self._adapter
        await self.tree.set_translator(CoreTranslator(adapter.messages))
        register_commands(self.tree, adapter.handlers)
        self.add_dynamic_items(*ALL_ITEMS)
        private_users = adapter.handlers.private_users
        try:
            await private_users.refresh()
        except Exception:  # answer publicly until a reload succeeds, rather than not at all
            log.exception("could not load the private replies preferences")
        adapter._background.add(asyncio.create_task(private_users.run()))
        if adapter.options.sync_commands:
            guild_id = adapter.options.sync_guild_id
            synced = await self.tree.sync(guild=discord.Object(guild_id) if guild_id else None)
            log.info("synced %d application commands", len(synced))
        adapter.delivery.ready.set()  # logged in: delivering can use the HTTP session

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.modal_submit:
            await self.seedream.modal_submitted(interaction)


class DiscordAdapter:
    """Run with :meth:`run` (until cancelled or :meth:`close`)."""

    def __init__(
        self, core: Core, messages: Messages, events: EventBus, options: DiscordOptions
    ) -> None:
        self.core = core
        messages = chat_messages(messages, LOCALES_DIR)  # the core's texts, then Discord's
        self.messages = messages
        self.events = events
        self.options = options
        self.hook = ErrorHook(messages, core.reply_locale)
        self.progress = Progress()
        self.handlers = Handlers(
            core,
            messages,
            self.hook,
            self.progress,
            admin_user_ids=options.admin_user_ids,
            private_refresh_s=options.private_refresh_s,
            autocomplete_deadline_s=options.autocomplete_deadline_s,
        )
        self._background: set[asyncio.Task] = set()
        point_at(options.api_base_url, options.gateway_url)
        self.client = SeedreamBot(self)
        self.delivery = DiscordDelivery(
            self.client,
            messages,
            self.progress,
            can_delete=True,  # the core always has its privacy service
            clock=options.clock,
            recent_images=self.handlers.recent_images,
        )
        # Registered before the bus starts consuming (it reads the handlers it has then);
        # events wait in the handler until the client has logged in.
        events.register(PLATFORM, self.delivery)

    async def run(self) -> None:
        try:
            await self.client.start(self.options.token)
        finally:
            await self.close()

    async def close(self) -> None:
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        self._background.clear()
        unregister = getattr(self.events, "unregister", None)
        if unregister is not None:
            unregister(PLATFORM)
        if not self.client.is_closed():
            await self.hook.drain(self.options.shutdown_grace_s)
            await self.client.close()
