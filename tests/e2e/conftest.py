"""Fixtures for the end-to-end suites."""

from __future__ import annotations

import pytest

from bot.bootstrap import bootstrap
from tests.e2e.test_cli import cli_env  # noqa: F401 (the `seedream` process environment)
from tests.support.fake_discord import FakeDiscord


@pytest.fixture
async def fake_discord():
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
async def embedded_app(settings, sqlite_engine):
    """The embedded defaults: SQLite, the in-process queue and event bus, local images."""
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as app:
        yield app
