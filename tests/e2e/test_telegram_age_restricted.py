"""The age-restricted rule end to end on Telegram (issue 14, defect 5): Telegram has
no age-restricted flag, so a chat allows age-restricted models only when the operator
lists it in ``SEEDREAM_TELEGRAM_NSFW_CHATS`` (none by default). In any other chat the
core refuses them, whether asked for, the account's default or a default being set."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.telegram.config import TelegramConfig
from bot.bootstrap import bootstrap
from bot.settings import Settings
from core.types import Actor
from tests.support.age_restricted import REFUSAL, catalog_with_spicy
from tests.support.fake_telegram import BOT_USERNAME, group_chat, user
from tests.support.telegram_harness import (
    accept_terms,
    button_data,
    fake_bot_api,
    running_adapter,
    text_has,
)

ADA = user(424242, first_name="Ada")  # her private chat is listed
BOB = user(515151, first_name="Bob")


@pytest.fixture
async def app(settings, sqlite_engine) -> AsyncIterator:
    catalog = catalog_with_spicy(settings.catalog_path)
    async with bootstrap(settings, engine=sqlite_engine, migrate=False, catalog=catalog) as app:
        yield app


@pytest.fixture
async def fake():
    async with fake_bot_api() as api:
        yield api


async def _answer(fake, who: dict, text: str, chat: dict | None = None) -> str:
    mark = fake.mark()
    await fake.push_command(who, text, chat=chat)
    return (await fake.wait_for("sendMessage", after=mark)).params["text"]


async def _refused_imagine(fake, who: dict, text: str, chat: dict | None = None) -> None:
    """/imagine answers "Accepting your request…" first, then edits in the outcome."""
    mark = fake.mark()
    await fake.push_command(who, text, chat=chat)
    assert await fake.wait_for("editMessageText", text_has(REFUSAL), after=mark)


async def _jobs(app, who: dict) -> int:
    return len(await app.core.history(Actor("telegram", str(who["id"])), limit=50))


async def test_a_chat_not_listed_refuses_age_restricted_models(app, fake):
    async with running_adapter(app, fake, nsfw_chat_ids=frozenset({ADA["id"]})):
        await accept_terms(fake, ADA)
        await accept_terms(fake, BOB)
        assert "Your defaults" in await _answer(fake, ADA, "/settings --model spicy")
        # The default chosen in the listed chat does not travel to a group not listed.
        group = group_chat()
        await _refused_imagine(fake, ADA, f"/imagine@{BOT_USERNAME} a fox", chat=group)
        assert await _jobs(app, ADA) == 0
        mark = fake.mark()
        await fake.push_command(ADA, "/imagine a fox")  # the listed chat
        assert await fake.wait_for("editMessageText", text_has("Queued"), after=mark)
        assert await _jobs(app, ADA) == 1
        # Bob's private chat is not listed: neither a request nor a default.
        await _refused_imagine(fake, BOB, "/imagine a fox --model spicy")
        assert REFUSAL in await _answer(fake, BOB, "/settings --model spicy")
        assert await _jobs(app, BOB) == 0
        assert (await app.core.account(Actor("telegram", str(BOB["id"])))).default_model is None
        # Offered only where they can be used: /models and the settings buttons.
        assert "spicy" not in await _answer(fake, BOB, "/models")
        assert "spicy: " in await _answer(fake, ADA, "/models")
        for who, offered in ((BOB, False), (ADA, True)):
            mark = fake.mark()
            await fake.push_command(who, "/settings")
            menu = await fake.wait_for("sendMessage", after=mark)
            assert any("spicy" in label for label in button_data(menu)) is offered


def test_the_setting_names_chats_and_is_off_by_default():
    assert TelegramConfig.from_settings(Settings(telegram_token="t")).nsfw_chat_ids == frozenset()
    listed = Settings(telegram_token="t", telegram_nsfw_chats="-1001234567890, 42")
    assert TelegramConfig.from_settings(listed).nsfw_chat_ids == {-1001234567890, 42}
    with pytest.raises(ValueError):
        TelegramConfig.from_settings(Settings(telegram_token="t", telegram_nsfw_chats="x"))
