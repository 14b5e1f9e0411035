"""The Telegram adapter (python-telegram-bot): commands, inline keyboards, delivery.

Importing a module of it runs only that module: ``app`` (``TelegramAdapter``), ``config``
and ``webhook`` are imported by name.
"""
