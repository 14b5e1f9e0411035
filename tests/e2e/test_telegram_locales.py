"""The user's language through the real PTB client: Telegram's ``language_code``
(``pt-br`` is Brazilian Portuguese), a language chosen in /settings winning over it,
and the command menu registered per language under Telegram's two-letter codes.

The shipped translations are checked against their own files; the /settings test lays tiny
locale files over them."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from adapters.common.catalogue import chat_messages
from adapters.telegram.render import LOCALES_DIR as TELEGRAM_LOCALES
from bot.bootstrap import bootstrap
from core.errors import InvalidOption
from core.text.catalogue import Messages
from core.types import Actor
from tests.support.fake_telegram import private_chat, user
from tests.support.telegram_harness import (
    accept_terms,
    button_data,
    fake_bot_api,
    running_adapter,
    text_has,
)

FILES = {
    "pt-BR.ftl": (
        "telegram-help = Ajuda em português do Brasil\n"
        "telegram-cmd-imagine = Criar uma imagem a partir de um texto\n"
        "telegram-done = Pronto.\n"
        "telegram-settings = Seus padrões: { $model } { $aspect } idioma { $language }"
        " { $as_file } { $training }\n"
    ),
    "es.ftl": (
        "telegram-help = Ayuda en español\n"
        "telegram-settings = Tus valores: { $model } { $aspect } idioma { $language }"
        " { $as_file } { $training }\n"
    ),
}
ADA = user(424242, language_code="en")
BIA = user(535353, language_code="pt-br", first_name="Bia")
EVA = user(646464, language_code="es", first_name="Eva")


@pytest.fixture
async def app(settings, sqlite_engine, tmp_path: Path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as built:
        yield dataclasses.replace(built, messages=built.messages.layered(tmp_path))


@pytest.fixture
async def fake():
    async with fake_bot_api() as api:
        yield api


async def test_language_code_picks_the_language_and_menus_per_language(app, fake):
    shipped = chat_messages(Messages(), TELEGRAM_LOCALES)

    def first_line(locale: str) -> str:
        return shipped.render("telegram.help", locale).splitlines()[0]

    assert len({first_line(loc) for loc in ("pt-BR", "es", "en")}) == 3  # really translated
    async with running_adapter(app, fake):
        for who, expected in (
            (BIA, first_line("pt-BR")),
            (EVA, first_line("es")),
            (ADA, first_line("en")),
        ):
            mark = fake.mark()
            await fake.push_command(who, "/help")
            await fake.wait_for("sendMessage", text_has(expected), after=mark)
        menus = dict(fake.commands)
    assert set(menus) == {None, "es", "pt", "ru", "de"}  # two-letter codes; English default
    portuguese = {c["command"]: c["description"] for c in menus["pt"]}
    english = {c["command"]: c["description"] for c in menus[None]}
    assert portuguese["imagine"] == shipped.lookup("telegram.cmd.imagine", "pt-BR")
    assert english["imagine"] == "Create an image from a prompt" != portuguese["imagine"]


async def test_settings_language_wins_over_language_code(app, fake):
    async with running_adapter(app, fake):
        await accept_terms(fake, ADA)
        mark = fake.mark()
        await fake.push_command(ADA, "/settings --lang fr")
        refused = await fake.wait_for("sendMessage", text_has("fr"), after=mark)
        assert "pt-BR" in refused.params["text"]  # the languages on offer
        mark = fake.mark()
        await fake.push_command(ADA, "/settings --lang pt_BR")
        # Answered at once in the language just chosen.
        await fake.wait_for("sendMessage", text_has("Seus padrões"), after=mark)
        assert (await app.core.account(Actor("telegram", str(ADA["id"])))).language == "pt-BR"
        # ADA's Telegram speaks English; the language she chose wins for her jobs.
        mark = fake.mark()
        await fake.push_command(ADA, "/imagine a lighthouse")
        await fake.wait_for("editMessageText", text_has("Na fila"), after=mark)
        await app.worker.run(burst=True)
        await fake.wait_for("editMessageText", text_has("Pronto."), after=mark)
        # The settings keyboard's language button: saved, and answered in that language.
        mark = fake.mark()
        await fake.push_command(ADA, "/settings")
        shown = await fake.wait_for("sendMessage", text_has("idioma pt-BR"), after=mark)
        await fake.push_callback(ADA, button_data(shown)["es"], message=shown)
        await fake.wait_for("editMessageText", text_has("Tus valores"), after=mark)
    assert (await app.core.account(Actor("telegram", str(ADA["id"])))).language == "es"


async def test_every_immediate_reply_follows_the_chosen_language(app, fake):
    """Not only jobs: commands, refusals, plain text and button presses are answered in
    the language chosen in /settings, over the user's ``language_code`` (issue 17)."""
    said = chat_messages(app.messages, TELEGRAM_LOCALES)

    def pt(key: str, **params) -> str:
        return said.render(key, "pt-BR", **params).splitlines()[0]

    assert pt("telegram.help") != said.render("telegram.help", "en").splitlines()[0]
    empty = said.render_error(InvalidOption(field="prompt", reason="empty"), "pt-BR")
    async with running_adapter(app, fake):
        await accept_terms(fake, ADA)  # her Telegram speaks English
        mark = fake.mark()
        await fake.push_command(ADA, "/settings --lang pt-BR")
        await fake.wait_for("sendMessage", text_has(pt("telegram.settings")[:12]), after=mark)
        for command, key in (("/help", "telegram.help"), ("/paysupport", "telegram.paysupport")):
            mark = fake.mark()
            await fake.push_command(ADA, command)
            await fake.wait_for("sendMessage", text_has(pt(key)), after=mark)
        mark = fake.mark()
        await fake.push_command(ADA, "/settings --lang fr")  # refused: the error hook
        await fake.wait_for("sendMessage", text_has("O idioma fr"), after=mark)
        mark = fake.mark()
        await fake.push_command(ADA, "/settings")  # no option: the account read
        await fake.wait_for("sendMessage", text_has(pt("telegram.settings")[:12]), after=mark)
        mark = fake.mark()
        await fake.push_update(
            {
                "message": {
                    "message_id": 9001,
                    "date": int(time.time()),
                    "chat": private_chat(ADA),
                    "from": ADA,
                    "text": "hello",
                }
            }
        )
        await fake.wait_for("sendMessage", text_has(pt("telegram.plain_text")), after=mark)
        mark = fake.mark()
        await fake.push_command(ADA, "/imagine")  # refused: no prompt
        await fake.wait_for("editMessageText", text_has(empty), after=mark)
        (status,) = fake.of("sendMessage", after=mark)
        assert status.params["text"] == pt("telegram.accepting")
        mark = fake.mark()
        await fake.push_command(ADA, "/imagine a lighthouse")
        queued = await fake.wait_for("editMessageText", text_has("Na fila"), after=mark)
        await fake.push_callback(ADA, button_data(queued)["Cancelar"], message=queued)
        await fake.wait_for("editMessageText", text_has("Cancelado"), after=mark)
