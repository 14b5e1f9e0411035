"""The Discord adapter (discord.py): slash commands, persistent buttons, job delivery."""

from adapters.discord.bot import DiscordAdapter, DiscordOptions, point_at

__all__ = ["DiscordAdapter", "DiscordOptions", "point_at"]
