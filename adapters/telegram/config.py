"""Telegram adapter settings, taken from the process settings."""

from __future__ import annotations

import re
from dataclasses import dataclass

PLATFORM = "telegram"
WEBHOOK_PATH = "/telegram/webhook"
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    token: str
    api_base_url: str = "https://api.telegram.org"  # a local Bot API server or a fake
    poll_timeout_s: float = 10.0
    chat_interval_s: float = 1.0  # at most one message per chat per interval
    overall_per_s: float = 30.0  # messages per second over all chats
    group_per_minute: float = 20.0  # messages per minute in one group
    max_retries: int = 3  # on a 429, wait retry_after and try again this many times
    chat_action_interval_s: float = 4.0  # "sending photo…" shows for about 5 s
    max_generation_s: float = 360.0  # stop the chat action after this long
    webhook_url: str | None = None  # public https URL ending in WEBHOOK_PATH
    webhook_secret: str | None = None
    stars_reconcile_interval_s: float = 600.0  # getStarTransactions; 0 turns it off
    # How long a Bot API answer may take (PTB's default); past it a send is "TimedOut",
    # which may still have reached the chat (see ``delivery``).
    read_timeout_s: float = 5.0
    nsfw_chat_ids: frozenset[int] = frozenset()  # chats allowing age-restricted models
    admin_user_ids: frozenset[int] = frozenset()  # operators allowed /admin (private chat)
    # Reference images: an album's items come as separate updates; the /imagine item waits
    # until none has come for album_quiet_s (at most album_max_wait_s). A download from
    # Telegram's file link (up to 20 MB) may take download_timeout_s.
    album_quiet_s: float = 1.0
    album_max_wait_s: float = 5.0
    download_timeout_s: float = 60.0

    @property
    def base_url(self) -> str:
        return f"{self.api_base_url.rstrip('/')}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.api_base_url.rstrip('/')}/file/bot"

    @classmethod
    def from_settings(cls, settings) -> TelegramConfig:
        """Raises: ValueError when no token is set, a webhook URL is not https or lacks
        a (valid) secret, or an age-restricted chat id or an operator id is not a number."""
        if settings.telegram_token is None or not settings.telegram_token.get_secret_value():
            raise ValueError("no Telegram token: set TELEGRAM_BOT_TOKEN")
        secret = settings.telegram_webhook_secret
        if settings.telegram_webhook_url:
            if not settings.telegram_webhook_url.startswith("https://"):
                # setWebhook refuses it: "An HTTPS URL must be provided for webhook".
                raise ValueError("the Telegram webhook URL must start with https://")
            if secret is None:
                raise ValueError("a Telegram webhook URL needs SEEDREAM_TELEGRAM_WEBHOOK_SECRET")
            if not _SECRET_TOKEN.fullmatch(secret.get_secret_value()):
                raise ValueError("the webhook secret must be 1-256 of A-Z a-z 0-9 _ -")
        return cls(
            token=settings.telegram_token.get_secret_value(),
            api_base_url=settings.telegram_api_base_url,
            poll_timeout_s=settings.telegram_poll_timeout_s,
            chat_interval_s=settings.telegram_chat_interval_s,
            overall_per_s=settings.telegram_overall_per_s,
            group_per_minute=settings.telegram_group_per_minute,
            max_retries=settings.telegram_max_retries,
            max_generation_s=settings.job_timeout_s + 60,
            webhook_url=settings.telegram_webhook_url,
            webhook_secret=secret.get_secret_value() if secret is not None else None,
            stars_reconcile_interval_s=settings.telegram_stars_reconcile_interval_s,
            nsfw_chat_ids=settings.telegram_nsfw_chat_ids(),
            admin_user_ids=settings.telegram_admin_user_ids(),
        )
