"""The user's language through the real discord.py client: the interaction's locale
(region kept, so ``pt-BR`` is Brazilian Portuguese), a language chosen in /settings
winning over it, and the command descriptions registered for Discord's locales.

Tiny locale files in a temporary folder stand in for the translations."""

from __future__ import annotations

from pathlib import Path

import pytest

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


async def test_interaction_locale_picks_the_language_region_kept(
    embedded_app, fake_discord, tiny_locales
):
    messages = embedded_app.messages.layered(tiny_locales)
    async with running_adapter(embedded_app, fake_discord, messages=messages):
        brazil = await run(fake_discord, "help", locale="pt-BR")
        assert await reply_text(fake_discord, brazil, "Ajuda em português do Brasil")
        spain = await run(fake_discord, "help", locale="es-ES")
        assert await reply_text(fake_discord, spain, "Ayuda en español")
        latin_america = await run(fake_discord, "help", locale="es-419")
        assert await reply_text(fake_discord, latin_america, "Ayuda en español")
        english = await run(fake_discord, "help", locale="en-GB")
        assert "Ayuda" not in await reply_text(fake_discord, english, "/imagine")


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
    embedded_app, fake_discord, tiny_locales
):
    messages = embedded_app.messages.layered(tiny_locales)
    async with running_adapter(embedded_app, fake_discord, messages=messages):
        (sync,) = fake_discord.find(lambda c: c.method == "PUT")
    commands = {c["name"]: c for c in sync.body}
    imagine = commands["imagine"]
    assert imagine["description_localizations"] == {
        "pt-BR": "Criar imagens a partir de um texto",
        "es-ES": "Crear imágenes a partir de un texto",
        "es-419": "Crear imágenes a partir de un texto",
    }
    assert not imagine.get("name_localizations")
    prompt = next(o for o in imagine["options"] if o["name"] == "prompt")
    assert prompt["description_localizations"] == {"pt-BR": "O que desenhar"}
    assert not prompt.get("name_localizations")
    assert not commands["help"].get("description_localizations")
