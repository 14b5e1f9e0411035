"""The dashboard's settings: the link's lifetime (default 15 minutes, 60 s to 24 h), the
Telegram operators' ids, and who the web process lets in (``operators_of``)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from adapters.web.app import operators_of
from bot.settings import Settings


def test_the_link_lifetime_defaults_to_15_minutes_within_bounds(monkeypatch):
    assert Settings().dashboard_link_ttl_s == 900
    monkeypatch.setenv("SEEDREAM_DASHBOARD_LINK_TTL_S", "120")
    assert Settings().dashboard_link_ttl_s == 120
    for wrong in ("59", "86401"):
        monkeypatch.setenv("SEEDREAM_DASHBOARD_LINK_TTL_S", wrong)
        with pytest.raises(ValidationError):
            Settings()


def test_telegram_operator_ids(monkeypatch):
    monkeypatch.setenv("SEEDREAM_TELEGRAM_ADMIN_IDS", "5, 77")
    assert Settings().telegram_admin_user_ids() == frozenset({5, 77})
    assert Settings(telegram_admin_ids="").telegram_admin_user_ids() == frozenset()
    with pytest.raises(ValueError):
        Settings(telegram_admin_ids="5,@ops").telegram_admin_user_ids()


def test_who_the_dashboard_lets_in():
    allowed = operators_of(Settings(discord_admin_ids="42", telegram_admin_ids="5"))
    assert allowed("cli") and allowed("discord:42") and allowed("telegram:5")
    for operator in (
        "discord:5",
        "telegram:42",
        "console:42",
        "discord:",
        "web:cli",
        "discord:４２",
    ):
        assert not allowed(operator), operator
    broken = operators_of(Settings(discord_admin_ids="42,x", telegram_admin_ids="5"))
    assert not broken("discord:42") and broken("telegram:5")  # a bad list allows no one
