"""Process settings from the environment and an optional ``.env`` file.

Every variable is prefixed ``SEEDREAM_`` except the conventional token names
(``DISCORD_TOKEN``, ``TELEGRAM_BOT_TOKEN``). The README lists them all with defaults.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.providers.registry import ProviderConfig


class MissingSetting(RuntimeError):
    """A setting a production process cannot start without (the message is one line)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SEEDREAM_", env_file=".env", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Path("var")
    database_url: str | None = None  # default: SQLite file in data_dir
    redis_url: str | None = None
    catalog_path: Path | None = None  # default: the shipped bot/catalog.toml
    policy_version: str = "2026-12-06"  # opt-in product analytics (issue 19)
    log_level: str = "INFO"
    log_json: bool = False

    web_host: str = "127.0.0.1"
    web_port: int = 8080
    public_base_url: str | None = None  # default: http://{web_host}:{web_port}
    # A role that serves no web port (worker, Discord, Telegram polling) serves its own
    # counters on /metrics here when set (docs/operations-alerts.md).
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = None
    signing_secret: SecretStr | None = None  # default: generated once into data_dir
    # Key of the identity hashes kept across erasure (core.privacy_abuse). Embedded
    # default: generated once into data_dir; PostgreSQL deployments must set it.
    # Rotating it forgets every hash (README, "Abuse prevention").
    abuse_hash_secret: SecretStr | None = None
    link_ttl_s: int = 7 * 24 * 3600

    s3_bucket: str | None = None  # set to store images in S3 / R2 instead of data_dir
    s3_endpoint_url: str | None = None
    s3_region: str = "auto"
    s3_access_key_id: SecretStr | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_public_base_url: str | None = None  # e.g. an R2 custom domain; else presigned links

    redis_prefix: str = "seedream"  # several deployments can share one Redis

    worker_concurrency: int = 2
    job_timeout_s: float = 300.0
    job_deadline_s: float = 1800.0  # a job not finished this long after submission fails
    job_max_attempts: int = 3
    heartbeat_interval_s: float = 5.0
    reconcile_interval_s: float = 2.0
    retry_base_delay_s: float = 2.0
    retry_max_delay_s: float = 60.0
    redeliver_after_s: float = 30.0
    user_requests_per_minute: int = 12
    chat_requests_per_minute: int = 30
    # Reference images users bring to /imagine (core.jobs.uploads): the off switch, the
    # largest file (20 MB: Telegram's own download cap for bots) and the most pixels.
    uploads_enabled: bool = True
    upload_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    upload_max_megapixels: float = Field(default=40.0, gt=0)

    # Image services: a provider is used when its key is set (conventional names).
    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str = "https://api.openai.com/v1"
    replicate_api_token: SecretStr | None = Field(
        default=None, validation_alias="REPLICATE_API_TOKEN"
    )
    replicate_base_url: str = "https://api.replicate.com/v1"
    fal_key: SecretStr | None = Field(default=None, validation_alias="FAL_KEY")
    fal_queue_url: str = "https://queue.fal.run"
    fal_sync_url: str = "https://fal.run"
    fireworks_api_key: SecretStr | None = Field(default=None, validation_alias="FIREWORKS_API_KEY")
    fireworks_base_url: str = "https://api.fireworks.ai/inference/v1"
    gemini_api_key: SecretStr | None = Field(default=None, validation_alias="GEMINI_API_KEY")
    gemini_base_url: str = "https://generativelanguage.googleapis.com/v1beta"
    openrouter_api_key: SecretStr | None = Field(
        default=None, validation_alias="OPENROUTER_API_KEY"
    )
    openrouter_base_url: str = "https://openrouter.ai/api/v1"
    ark_api_key: SecretStr | None = Field(default=None, validation_alias="ARK_API_KEY")
    ark_base_url: str = "https://ark.ap-southeast.bytepluses.com/api/v3"
    deepseek_api_key: SecretStr | None = Field(default=None, validation_alias="DEEPSEEK_API_KEY")
    deepseek_base_url: str = "https://api.deepseek.com"
    deepseek_model: str = "deepseek-v4-flash"
    provider_failure_threshold: int = 5  # transient failures in a minute open the circuit
    provider_cooldown_s: float = 30.0

    # Billing: Stripe (card payments) is on when the secret key is set.
    stripe_secret_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("STRIPE_SECRET_KEY", "SEEDREAM_STRIPE_SECRET_KEY"),
    )
    stripe_webhook_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("STRIPE_WEBHOOK_SECRET", "SEEDREAM_STRIPE_WEBHOOK_SECRET"),
    )
    stripe_api_base: str = "https://api.stripe.com"
    stripe_webhook_tolerance_s: int = 300  # older signed timestamps are refused
    stripe_max_network_retries: int = 2

    # Privacy (issue 6)
    privacy_policy_path: Path | None = None  # default: the shipped bot/privacy-policy.txt
    export_link_ttl_s: int = 24 * 3600  # how long a /mydata link works
    gallery_link_ttl_s: int = Field(default=24 * 3600, ge=60)  # how long a /gallery link works
    # How long an operator's dashboard link works (admin dashboard-link, /admin dashboard).
    dashboard_link_ttl_s: int = Field(default=900, ge=60, le=24 * 3600)
    export_interval_s: int = 3600  # one /mydata per user per this many seconds
    erase_confirmation_ttl_s: int = 600  # how long a /forgetme code is valid
    purge_grace_days: int = Field(default=7, ge=0, le=30)  # days kept after deletion
    purge_interval_s: float = 3600.0  # how often each worker runs the purge
    # The erasure journal (core.privacy.journal, docs/backups.md): a folder of its own; by
    # default the storage bucket (or media folder) under the reserved erasure-journal/.
    erasure_journal_dir: Path | None = None

    # Product analytics, opt-in per user (/settings analytics on): off unless a kind is
    # set. posthog: URL of the instance, key = the project API key; plausible: URL of
    # the instance, key = the site's domain there (README, Product analytics).
    analytics_kind: Literal["", "posthog", "plausible"] = ""
    analytics_url: str | None = None
    analytics_key: SecretStr | None = None
    analytics_timeout_s: float = Field(default=5.0, gt=0, le=30)
    analytics_queue_size: int = Field(default=1000, ge=1)

    discord_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "SEEDREAM_DISCORD_TOKEN")
    )
    # Discord: base URLs for a proxy or a test fake; operators allowed /admin (user ids,
    # comma-separated); a guild to sync commands to instantly instead of globally.
    discord_api_base_url: str | None = None
    discord_gateway_url: str | None = None
    discord_admin_ids: str = ""
    discord_sync_guild_id: int | None = None
    telegram_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "TELEGRAM_BOT_TOKEN", "TELEGRAM_TOKEN", "SEEDREAM_TELEGRAM_TOKEN"
        ),
    )
    # Telegram: a local Bot API server (or a test fake) instead of the public one.
    telegram_api_base_url: str = "https://api.telegram.org"
    # Telegram user ids (comma-separated) allowed /admin (in a private chat only).
    telegram_admin_ids: str = ""
    # Webhook mode: the public https URL of {public web}/telegram/webhook; polling if unset.
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None  # 1-256 of A-Z a-z 0-9 _ -
    telegram_poll_timeout_s: float = 10.0
    telegram_chat_interval_s: float = 1.0  # flood limits: one message per chat per interval,
    telegram_overall_per_s: float = 30.0  # this many per second over all chats,
    telegram_group_per_minute: float = 20.0  # this many per minute in one group
    telegram_max_retries: int = 3  # retries after a 429 (each after its retry_after)
    # Credit Stars payments whose update was lost (getStarTransactions); 0 turns it off.
    telegram_stars_reconcile_interval_s: float = Field(default=600.0, ge=0)
    # Card (Stripe) packs on Telegram besides Stars: off unless the operator opts in,
    # since Telegram asks bots to sell digital goods for Stars (README, Telegram).
    telegram_card_payments: bool = False
    # Chats (ids, comma-separated; groups are negative) where age-restricted models may be
    # used; none by default (Telegram has no age-restricted flag for a chat to read).
    telegram_nsfw_chats: str = ""

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'seedream.db').as_posix()}"

    def resolved_public_base_url(self) -> str:
        return (self.public_base_url or f"http://{self.web_host}:{self.web_port}").rstrip("/")

    def resolved_signing_secret(self) -> bytes:
        """The HMAC key for local media links; generated once and kept in data_dir."""
        if self.signing_secret is not None:
            return self.signing_secret.get_secret_value().encode()
        return self._data_dir_secret("signing.key")

    def resolved_abuse_hash_secret(self) -> bytes:
        """The HMAC key of the abuse prevention hashes: the setting, or (embedded SQLite
        only) one generated once and kept in data_dir.

        Raises:
            MissingSetting: PostgreSQL is configured and the secret is not set.
        """
        if self.abuse_hash_secret is not None and self.abuse_hash_secret.get_secret_value():
            return self.abuse_hash_secret.get_secret_value().encode()
        if not self.is_sqlite:
            raise MissingSetting(
                "SEEDREAM_ABUSE_HASH_SECRET is not set; a PostgreSQL deployment needs it "
                "(a long random value, kept across restarts: see README, Abuse prevention)"
            )
        return self._data_dir_secret("abuse-hash.key")

    def _data_dir_secret(self, file_name: str) -> bytes:
        """A random secret generated once into ``data_dir/file_name`` (mode 0600)."""
        key_file = self.data_dir / file_name
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_hex(32), encoding="utf-8")
            key_file.chmod(0o600)
        return key_file.read_text(encoding="utf-8").strip().encode()

    def discord_admin_user_ids(self) -> frozenset[int]:
        """Raises: ValueError for an id that is not a number."""
        return frozenset(
            int(part) for part in self.discord_admin_ids.replace(" ", "").split(",") if part
        )

    def telegram_admin_user_ids(self) -> frozenset[int]:
        """Raises: ValueError for an id that is not a number."""
        return frozenset(
            int(part) for part in self.telegram_admin_ids.replace(" ", "").split(",") if part
        )

    def telegram_nsfw_chat_ids(self) -> frozenset[int]:
        """Raises: ValueError for an id that is not a number."""
        return frozenset(
            int(part) for part in self.telegram_nsfw_chats.replace(" ", "").split(",") if part
        )

    def provider_configs(self) -> dict[str, ProviderConfig]:
        """The image services whose key is set."""
        entries = {
            "openai": (self.openai_api_key, self.openai_base_url, {}),
            "replicate": (self.replicate_api_token, self.replicate_base_url, {}),
            "fal": (self.fal_key, self.fal_queue_url, {"sync_url": self.fal_sync_url}),
            "fireworks": (self.fireworks_api_key, self.fireworks_base_url, {}),
            "google": (self.gemini_api_key, self.gemini_base_url, {}),
            "openrouter": (self.openrouter_api_key, self.openrouter_base_url, {}),
            "ark": (self.ark_api_key, self.ark_base_url, {}),
        }
        return {
            name: ProviderConfig(key.get_secret_value(), url, options)
            for name, (key, url, options) in entries.items()
            if key is not None and key.get_secret_value()
        }

    def secrets(self) -> list[str]:
        """Every configured secret, for the log redaction filter."""
        values = [v for v in vars(self).values() if isinstance(v, SecretStr)]
        return [v.get_secret_value() for v in values if v.get_secret_value()]

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url().startswith("sqlite")

    @property
    def chat_tokens_configured(self) -> bool:
        return self.discord_token is not None or self.telegram_token is not None
