"""Who is speaking: a Discord interaction's user as the core's ``Actor``."""

from __future__ import annotations

import discord

from core import Actor

PLATFORM = "discord"


def in_nsfw_channel(interaction: discord.Interaction) -> bool:
    """The channel is age-restricted (the channel object's ``nsfw`` field, see
    https://discord.com/developers/docs/resources/channel#channel-object). Conservative:
    a DM, a group DM or a channel the interaction did not describe is not (discord.py's
    ``DMChannel``, ``GroupChannel`` and ``PartialMessageable`` carry no such flag; an app
    is not told whether a user opted in to age-restricted content in DMs)."""
    is_nsfw = getattr(interaction.channel, "is_nsfw", None)
    return bool(is_nsfw()) if callable(is_nsfw) else False


def actor_of(interaction: discord.Interaction) -> Actor:
    user = interaction.user
    return Actor(
        PLATFORM,
        str(user.id),
        display_name=user.display_name[:128],
        locale=interaction.locale.value,
        chat_id=str(interaction.channel_id) if interaction.channel_id else None,
        nsfw_allowed=in_nsfw_channel(interaction),  # checked by the core on every request
    )
