"""The Discord adapter (discord.py): slash commands, persistent buttons, job delivery.

Importing a module of it runs only that module: ``bot`` holds ``DiscordAdapter``.
"""
