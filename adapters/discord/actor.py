"""Who is speaking: a Discord interaction's user as the core's ``Actor``."""

from __future__ import annotations

import discord

from core.types import Actor

PLATFORM = "discord"


def actor_of(interaction: discord.Interaction) -> Actor:
    user = interaction.user
    return Actor(
        PLATFORM,
        str(user.id),
        display_name=user.display_name[:128],
        locale=interaction.locale.value,
        chat_id=str(interaction.channel_id) if interaction.channel_id else None,
    )
