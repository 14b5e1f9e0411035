"""The Telegram adapter (python-telegram-bot): commands, inline keyboards, delivery."""

from adapters.telegram.app import TelegramAdapter
from adapters.telegram.config import PLATFORM, WEBHOOK_PATH, TelegramConfig
from adapters.telegram.webhook import webhook_route

__all__ = ["PLATFORM", "WEBHOOK_PATH", "TelegramAdapter", "TelegramConfig", "webhook_route"]
