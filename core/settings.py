"""The core's own settings, read by the facade and the accept step alike (so no module
imports the facade to get them); ``bot.settings`` fills them from the environment."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CoreSettings:
    policy_version: str
    link_ttl_s: int = 7 * 24 * 3600
    # /gallery: how long a personal gallery link works, and the web process's public
    # address the link points at (bot.settings: SEEDREAM_PUBLIC_BASE_URL).
    gallery_link_ttl_s: int = 24 * 3600
    dashboard_link_ttl_s: int = 900  # an operator's dashboard link: short-lived
    web_base_url: str = "http://127.0.0.1:8080"
    job_max_attempts: int = 3
    history_limit: int = 10
    user_requests_per_minute: int = 12  # /imagine per user; 0 = no limit
    chat_requests_per_minute: int = 30  # /imagine per chat (group); 0 = no limit
    # Reference images users bring to /imagine (core.jobs.uploads): off switch, and the
    # limits an upload must meet before anything is decoded or stored. 20 MB is
    # Telegram's own download cap for bots.
    uploads_enabled: bool = True
    upload_max_bytes: int = 20 * 1024 * 1024
    upload_max_megapixels: float = 40.0
