"""The user's language through the real discord.py client: the interaction's locale
(region kept, so ``pt-BR`` is Brazilian Portuguese), a language chosen in /settings
winning over it, and the command descriptions registered for Discord's locales.

The shipped translations are checked against their own files; the /settings test lays tiny
locale files over them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.common.catalogue import chat_messages
from adapters.discord.render import LOCALES_DIR as DISCORD_LOCALES
from core.errors import InvalidOption, ItemKind, NotFound
from core.types import Actor
from tests.e2e.discord_harness import (
    accept_terms,
    finished,
    option,
    reply_text,
    run,
    running_adapter,
)

FILES = {
    "pt-BR.ftl": (
        "discord-help = Ajuda em português do Brasil\n"
        "discord-cmd-imagine = Criar imagens a partir de um texto\n"
        "discord-cmd-imagine_prompt = O que desenhar\n"
        "discord-image_title = Imagem { $index } de { $count }\n"
        "discord-settings_current = Seus padrões: { $model } { $aspect } { $language }"
        " { $private } { $training }\n"
    ),
    "es.ftl": (
        "discord-help = Ayuda en español\n"
        "discord-cmd-imagine = Crear imágenes a partir de un texto\n"
    ),
}


@pytest.fixture
def tiny_locales(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


async def test_interaction_locale_picks_the_language_region_kept(embedded_app, fake_discord):
    shipped = chat_messages(embedded_app.messages, DISCORD_LOCALES)

    def first_line(locale: str) -> str:
        return shipped.render("discord.help", locale).splitlines()[0]

    assert len({first_line(loc) for loc in ("pt-BR", "es", "en")}) == 3  # really translated
    async with running_adapter(embedded_app, fake_discord):
        brazil = await run(fake_discord, "help", locale="pt-BR")
        assert await reply_text(fake_discord, brazil, first_line("pt-BR"))
        spain = await run(fake_discord, "help", locale="es-ES")
        assert await reply_text(fake_discord, spain, first_line("es"))
        latin_america = await run(fake_discord, "help", locale="es-419")
        assert await reply_text(fake_discord, latin_america, first_line("es"))
        english = await run(fake_discord, "help", locale="en-GB")
        assert await reply_text(fake_discord, english, first_line("en"))


async def test_settings_language_wins_over_the_interaction_locale(
    embedded_app, fake_discord, tiny_locales
):
    messages = embedded_app.messages.layered(tiny_locales)
    async with running_adapter(embedded_app, fake_discord, messages=messages):
        await accept_terms(fake_discord)
        refused = await run(fake_discord, "settings", [option("language", "fr")])
        assert "fr" in await reply_text(fake_discord, refused, "pt-BR")
        chosen = await run(fake_discord, "settings", [option("language", "pt-BR")])
        # Answered at once in the language just chosen.
        assert "pt-BR" in await reply_text(fake_discord, chosen, "Seus padrões")
        # The user's Discord speaks English; the language they chose wins.
        job = await run(fake_discord, "imagine", [option("prompt", "a tree")], locale="en-US")
        embeds = (await finished(fake_discord, job)).body["embeds"]
        assert embeds[0]["title"].startswith("Imagem 1 de ")
    account = await embedded_app.core.account(Actor("discord", "4000"))
    assert account.language == "pt-BR"


async def test_descriptions_registered_for_discords_locales_names_stay_english(
    embedded_app, fake_discord
):
    shipped = chat_messages(embedded_app.messages, DISCORD_LOCALES)
    async with running_adapter(embedded_app, fake_discord):
        (sync,) = fake_discord.find(lambda c: c.method == "PUT")
    commands = {c["name"]: c for c in sync.body}
    imagine = commands["imagine"]
    spanish = shipped.lookup("discord.cmd.imagine", "es")
    assert imagine["description_localizations"] == {
        "pt-BR": shipped.lookup("discord.cmd.imagine", "pt-BR"),
        "es-ES": spanish,
        "es-419": spanish,
        "ru": shipped.lookup("discord.cmd.imagine", "ru"),
        "de": shipped.lookup("discord.cmd.imagine", "de"),
    }
    assert imagine["description_localizations"]["de"] != imagine["description"]
    assert not imagine.get("name_localizations")
    prompt = next(o for o in imagine["options"] if o["name"] == "prompt")
    assert prompt["description_localizations"]["pt-BR"] == shipped.lookup(
        "discord.cmd.imagine_prompt", "pt-BR"
    )
    assert not prompt.get("name_localizations")


async def test_every_immediate_reply_follows_the_chosen_language(embedded_app, fake_discord):
    """Not only jobs: commands, refusals and the queued notice are answered in the
    language chosen in /settings, over the interaction's locale (issue 17)."""
    said = chat_messages(embedded_app.messages, DISCORD_LOCALES)

    def pt(key: str, **params) -> str:
        return said.render(key, "pt-BR", **params).splitlines()[0]

    assert pt("discord.help") != said.render("discord.help", "en").splitlines()[0]
    nothing_queued = said.render_error(NotFound(what=ItemKind.QUEUED_JOB), "pt-BR")
    refused_fr = said.render_error(
        InvalidOption(field="language", reason="not_allowed_language", value="fr", allowed="x"),
        "pt-BR",
    ).split(".")[0]
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)  # the user's Discord speaks English (en-US)
        chosen = await run(fake_discord, "settings", [option("language", "pt-BR")])
        await reply_text(fake_discord, chosen, "Seus padrões")
        shown = await run(fake_discord, "help")
        assert await reply_text(fake_discord, shown, pt("discord.help"))
        shown = await run(fake_discord, "settings")  # no option: the account read
        assert await reply_text(fake_discord, shown, "Seus padrões")
        refused = await run(fake_discord, "cancel")  # nothing queued: a refusal
        assert await reply_text(fake_discord, refused, nothing_queued)
        refused = await run(fake_discord, "settings", [option("language", "fr")])
        assert await reply_text(fake_discord, refused, refused_fr)
        job = await run(fake_discord, "imagine", [option("prompt", "a tree")])
        assert await reply_text(fake_discord, job, "Na fila")


async def test_help_names_every_option_of_imagine_and_settings_in_every_locale(
    embedded_app, fake_discord
):
    """Discord's /help against the options Discord registers (typed ``--`` options are
    for the text platforms: tests/unit/test_help_texts.py)."""
    shipped = chat_messages(embedded_app.messages, DISCORD_LOCALES)
    async with running_adapter(embedded_app, fake_discord):
        (sync,) = fake_discord.find(lambda c: c.method == "PUT")
    commands = {c["name"]: c for c in sync.body}
    names = {o["name"] for command in ("imagine", "settings") for o in commands[command]["options"]}
    assert {"aspect", "private", "training"} <= names
    for locale in ("en", "es", "pt-BR", "ru", "de"):
        text = shipped.render("discord.help", locale)
        unnamed = sorted(n for n in names if not re.search(rf"(?<![\w-]){n}(?![\w-])", text))
        assert unnamed == [], locale
