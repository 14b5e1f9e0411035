"""Process settings from the environment and an optional ``.env`` file.

Every variable is prefixed ``SEEDREAM_`` except the conventional token names
(``DISCORD_TOKEN``, ``TELEGRAM_TOKEN``). The README lists them all with defaults.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SEEDREAM_", env_file=".env", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Path("var")
    database_url: str | None = None  # default: SQLite file in data_dir
    redis_url: str | None = None
    catalog_path: Path | None = None  # default: the shipped bot/catalog.toml
    policy_version: str = "2026-11-26"
    log_level: str = "INFO"
    log_json: bool = False

    web_host: str = "127.0.0.1"
    web_port: int = 8080
    public_base_url: str | None = None  # default: http://{web_host}:{web_port}
    signing_secret: SecretStr | None = None  # default: generated once into data_dir
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
    job_max_attempts: int = 3
    heartbeat_interval_s: float = 5.0
    reconcile_interval_s: float = 2.0
    retry_base_delay_s: float = 2.0
    retry_max_delay_s: float = 60.0
    redeliver_after_s: float = 30.0
    user_requests_per_minute: int = 12
    chat_requests_per_minute: int = 30

    discord_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "SEEDREAM_DISCORD_TOKEN")
    )
    telegram_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_TOKEN", "SEEDREAM_TELEGRAM_TOKEN")
    )

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
        key_file = self.data_dir / "signing.key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_hex(32), encoding="utf-8")
            key_file.chmod(0o600)
        return key_file.read_text(encoding="utf-8").strip().encode()

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url().startswith("sqlite")

    @property
    def chat_tokens_configured(self) -> bool:
        return self.discord_token is not None or self.telegram_token is not None
