"""One interaction as an ``adapters.common.context.ChatContext``: the shared flows answer
by editing the interaction's own (already acknowledged) reply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from adapters.discord.actor import actor_of
from adapters.discord.render import Texts, clip
from core import Actor, Core


@dataclass(frozen=True, slots=True)
class InteractionContext:
    core: Core
    interaction: discord.Interaction
    texts: Texts

    @property
    def actor(self) -> Actor:
        return actor_of(self.interaction)

    @property
    def locale(self) -> str | None:
        return self.texts.language

    def t(self, key: str, **params: Any) -> str:
        return self.texts(key, **params)

    async def reply(self, text: str) -> None:
        await self.interaction.edit_original_response(content=clip(text))
