"""SEEDREAM_ABUSE_HASH_SECRET: generated and kept in the data folder when embedded (like
the signing key), required with PostgreSQL, and the hash depends on it."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from bot.settings import MissingSetting, Settings
from core.privacy.abuse import AbuseHasher

PG_URL = "postgresql+asyncpg://seedream@127.0.0.1:1/none"


def test_embedded_generates_one_secret_and_keeps_it(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    first = settings.resolved_abuse_hash_secret()
    key_file = tmp_path / "data" / "abuse-hash.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert (
        len(first) == 64
        and Settings(data_dir=tmp_path / "data").resolved_abuse_hash_secret() == first
    )
    assert settings.resolved_signing_secret() != first  # its own key, its own file
    assert (tmp_path / "data" / "signing.key").exists()


def test_production_needs_the_secret_and_uses_the_setting(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", database_url=PG_URL)
    with pytest.raises(MissingSetting, match=r"^SEEDREAM_ABUSE_HASH_SECRET is not set") as err:
        settings.resolved_abuse_hash_secret()
    assert "\n" not in str(err.value)
    assert not (tmp_path / "data").exists()
    given = settings.model_copy(update={"abuse_hash_secret": SecretStr("s3cret-value")})
    assert given.resolved_abuse_hash_secret() == b"s3cret-value"
    assert "s3cret-value" in given.secrets()  # redacted from logs like every secret


def test_the_hash_is_keyed_and_never_shows_the_identity():
    one, two = AbuseHasher(b"one"), AbuseHasher(b"two")
    assert one.identity_hash("telegram", "42") == one.identity_hash("telegram", "42")
    assert one.identity_hash("telegram", "42") != two.identity_hash("telegram", "42")
    assert one.identity_hash("telegram", "42") != one.identity_hash("discord", "42")
    assert "42" not in repr(one) and "one" not in repr(one)
    with pytest.raises(ValueError):
        AbuseHasher(b"")
