"""The Telegram adapter end to end: the real PTB Application polling a loopback fake
Bot API, the core on SQLite with the in-process queue and the local provider; every
command and button, asserted on what the fake received."""

from __future__ import annotations

import pytest

from bot.bootstrap import bootstrap
from tests.support.fake_telegram import Call, FakeBotApi, user
from tests.support.telegram_harness import fake_bot_api, running_adapter

ADA = user(424242, first_name="Ada")
BOB = user(515151, first_name="Bob")


@pytest.fixture
async def app(settings, sqlite_engine):
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as built:
        yield built


@pytest.fixture
async def fake():
    async with fake_bot_api() as api:
        yield api


@pytest.fixture
async def tg(app, fake):
    async with running_adapter(app, fake) as adapter:
        yield adapter


def _text_has(fragment: str):
    return lambda call: fragment in call.params.get("text", "")


def _buttons(call: Call) -> dict[str, str]:
    return {b["text"]: b.get("callback_data") or b.get("url") for b in call.markup_buttons()}


async def _accept_terms(fake: FakeBotApi, who: dict = ADA) -> None:
    mark = fake.mark()
    await fake.push_command(who, "/start")
    terms = await fake.wait_for("sendMessage", _text_has("13 or older"), after=mark)
    await fake.push_callback(who, _buttons(terms)["I am 13+ and accept"], message=terms)
    await fake.wait_for("editMessageText", _text_has("Thank you"), after=mark)


async def _imagine(fake: FakeBotApi, text: str, who: dict = ADA, chat: dict | None = None):
    """Send /imagine; return the status message's final 'queued' edit."""
    mark = fake.mark()
    await fake.push_command(who, f"/imagine {text}", chat=chat)
    return await fake.wait_for("editMessageText", _text_has("Queued"), after=mark)


async def test_startup_registers_the_command_menu(tg, fake):
    names = [c["command"] for c in fake.commands[None]]
    assert names == [
        "start",
        "imagine",
        "credits",
        "history",
        "cancel",
        "models",
        "settings",
        "help",
        "privacy",
        "paysupport",
    ]
    assert all(1 <= len(c["description"]) <= 256 for c in fake.commands[None])
    assert fake.of("deleteWebhook"), "polling mode clears any webhook first"


async def test_start_shows_terms_and_accept_grants_welcome_credits(tg, fake):
    await fake.push_command(ADA, "/start")
    terms = await fake.wait_for("sendMessage", _text_has("13 or older"))
    buttons = _buttons(terms)
    assert set(buttons) == {"I am 13+ and accept", "Decline"}
    assert all(len(data.encode()) <= 64 for data in buttons.values())

    mark = fake.mark()
    await fake.push_callback(ADA, buttons["I am 13+ and accept"], message=terms)
    edit = await fake.wait_for("editMessageText", after=mark)
    assert "20 free credits" in edit.params["text"]
    assert "reply_markup" not in edit.params  # the buttons are gone
    assert await fake.wait_for("answerCallbackQuery", after=mark)

    mark = fake.mark()
    await fake.push_command(ADA, "/start")
    assert await fake.wait_for("sendMessage", _text_has("Welcome back"), after=mark)


async def test_decline_changes_nothing(tg, fake, app):
    await fake.push_command(ADA, "/start")
    terms = await fake.wait_for("sendMessage", _text_has("13 or older"))
    mark = fake.mark()
    await fake.push_callback(ADA, _buttons(terms)["Decline"], message=terms)
    assert await fake.wait_for("editMessageText", _text_has("No problem"), after=mark)
    mark = fake.mark()
    await fake.push_command(ADA, "/credits")
    refused = await fake.wait_for("sendMessage", after=mark)
    assert "accept the terms" in refused.params["text"]
