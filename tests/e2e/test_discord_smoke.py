from __future__ import annotations

import pytest

from bot.bootstrap import bootstrap
from tests.e2e.discord_harness import running_adapter
from tests.support.fake_discord import FakeDiscord


@pytest.fixture
async def fake():
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
async def app(settings, sqlite_engine):
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as built:
        yield built


async def test_login_sync_help(app, fake):
    async with running_adapter(app, fake):
        sync = fake.find(lambda c: c.method == "PUT" and c.path.endswith("/commands"))
        names = sorted(c["name"] for c in sync[0].body)
        print(names)
        sent = await fake.send(fake.command("help"))
        cb = await fake.callback_for(sent)
        print(cb.body)
        edits = await fake.original_edits(sent)
        print(edits[-1].body)
